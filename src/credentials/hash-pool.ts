import { Worker } from 'node:worker_threads';
import type { HashAnswer, HashJob, WorkerInfo } from './hash-worker.ts';

// A few worker threads that hash passwords (hash-worker.ts), one job per worker at a time.
// PasswordHasher decides how many run at once and who waits; this only keeps the threads:
// started on first need, replaced when one dies, never keeping the process alive while idle,
// and retired after `idleMs` without work: each thread is a V8 instance of its own (about 20 MB
// resident), and a server that signed someone in once should not carry them while idle.

interface Pending {
  job: HashJob;
  resolve: (value: string | boolean) => void;
  reject: (error: Error) => void;
}

interface Thread {
  worker: Worker;
  info: Promise<WorkerInfo>;
  busy: Pending | null;
  gone: boolean;
  idleTimer: NodeJS.Timeout | null;
}

export interface HashPoolOptions {
  size: number;
  /** The workers' own thread nice value (see PasswordHasher). */
  nice: number;
  /** The worker script; tests pass a wrapper that can crash. */
  workerUrl?: URL;
  /** A thread without work for this long ends (30 s); the next hash starts a new one. */
  idleMs?: number;
}

export class HashPool {
  private readonly threads: Thread[] = [];
  private readonly queue: Pending[] = [];
  private closed = false;
  private readonly options: Required<HashPoolOptions>;

  constructor(options: HashPoolOptions) {
    this.options = {
      ...options,
      workerUrl: options.workerUrl ?? new URL('./hash-worker.ts', import.meta.url),
      idleMs: options.idleMs ?? 30_000,
    };
  }

  run(job: HashJob): Promise<string | boolean> {
    if (this.closed) return Promise.reject(new Error('the password hasher is closed'));
    return new Promise((resolve, reject) => {
      this.queue.push({ job, resolve, reject });
      this.dispatch();
    });
  }

  /** The live workers' thread ids and nice values, starting them all if need be. */
  async describe(): Promise<WorkerInfo[]> {
    while (!this.closed && this.threads.length < this.options.size) this.spawn();
    return Promise.all(this.threads.map((t) => t.info));
  }

  /** How many worker threads are alive now. */
  get liveThreads(): number {
    return this.threads.length;
  }

  /** Ends every thread that has no work; what the idle timer does after `idleMs`. */
  async retireIdle(): Promise<void> {
    const idle = this.threads.filter((t) => !t.busy);
    for (const t of idle) this.retire(t);
    await Promise.all(idle.map((t) => t.worker.terminate()));
  }

  async close(): Promise<void> {
    this.closed = true;
    const threads = this.threads.splice(0);
    for (const p of this.queue.splice(0)) p.reject(new Error('the password hasher is closed'));
    await Promise.all(threads.map((t) => t.worker.terminate()));
  }

  private dispatch(): void {
    while (this.queue.length > 0) {
      const idle =
        this.threads.find((t) => !t.busy) ??
        (this.threads.length < this.options.size ? this.spawn() : undefined);
      if (!idle) return;
      const pending = this.queue.shift()!;
      idle.busy = pending;
      if (idle.idleTimer) clearTimeout(idle.idleTimer);
      idle.idleTimer = null;
      // Referenced only while hashing: a command-line hash finishes, an idle server may exit.
      idle.worker.ref();
      idle.worker.postMessage(pending.job);
    }
  }

  /** Starts the thread's idle countdown (dispatch stops it when work arrives). */
  private idleFrom(thread: Thread): void {
    if (thread.idleTimer) clearTimeout(thread.idleTimer);
    thread.idleTimer = setTimeout(() => {
      if (thread.busy) return;
      this.retire(thread);
      void thread.worker.terminate();
    }, this.options.idleMs);
    thread.idleTimer.unref();
  }

  /** Takes an idle thread out of the pool before it is terminated: its exit is no loss. */
  private retire(thread: Thread): void {
    thread.gone = true;
    if (thread.idleTimer) clearTimeout(thread.idleTimer);
    thread.idleTimer = null;
    const index = this.threads.indexOf(thread);
    if (index >= 0) this.threads.splice(index, 1);
  }

  private spawn(): Thread {
    const worker = new Worker(this.options.workerUrl, { workerData: { nice: this.options.nice } });
    let started!: (info: WorkerInfo) => void;
    const thread: Thread = {
      worker,
      info: new Promise((resolve) => (started = resolve)),
      busy: null,
      gone: false,
      idleTimer: null,
    };
    let first = true;
    worker.on('message', (message: WorkerInfo | HashAnswer) => {
      if (first) {
        first = false;
        started(message as WorkerInfo);
        // Referenced while starting (whoever awaits `info` needs it), then only while hashing.
        if (!thread.busy) {
          worker.unref();
          this.idleFrom(thread);
        }
        return;
      }
      const answer = message as HashAnswer;
      const pending = thread.busy;
      thread.busy = null;
      worker.unref();
      this.idleFrom(thread);
      if (pending) {
        if (answer.ok) pending.resolve(answer.value);
        else pending.reject(new Error(answer.error));
      }
      this.dispatch();
    });
    const lost = () => {
      if (thread.gone) return;
      thread.gone = true;
      if (thread.idleTimer) clearTimeout(thread.idleTimer);
      const index = this.threads.indexOf(thread);
      if (index >= 0) this.threads.splice(index, 1);
      // The one job it had fails (no password in the message); the rest get a new worker.
      thread.busy?.reject(new Error('the password hash worker stopped'));
      thread.busy = null;
      if (first) started({ tid: null, nice: Number.NaN });
      if (!this.closed) this.dispatch();
    };
    worker.on('error', lost);
    worker.on('exit', lost);
    this.threads.push(thread);
    return thread;
  }
}

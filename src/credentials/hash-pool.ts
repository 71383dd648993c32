import { Worker } from 'node:worker_threads';
import type { HashAnswer, HashJob, WorkerInfo } from './hash-worker.ts';

// A few worker threads that hash passwords (hash-worker.ts), one job per worker at a time.
// PasswordHasher decides how many run at once and who waits; this only keeps the threads:
// started on first need, replaced when one dies, never keeping the process alive while idle.

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
}

export interface HashPoolOptions {
  size: number;
  /** The workers' own thread nice value (see PasswordHasher). */
  nice: number;
  /** The worker script; tests pass a wrapper that can crash. */
  workerUrl?: URL;
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
      // Referenced only while hashing: a command-line hash finishes, an idle server may exit.
      idle.worker.ref();
      idle.worker.postMessage(pending.job);
    }
  }

  private spawn(): Thread {
    const worker = new Worker(this.options.workerUrl, { workerData: { nice: this.options.nice } });
    let started!: (info: WorkerInfo) => void;
    const thread: Thread = {
      worker,
      info: new Promise((resolve) => (started = resolve)),
      busy: null,
      gone: false,
    };
    let first = true;
    worker.on('message', (message: WorkerInfo | HashAnswer) => {
      if (first) {
        first = false;
        started(message as WorkerInfo);
        // Referenced while starting (whoever awaits `info` needs it), then only while hashing.
        if (!thread.busy) worker.unref();
        return;
      }
      const answer = message as HashAnswer;
      const pending = thread.busy;
      thread.busy = null;
      worker.unref();
      if (pending) {
        if (answer.ok) pending.resolve(answer.value);
        else pending.reject(new Error(answer.error));
      }
      this.dispatch();
    });
    const lost = () => {
      if (thread.gone) return;
      thread.gone = true;
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

import { randomBytes } from 'node:crypto';
import { AppError } from '../shared/errors.ts';
import { phcPrefix } from './argon2-params.ts';
import { HashPool } from './hash-pool.ts';
import type { WorkerInfo } from './hash-worker.ts';

// argon2id with OWASP's parameters (argon2-params.ts). Hashing runs on a few worker threads
// (hash-pool.ts) at a lower scheduling priority, off the event loop; at most `concurrency` at
// once and `queueLimit` waiting. Anything beyond that is refused at once with 429, so a login
// flood never starves the other requests.

export interface HasherOptions {
  /**
   * The hashing threads' nice value (issue 13). 10 by default: under Linux's scheduler a nice-10
   * thread weighs about a tenth of a nice-0 one, so while request handling wants the cores it
   * gets about 90% of them, and hashing still progresses (19 would leave sign-in at about 1.5%,
   * starving logins under any sustained load); on idle cores hashing runs at full speed.
   */
  nice?: number;
  /** The worker script (tests wrap the real one). */
  workerUrl?: URL;
}

export class PasswordHasher {
  private running = 0;
  /** Places promised to admitted logins that have not hashed yet (see admit). */
  private held = 0;
  private admittedNext = false;
  private readonly waiting: Array<() => void> = [];
  private dummy: Promise<string> | null = null;
  private readonly concurrency: number;
  private readonly queueLimit: number;

  private readonly pool: HashPool;

  constructor(concurrency: number, queueLimit: number, options: HasherOptions = {}) {
    this.concurrency = concurrency;
    this.queueLimit = queueLimit;
    this.pool = new HashPool({ size: concurrency, nice: options.nice ?? 10, workerUrl: options.workerUrl });
  }

  hash(password: string): Promise<string> {
    return this.slot(() => this.pool.run({ op: 'hash', password }) as Promise<string>);
  }

  /**
   * False for a wrong password or an unreadable stored hash. A worker that dies rejects instead:
   * that is no evidence about the password, so it must not count as a wrong guess.
   */
  verify(phc: string, password: string): Promise<boolean> {
    return this.slot(() => this.pool.run({ op: 'verify', phc, password }) as Promise<boolean>);
  }

  /** The hashing threads' OS ids and nice values (operators' `ps -L`; the tests). */
  threads(): Promise<WorkerInfo[]> {
    return this.pool.describe();
  }

  /** Ends the hashing threads that have no work now, as their idle timer would later. */
  releaseIdleThreads(): Promise<void> {
    return this.pool.retireIdle();
  }

  /** Stops the hashing threads (the app's close path); waiting hashes fail. */
  close(): Promise<void> {
    return this.pool.close();
  }

  /** A hash nobody has, made once (outside the queue: it is no login's work). */
  private dummyHash(): Promise<string> {
    this.dummy ??= (
      this.pool.run({ op: 'hash', password: randomBytes(16).toString('hex') }) as Promise<string>
    ).catch((error: unknown) => {
      this.dummy = null; // a worker that died while making it: the next login tries again
      throw error;
    });
    return this.dummy;
  }

  /**
   * Verifies against a hash nobody has, so that an unknown login costs what a known one does
   * and timing tells nothing about which accounts exist.
   */
  async verifyDummy(password: string): Promise<false> {
    await this.verify(await this.dummyHash(), password);
    return false;
  }

  /** True when a stored hash was made with other parameters than today's. */
  needsRehash(phc: string): boolean {
    return !phc.startsWith(phcPrefix);
  }

  /** What /metrics reports: hashes running, waiting or promised, and refusals so far. */
  stats(): { running: number; queued: number; refused: number } {
    return { running: this.running, queued: this.waiting.length + this.held, refused: this.refused };
  }

  private refused = 0;

  /** Throws the 429 a hash request would get now, so callers can refuse before other work. */
  assertCapacity(): void {
    // Places held by admitted tickets count as taken (see admit).
    if (this.running + this.waiting.length + this.held >= this.concurrency + this.queueLimit) {
      this.refused++;
      throw new AppError('too_many_requests', 'Too many logins at once; try again in a moment.', {
        retryAfter: 1,
      });
    }
  }

  /**
   * Holds a place for one hash from now on, or throws the 429 at once. A login takes its place
   * before it counts an attempt against the lockout (issue 7 #10): a login the full queue
   * refuses has then counted nothing, so no refusal can lock the right owner out. The place
   * turns into a slot (or a wait) when the ticket hashes; `release()` gives an unused one back.
   */
  admit(): HashTicket {
    this.assertCapacity();
    this.held++;
    let used = false;
    const use = () => {
      if (used) throw new Error('a hash ticket is good for one hash');
      used = true;
      this.held--;
      // Read at once by the slot this hash takes (verify calls slot synchronously): the place
      // was promised, so it waits even where a newcomer would now be refused.
      this.admittedNext = true;
    };
    return {
      verify: (phc, password) => {
        use();
        return this.verify(phc, password);
      },
      verifyDummy: async (password) => {
        const dummy = await this.dummyHash();
        use();
        await this.verify(dummy, password);
        return false;
      },
      release: () => {
        if (used) return;
        used = true;
        this.held--;
      },
    };
  }

  private async slot<T>(work: () => Promise<T>): Promise<T> {
    const admitted = this.admittedNext;
    this.admittedNext = false;
    if (this.running >= this.concurrency) {
      if (!admitted) this.assertCapacity();
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.running++;
    }
    try {
      return await work();
    } finally {
      // Hand the slot straight to the next waiter, or free it.
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }
}

/** One claimed place in the hash queue (see PasswordHasher.admit). */
export interface HashTicket {
  verify(phc: string, password: string): Promise<boolean>;
  verifyDummy(password: string): Promise<false>;
  release(): void;
}

import { hash, verify } from '@node-rs/argon2';
import { randomBytes } from 'node:crypto';
import { AppError } from '../shared/errors.ts';

// argon2id with OWASP's parameters (m=19 MiB, t=2, p=1). Hashing runs on libuv's thread pool,
// off the event loop; at most `concurrency` at once and `queueLimit` waiting. Anything beyond
// that is refused at once with 429, so a login flood never starves the other requests.

// The library's `Algorithm` is a const enum, which type stripping cannot inline; 2 is Argon2id.
const argon2id = 2;
const params = { algorithm: argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;
const phcPrefix = `$argon2id$v=19$m=${params.memoryCost},t=${params.timeCost},p=${params.parallelism}$`;

export class PasswordHasher {
  private running = 0;
  /** Places promised to admitted logins that have not hashed yet (see admit). */
  private held = 0;
  private admittedNext = false;
  private readonly waiting: Array<() => void> = [];
  private dummy: Promise<string> | null = null;
  private readonly concurrency: number;
  private readonly queueLimit: number;

  constructor(concurrency: number, queueLimit: number) {
    this.concurrency = concurrency;
    this.queueLimit = queueLimit;
  }

  hash(password: string): Promise<string> {
    return this.slot(() => hash(password, params));
  }

  verify(phc: string, password: string): Promise<boolean> {
    return this.slot(() => verify(phc, password).catch(() => false));
  }

  /**
   * Verifies against a hash nobody has, so that an unknown login costs what a known one does
   * and timing tells nothing about which accounts exist.
   */
  async verifyDummy(password: string): Promise<false> {
    this.dummy ??= hash(randomBytes(16).toString('hex'), params);
    await this.verify(await this.dummy, password);
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
        this.dummy ??= hash(randomBytes(16).toString('hex'), params);
        const dummy = await this.dummy;
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

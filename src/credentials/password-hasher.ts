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

  /** Throws the 429 a hash request would get now, so callers can refuse before other work. */
  assertCapacity(): void {
    if (this.running >= this.concurrency && this.waiting.length >= this.queueLimit) {
      throw new AppError('too_many_requests', 'Too many logins at once; try again in a moment.', {
        retryAfter: 1,
      });
    }
  }

  private async slot<T>(work: () => Promise<T>): Promise<T> {
    if (this.running >= this.concurrency) {
      this.assertCapacity();
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

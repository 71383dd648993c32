import type { Database } from '../db/database.ts';
import type { Clock } from '../shared/clock.ts';
import type { RequestContext } from '../shared/request-context.ts';
import { recordAudit } from '../audit/audit.ts';
import type { PasswordHasher } from '../credentials/password-hasher.ts';
import type { SettingsService } from '../settings/settings.service.ts';
import {
  lockedUntilOf,
  releaseLoginAttempt,
  reserveDecoyAttempt,
  reserveLoginAttempt,
} from './attempts.store.ts';

// The lockout (R-ADM-14) as one path for every check that counts towards it: passwords at
// login, second-factor codes, and the current password My Profile asks for. Each check
// reserves its attempt before it runs (attempts.store.ts), so however many requests race, at
// most `threshold` guesses are checked per lock period; the reservation that reaches the
// threshold locks, and its failure is audited as `auth.locked`; a right guess that raced with
// a lock set meanwhile is refused, never lifting that lock. What a success does: a completed
// sign-in (or a right current password) clears the count; a right password that still awaits
// its second factor only gives its own attempt back.

export interface LockedAccount {
  id: string;
  label: string;
}

export type AttemptResult = { outcome: 'right' | 'wrong' | 'locked' };

export interface AttemptOptions {
  /** Audit action of a wrong guess below the threshold (the one that locks is `auth.locked`). */
  failedAction: string;
  /** What a right guess does to the count (see above). */
  onRight: 'forgive' | 'give-back';
  /** Safe details for the audit event (e.g. the second-factor method). */
  details?: Record<string, unknown>;
}

export class LockoutGuard {
  private readonly deps: {
    database: Database;
    clock: Clock;
    hasher: PasswordHasher;
    settings: SettingsService;
  };

  constructor(deps: LockoutGuard['deps']) {
    this.deps = deps;
  }

  /** Checks a password against an account's stored hash, counted by the lockout. */
  password(
    ctx: RequestContext,
    account: LockedAccount,
    passwordHash: string,
    password: string,
    options: AttemptOptions,
  ): Promise<AttemptResult> {
    // The place in the hash queue first: a login refused for a full queue (429) has counted
    // nothing. A refused attempt still hashes (against nothing real): locked answers as slowly
    // as wrong.
    const ticket = this.deps.hasher.admit();
    return this.attempt(
      ctx,
      account,
      () => ticket.verify(passwordHash, password),
      options,
      () => ticket.verifyDummy(password),
    ).finally(() => ticket.release());
  }

  /**
   * A login that names no account: the same reservation round trip, hash and audited failure
   * as a wrong password, on stand-ins, so its answer and its cost match (issue 7 #13).
   */
  async unknown(ctx: RequestContext, password: string, failedAction: string): Promise<void> {
    const { database, clock, hasher } = this.deps;
    const ticket = hasher.admit();
    try {
      await reserveDecoyAttempt(database.db, clock.now());
      await ticket.verifyDummy(password);
    } finally {
      ticket.release();
    }
    await this.audit(ctx, failedAction, { type: 'user', id: null, label: null }, { unknownLogin: true });
  }

  /**
   * Reserves an attempt, runs `check` only when it got one, and records the outcome.
   * `whenRefused` runs instead of the check on a locked account (to cost the same).
   */
  async attempt(
    ctx: RequestContext,
    account: LockedAccount,
    check: () => Promise<boolean>,
    options: AttemptOptions,
    whenRefused?: () => Promise<unknown>,
  ): Promise<AttemptResult> {
    const { database, clock, settings } = this.deps;
    const { threshold, durationSeconds } = (await settings.get()).lockout;
    const now = clock.now();
    const target = { type: 'user' as const, id: account.id, label: account.label };
    const mine = await reserveLoginAttempt(
      database.db,
      account.id,
      now,
      threshold,
      now + durationSeconds * 1000,
    );
    if (!mine) {
      // The refusal wrote the row as a reservation does; the stand-in hash costs as a check.
      await whenRefused?.();
      return this.refuse(ctx, account, target, options);
    }
    let right: boolean;
    try {
      right = await check();
    } catch (error) {
      // Never checked (the hash queue was full, say): that was no guess, so it gives its place
      // back. Otherwise a flood of refused logins would lock the account of its right owner.
      await releaseLoginAttempt(database.db, account.id, mine, clock.now(), 'give-back');
      throw error;
    }
    if (!right) {
      const locks = mine.lockedUntil !== null && mine.lockedUntil > now;
      await this.audit(ctx, locks ? 'auth.locked' : options.failedAction, target, {
        ...options.details,
        failedLogins: mine.failedLogins,
      });
      return { outcome: 'wrong' };
    }
    if (!(await releaseLoginAttempt(database.db, account.id, mine, clock.now(), options.onRight))) {
      // Locked by a wrong guess that finished first while this one was being checked.
      return this.refuse(ctx, account, target, options);
    }
    return { outcome: 'right' };
  }

  private async refuse(
    ctx: RequestContext,
    account: LockedAccount,
    target: { type: 'user'; id: string; label: string },
    options: AttemptOptions,
  ): Promise<AttemptResult> {
    await this.audit(ctx, options.failedAction, target, { ...options.details, locked: true });
    return { outcome: 'locked' };
  }

  /** Seconds until a locked account's lock lifts (at least 1), for a Retry-After. */
  async secondsLocked(accountId: string): Promise<number> {
    const { database, clock } = this.deps;
    const until = await lockedUntilOf(database.db, accountId);
    return Math.max(1, Math.ceil(((until ?? 0) - clock.now()) / 1000));
  }

  private async audit(
    ctx: RequestContext,
    action: string,
    target: { type: 'user'; id: string | null; label: string | null },
    details: Record<string, unknown>,
  ): Promise<void> {
    const { database, clock } = this.deps;
    // In a transaction of its own: the chain's append is serialised only inside one.
    await database.transaction((trx) => recordAudit(trx, clock, ctx, { action, target, details }));
  }
}

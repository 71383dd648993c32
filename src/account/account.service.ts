import type { Database } from '../db/database.ts';
import type { Clock } from '../shared/clock.ts';
import { AppError } from '../shared/errors.ts';
import type { AuthedContext } from '../shared/request-context.ts';
import { assertCapability } from '../permissions/capabilities.ts';
import { recordAudit } from '../audit/audit.ts';
import type { PasswordHasher } from '../credentials/password-hasher.ts';
import { passwordFieldErrors } from '../credentials/password-policy.ts';
import type { SettingsService } from '../settings/settings.service.ts';
import type { SessionService } from '../sessions/sessions.service.ts';
import { findUserRow, setPasswordHash } from '../users/users.store.ts';
import { deleteOtherSessionsOfUser } from '../sessions/sessions.store.ts';
import type { LockoutGuard } from '../auth/lockout-guard.ts';
import { checkCurrentPassword } from './current-password.ts';

// My Profile actions of the signed-in user on their own account (R-ADM-16).

export class AccountService {
  private readonly deps: {
    database: Database;
    clock: Clock;
    hasher: PasswordHasher;
    settings: SettingsService;
    sessions: SessionService;
    lockout: LockoutGuard;
  };

  constructor(deps: AccountService['deps']) {
    this.deps = deps;
  }

  /** Returns this session's new token: a new password is a privilege change (DESIGN.md 5). */
  async changePassword(ctx: AuthedContext, current: string, next: string): Promise<string> {
    const { database, clock, hasher, settings, sessions, lockout } = this.deps;
    // Checked here too, not only by the route's declaration: this is the rule, routes vary.
    assertCapability(ctx, 'password.change');
    const row = await findUserRow(database.db, ctx.user.id);
    if (!row) throw new AppError('not_authenticated', 'Sign in first.');
    if (row.password_hash === null) {
      throw new AppError('wrong_password', 'The current password is wrong.', {
        fieldErrors: [{ field: 'currentPassword', message: 'is wrong', kind: 'wrong_password' }],
      });
    }
    await checkCurrentPassword(lockout, ctx, row.password_hash, current, 'currentPassword');
    const problems = passwordFieldErrors((await settings.get()).passwordPolicy, next, 'newPassword');
    if (problems.length > 0) {
      throw new AppError(
        'password_policy',
        `The new password ${problems.map((p) => p.message).join(', ')}.`,
        {
          fieldErrors: problems,
        },
      );
    }
    const hash = await hasher.hash(next);
    const now = clock.now();
    await database.transaction(async (trx) => {
      await setPasswordHash(trx, ctx.user.id, hash, now);
      // Someone who knew the old password is signed out everywhere else.
      await deleteOtherSessionsOfUser(trx, ctx.user.id, ctx.session!.id);
      await recordAudit(trx, clock, ctx, {
        action: 'account.password_changed',
        target: { type: 'user', id: ctx.user.id, label: ctx.user.displayName },
        changes: { password: { before: '[redacted]', after: '[redacted]' } },
      });
    });
    await sessions.forgetUser(ctx.user.id);
    const token = await sessions.rotate(ctx.session!.id);
    if (token === null) throw new AppError('not_authenticated', 'Sign in first.');
    return token;
  }
}

import { Secret, TOTP } from 'otpauth';
import type { AuthedContext } from '../shared/request-context.ts';
import { assertCapability } from '../permissions/capabilities.ts';
import { AppError } from '../shared/errors.ts';
import { recordAudit } from '../audit/audit.ts';
import { diff } from '../audit/audit.ts';
import { totpMatches } from '../auth/second-factor.ts';
import type { LockoutGuard } from '../auth/lockout-guard.ts';
import { checkCurrentPassword } from './current-password.ts';
import { findUserRow } from '../users/users.store.ts';
import { changeOwn, type SelfChangeDeps } from './self-change.ts';
import { assertLoginCodesDeliverable, type MailTransport } from '../mail/transport.ts';
import { deleteTotpEnrolment, reserveTotpEnrolmentAttempt, saveTotpEnrolment } from './account.store.ts';

// Two-factor settings from My Profile (R-ADM-13, R-ADM-16): enrol an authenticator app (the
// secret is made here, shown once, and takes effect only when a code from the app confirms
// it), switch to codes by e-mail, or switch off (asks the password). All of it is the
// capability `two_factor.change`, refused while an administrator acts as the user (R-IMP-04).

/** How long an enrolment waits for its confirming code. */
const enrolmentTtlMs = 15 * 60_000;
const maxAttempts = 5;

export interface Enrolment {
  secret: string;
  uri: string;
  expiresAt: number;
}

export class TwoFactorService {
  private readonly deps: SelfChangeDeps & { lockout: LockoutGuard; issuer: string; mail: MailTransport };

  constructor(deps: TwoFactorService['deps']) {
    this.deps = deps;
  }

  async startTotp(ctx: AuthedContext): Promise<Enrolment> {
    assertCapability(ctx, 'two_factor.change');
    const { database, clock, issuer } = this.deps;
    const secret = new Secret({ size: 20 });
    const now = clock.now();
    const expiresAt = now + enrolmentTtlMs;
    const label = ctx.user.username ?? ctx.user.primaryEmail ?? ctx.user.id;
    const totp = new TOTP({ issuer, label, secret, digits: 6, period: 30, algorithm: 'SHA1' });
    await database.transaction(async (trx) => {
      await saveTotpEnrolment(trx, {
        user_id: ctx.user.id,
        secret: secret.base32,
        created_at: now,
        expires_at: expiresAt,
      });
      await recordAudit(trx, clock, ctx, {
        action: 'account.totp_enrolment_started',
        target: { type: 'user', id: ctx.user.id, label: ctx.user.displayName },
      });
    });
    return { secret: secret.base32, uri: totp.toString(), expiresAt };
  }

  async confirmTotp(ctx: AuthedContext, code: string): Promise<void> {
    assertCapability(ctx, 'two_factor.change');
    const { database, clock } = this.deps;
    // Taken before the code is checked: parallel guesses never check more than maxAttempts.
    const secret = await reserveTotpEnrolmentAttempt(database.db, ctx.user.id, clock.now(), maxAttempts);
    if (secret === undefined) {
      throw new AppError('no_pending_enrolment', 'Start setting up the authenticator app again.');
    }
    if (!totpMatches(secret, code.trim(), clock.now())) {
      throw new AppError('invalid_code', 'This code is not right; check the time on your device.', {
        fieldErrors: [{ field: 'code', message: 'is not valid', kind: 'invalid_code' }],
      });
    }
    await changeOwn(this.deps, ctx, ({ user }) => ({
      values: { two_factor_method: 'totp', totp_secret: secret },
      changes: diff({ twoFactorMethod: user.twoFactorMethod }, { twoFactorMethod: 'totp' }),
      // A new app replaces an old one even when the method stays the same.
      always: true,
      auditAction: 'account.two_factor_changed',
      alsoInTransaction: (trx) => deleteTotpEnrolment(trx, user.id),
    }));
  }

  /** E-mail codes, or none (which asks the password: it lowers the account's protection). */
  async setMethod(ctx: AuthedContext, method: 'none' | 'email', password: string | undefined): Promise<void> {
    assertCapability(ctx, 'two_factor.change');
    const { database, lockout } = this.deps;
    // Issue 10 #14: codes that cannot arrive would lock the user out at the next login.
    if (method === 'email') assertLoginCodesDeliverable(this.deps.mail);
    if (method === 'none') {
      const row = await findUserRow(database.db, ctx.user.id);
      // A user without a password (linked accounts only) has nothing to type here.
      const stored = row?.password_hash ?? null;
      if (stored !== null) await checkCurrentPassword(lockout, ctx, stored, password ?? '', 'password');
    }
    await changeOwn(this.deps, ctx, ({ user }) => {
      if (method === 'email' && user.primaryEmail === null) {
        throw new AppError('validation_failed', 'Codes by e-mail need an e-mail address.', {
          fieldErrors: [{ field: 'method', message: 'needs an e-mail address', kind: 'needs_email' }],
        });
      }
      return {
        // Leaving the app drops its secret: coming back takes a new enrolment.
        values: { two_factor_method: method, totp_secret: null },
        changes: diff({ twoFactorMethod: user.twoFactorMethod }, { twoFactorMethod: method }),
        auditAction: 'account.two_factor_changed',
      };
    });
  }
}

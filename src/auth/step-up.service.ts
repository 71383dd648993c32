import type { Database } from '../db/database.ts';
import type { AuthedContext } from '../shared/request-context.ts';
import type { Clock } from '../shared/clock.ts';
import { AppError } from '../shared/errors.ts';
import { recordAudit } from '../audit/audit.ts';
import { setProvenAt } from '../sessions/proof.store.ts';
import { findUserRow } from '../users/users.store.ts';
import type { LockoutGuard } from './lockout-guard.ts';
import {
  codeChallengeTtlMs,
  maxCodeAttemptsPerChallenge,
  newEmailCode,
  sameCode,
  totpMatches,
} from './second-factor.ts';
import { stepUpCodeMail } from './code-mails.ts';
import { enqueueMail } from '../mail/mail.ts';
import { newId } from '../shared/ids.ts';
import { consumeChallenge, findChallenge, reserveChallengeAttempt } from './login-challenges.store.ts';
import { replaceStepUpChallenge, stepUpChallengeKey } from './step-up.store.ts';
import { hashToken } from '../sessions/token.ts';

// Issue 12 #5, step-up: a signed-in user proves their password or authenticator code again,
// on the server, and their session records when. Each guess goes through the lockout exactly
// as a login's does (the same count, reservation before the check, hash queue, audit): a
// session must not make guessing cheaper than the sign-in page (R-ADM-14, R-OPS-05).

export type StepUpProof = { password: string } | { code: string };

export class StepUpService {
  private readonly deps: { database: Database; clock: Clock; lockout: LockoutGuard };

  constructor(deps: StepUpService['deps']) {
    this.deps = deps;
  }

  async prove(ctx: AuthedContext, proof: StepUpProof): Promise<{ provenAt: number }> {
    const { database, clock, lockout } = this.deps;
    const { session, row } = await this.ownAccount(ctx);
    const account = { id: row.id, label: ctx.user.displayName };
    const field = 'password' in proof ? 'password' : 'code';
    const wrong = () =>
      'password' in proof
        ? new AppError('wrong_password', 'The password is wrong.', {
            fieldErrors: [{ field, message: 'is wrong', kind: 'wrong_password' }],
          })
        : new AppError('invalid_code', 'The code is wrong.', {
            fieldErrors: [{ field, message: 'is wrong', kind: 'invalid_code' }],
          });
    let outcome: 'right' | 'wrong' | 'locked';
    if ('password' in proof) {
      if (row.password_hash === null) throw wrong();
      ({ outcome } = await lockout.password(ctx, account, row.password_hash, proof.password, {
        failedAction: 'auth.step_up_failed',
        // As at login: a right password alone does not wipe out wrong second-factor codes.
        onRight: row.two_factor_method === 'none' ? 'forgive' : 'give-back',
        details: { method: 'password' },
      }));
    } else if (row.two_factor_method === 'email') {
      // The code sent by sendCode: the code's own limit and the account's lockout both count.
      const challenge = await findChallenge(database.db, stepUpChallengeKey(session.id));
      if (
        !challenge ||
        !(await reserveChallengeAttempt(database.db, challenge.id, clock.now(), maxCodeAttemptsPerChallenge))
      )
        throw wrong();
      const hashed = hashToken(proof.code + row.id);
      const check = () =>
        Promise.resolve(challenge.code_hash !== null && sameCode(challenge.code_hash, hashed));
      ({ outcome } = await lockout.attempt(ctx, account, check, {
        failedAction: 'auth.step_up_failed',
        onRight: 'forgive',
        details: { method: 'email' },
      }));
      // Single use: of two requests with the right code, only the one that deletes it proves.
      if (outcome === 'right' && !(await consumeChallenge(database.db, challenge.id))) throw wrong();
    } else {
      const secret = row.two_factor_method === 'totp' ? row.totp_secret : null;
      if (secret === null) throw wrong();
      const check = () => Promise.resolve(totpMatches(secret, proof.code, clock.now()));
      ({ outcome } = await lockout.attempt(ctx, account, check, {
        failedAction: 'auth.step_up_failed',
        onRight: 'forgive',
        details: { method: 'totp' },
      }));
    }
    if (outcome === 'locked') {
      throw new AppError('account_locked', 'Too many wrong passwords: your account is locked for a while.', {
        retryAfter: await lockout.secondsLocked(row.id),
      });
    }
    if (outcome === 'wrong') throw wrong();
    const now = clock.now();
    await database.transaction(async (trx) => {
      await setProvenAt(trx, session.id, now);
      await recordAudit(trx, clock, ctx, {
        action: 'auth.step_up',
        target: { type: 'session', id: session.id, label: ctx.user.displayName },
        details: { method: 'password' in proof ? 'password' : row.two_factor_method },
      });
    });
    return { provenAt: now };
  }

  /**
   * Sends a step-up code to the primary address of an account with e-mail codes, replacing
   * an earlier one of this session. Answers nothing about the code; refused while acting.
   */
  async sendCode(ctx: AuthedContext): Promise<void> {
    const { database, clock } = this.deps;
    const { session, row } = await this.ownAccount(ctx);
    if (row.two_factor_method !== 'email' || row.primary_email === null) {
      throw new AppError('validation_failed', 'Your account gets no codes by e-mail; use your password.');
    }
    const code = newEmailCode();
    const now = clock.now();
    const to = row.primary_email;
    await database.transaction(async (trx) => {
      await replaceStepUpChallenge(trx, {
        id: newId(now),
        token_hash: stepUpChallengeKey(session.id),
        user_id: row.id,
        method: 'email',
        code_hash: hashToken(code + row.id),
        attempts: 0,
        created_at: now,
        expires_at: now + codeChallengeTtlMs,
      });
      // Marked login_code: the outbox listing and the mail log never show its subject or body.
      await enqueueMail(trx, clock, { to, ...stepUpCodeMail(row.language, code) }, 'login_code');
    });
  }

  /**
   * The signed-in account's own session and row. Refused while acting: the acting session is
   * the subject's, and nobody proves the subject's credentials in their name.
   */
  private async ownAccount(ctx: AuthedContext) {
    if (ctx.impersonationId !== null) {
      throw new AppError(
        'admin_unavailable_while_impersonating',
        'Go back to your account to confirm who you are.',
      );
    }
    const session = ctx.session;
    const row = await findUserRow(this.deps.database.db, ctx.user.id);
    if (!session || !row) throw new AppError('not_authenticated', 'Sign in first.');
    return { session, row };
  }
}

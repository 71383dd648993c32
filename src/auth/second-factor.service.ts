import type { FastifyReply } from 'fastify';
import type { Config } from '../config.ts';
import type { Database } from '../db/database.ts';
import type { Clock } from '../shared/clock.ts';
import { AppError } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import { displayName, type User } from '../users/user.ts';
import type { RequestContext } from '../shared/request-context.ts';
import { enqueueMail } from '../mail/mail.ts';
import { hashToken, newToken, looksLikeToken } from '../sessions/token.ts';
import { findUserRow, toUser } from '../users/users.store.ts';
import type { LockoutGuard } from './lockout-guard.ts';
import type { LoginService } from './login.service.ts';
import {
  consumeChallenge,
  findChallenge,
  insertChallenge,
  reserveChallengeAttempt,
} from './login-challenges.store.ts';
import {
  codeChallengeTtlMs,
  maxCodeAttemptsPerChallenge,
  newEmailCode,
  sameCode,
  totpMatches,
  type ChallengeMethod,
} from './second-factor.ts';
import { loginCodeMail } from './code-mails.ts';

// The second login step. After a right password, an account with two-factor authentication
// gets a challenge (a short-lived cookie) instead of a session; the code completes it. Wrong
// codes count towards the same lockout as wrong passwords (R-ADM-14).

const challengeCookie = 'behalf_login_challenge';

export class SecondFactorService {
  private readonly deps: {
    config: Config;
    database: Database;
    clock: Clock;
    login: LoginService;
    lockout: LockoutGuard;
  };

  constructor(deps: SecondFactorService['deps']) {
    this.deps = deps;
  }

  async begin(user: User, reply: FastifyReply) {
    const { database, clock } = this.deps;
    const method = user.twoFactorMethod as ChallengeMethod;
    const token = newToken();
    const now = clock.now();
    const code = method === 'email' ? newEmailCode() : null;
    await database.transaction(async (trx) => {
      await insertChallenge(trx, {
        id: newId(now),
        token_hash: hashToken(token),
        user_id: user.id,
        method,
        // The code is stored hashed, like a session token: the table alone reveals nothing.
        code_hash: code === null ? null : hashToken(code + user.id),
        attempts: 0,
        created_at: now,
        expires_at: now + codeChallengeTtlMs,
      });
      if (code !== null && user.primaryEmail) {
        // Marked login_code: the outbox listing and the mail log never show its subject or body.
        await enqueueMail(trx, clock, { to: user.primaryEmail, ...loginCodeMail(user, code) }, 'login_code');
      }
    });
    void reply.setCookie(challengeCookie, token, {
      httpOnly: true,
      secure: this.deps.config.publicUrl.startsWith('https://'),
      sameSite: 'strict',
      path: '/api/v1/auth',
      maxAge: codeChallengeTtlMs / 1000,
    });
    return { secondFactorRequired: true, method };
  }

  /**
   * Checks the code; on success the challenge becomes a session (returns its token). Each
   * check first reserves a place both in the challenge's own limit and in the account's
   * lockout, atomically, so parallel guesses never check more codes than either allows
   * (R-ADM-14, R-OPS-05); a right code is used once.
   */
  async complete(
    ctx: RequestContext,
    challengeToken: string | undefined,
    code: string,
  ): Promise<{ token: string; user: User }> {
    const { database, clock, lockout } = this.deps;
    const invalid = () =>
      new AppError('invalid_second_factor', 'The code is wrong or has expired; log in again.');
    if (!looksLikeToken(challengeToken)) throw invalid();
    const challenge = await findChallenge(database.db, hashToken(challengeToken));
    if (!challenge) throw invalid();
    const now = clock.now();
    if (!(await reserveChallengeAttempt(database.db, challenge.id, now, maxCodeAttemptsPerChallenge))) {
      throw invalid();
    }
    const row = await findUserRow(database.db, challenge.user_id);
    if (!row) throw invalid();
    const user = toUser(row);
    if (!user.active) throw invalid();

    const check = () =>
      Promise.resolve(
        challenge.method === 'email'
          ? challenge.code_hash !== null && sameCode(challenge.code_hash, hashToken(code + user.id))
          : row.totp_secret !== null && totpMatches(row.totp_secret, code, now),
      );
    const { outcome } = await lockout.attempt(ctx, { id: user.id, label: displayName(user) }, check, {
      failedAction: 'auth.second_factor_failed',
      onRight: 'forgive',
      details: { method: challenge.method },
    });
    if (outcome !== 'right') throw invalid();
    // Single use: of two requests with the right code, only the one that deletes it signs in.
    if (!(await consumeChallenge(database.db, challenge.id))) throw invalid();
    return { token: await this.deps.login.startSession(ctx, user), user };
  }

  cookieName(): string {
    return challengeCookie;
  }
}

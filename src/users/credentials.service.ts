import type { Tx } from '../db/database.ts';
import type { Clock } from '../shared/clock.ts';
import { AppError } from '../shared/errors.ts';
import type { AuthedContext, RequestContext } from '../shared/request-context.ts';
import { authorize } from '../permissions/authorize.ts';
import { emit, type DomainHooks } from '../shared/hooks.ts';
import type { SettingsService } from '../settings/settings.service.ts';
import type { PasswordHasher } from '../credentials/password-hasher.ts';
import { generatePassword, passwordFieldErrors } from '../credentials/password-policy.ts';
import { deleteSessionsOfUser } from '../sessions/sessions.store.ts';
import { assertLoginCodesDeliverable, type MailTransport } from '../mail/transport.ts';
import type { TwoFactorMethod } from './user.ts';
import { planLoginAttemptsReset, planTwoFactor } from './user-changes.ts';
import type { PlannedChange, UserAggregate, UsersService } from './users.service.ts';

// An administrator's (and the operator's) changes to how a user signs in: password (R-ADM-12),
// two-factor method (R-ADM-13), login attempts (R-ADM-14). Each goes through
// UsersService.change, so it is authorized with `users.credentials` (R-ADM-08), honours
// If-Match, bumps the user's version and is audited in one transaction.

export class UserCredentialsService {
  private readonly deps: {
    users: UsersService;
    clock: Clock;
    settings: SettingsService;
    hasher: PasswordHasher;
    hooks: DomainHooks;
    mail: MailTransport;
  };

  constructor(deps: UserCredentialsService['deps']) {
    this.deps = deps;
  }

  /** R-ADM-12: a password that satisfies the policy, for who may set the user's credentials. Nothing is stored. */
  async generatePassword(ctx: AuthedContext, id: string): Promise<string> {
    const { user } = await this.deps.users.load(id);
    authorize(ctx, 'users.credentials', user);
    return generatePassword((await this.deps.settings.get()).passwordPolicy);
  }

  /** R-ADM-12: sets the password, which must satisfy the policy; every session of the user ends. */
  setPassword(ctx: AuthedContext, id: string, ifMatch: number | null, password: string) {
    return this.deps.users.change(ctx, id, ifMatch, 'users.credentials', async () => {
      // After authorization (change() asks first): who may not set it learns nothing of the policy.
      const policy = (await this.deps.settings.get()).passwordPolicy;
      const problemsFound = passwordFieldErrors(policy, password, 'password');
      if (problemsFound.length > 0) {
        const said = problemsFound.map((p) => p.message).join(', ');
        throw new AppError('password_policy', `The password ${said}.`, { fieldErrors: problemsFound });
      }
      return this.passwordPlan(ctx, id, await this.deps.hasher.hash(password));
    });
  }

  /**
   * The operator's reset from the server's host (`npm run admin`): a generated password (it
   * satisfies the policy by construction), with the same effects as an administrator's.
   */
  async operatorSetPassword(ctx: RequestContext, id: string, password: string): Promise<UserAggregate> {
    const hash = await this.deps.hasher.hash(password);
    return this.deps.users.operatorChange(ctx, id, () => this.passwordPlan(ctx, id, hash));
  }

  /** R-ADM-13 (admin side): none or e-mail codes, never an authenticator app. */
  setTwoFactor(ctx: AuthedContext, id: string, ifMatch: number | null, method: TwoFactorMethod) {
    return this.deps.users.change(ctx, id, ifMatch, 'users.credentials', ({ user }) => {
      // Issue 10 #14 (after authorization): codes that cannot arrive lock the user out.
      if (method === 'email') assertLoginCodesDeliverable(this.deps.mail);
      return planTwoFactor(user, method);
    });
  }

  /** R-ADM-14: lifts a lock at once. */
  resetLoginAttempts(ctx: AuthedContext, id: string, ifMatch: number | null) {
    return this.deps.users.change(ctx, id, ifMatch, 'users.credentials', ({ user }) =>
      planLoginAttemptsReset(user, this.deps.clock.now()),
    );
  }

  private passwordPlan(ctx: RequestContext, id: string, hash: string): PlannedChange {
    return {
      values: { password_hash: hash, password_changed_at: this.deps.clock.now() },
      changes: { password: { before: '[redacted]', after: '[redacted]' } },
      auditAction: 'user.password_set',
      // A reset is what an administrator does when an account may be taken over: every
      // session of the user ends with it (issue 7 #14).
      details: { sessionsEnded: 'all' },
      alsoInTransaction: (trx) => this.endAccess(trx, ctx, id),
      always: true,
    };
  }

  /**
   * Inside the transaction of a password reset (issue 7 #14): whoever was signed in with the
   * old password, or holds a session an attacker may have taken over, is out. Impersonations
   * of and by the user end through their ending function (audited, notified); then every
   * session row of the user goes. UsersService.change's `forgetUser` after the commit drops
   * cached sessions on every instance.
   */
  private async endAccess(trx: Tx, ctx: RequestContext, userId: string): Promise<void> {
    await emit(this.deps.hooks.credentialsReset, trx, ctx, { userId });
    await deleteSessionsOfUser(trx, userId);
  }
}

import type { Database } from '../db/database.ts';
import type { Clock } from '../shared/clock.ts';
import { AppError } from '../shared/errors.ts';
import type { RequestContext } from '../shared/request-context.ts';
import { recordAudit } from '../audit/audit.ts';
import { emit, type DomainHooks } from '../shared/hooks.ts';
import type { PasswordHasher } from '../credentials/password-hasher.ts';
import type { SettingsService } from '../settings/settings.service.ts';
import type { SessionService } from '../sessions/sessions.service.ts';
import { findUserRowByLogin, setPasswordHash, toUser } from '../users/users.store.ts';
import { displayName, principalOf, type User } from '../users/user.ts';
import type { LockoutGuard } from './lockout-guard.ts';

// Password login (R-ADM-14, R-ADM-05). Wrong password, unknown login, locked or inactive
// account: one answer, at one cost, so nobody learns which accounts exist or are locked.

const wrong = () => new AppError('invalid_credentials', 'The login or the password is wrong.');

export type LoginResult =
  { kind: 'session'; token: string; user: User } | { kind: 'second-factor'; user: User };

export class LoginService {
  private readonly database: Database;
  private readonly clock: Clock;
  private readonly hasher: PasswordHasher;
  private readonly settings: SettingsService;
  private readonly sessions: SessionService;
  private readonly lockout: LockoutGuard;
  private readonly hooks: DomainHooks;

  constructor(deps: {
    database: Database;
    clock: Clock;
    hasher: PasswordHasher;
    settings: SettingsService;
    sessions: SessionService;
    lockout: LockoutGuard;
    hooks: DomainHooks;
  }) {
    this.database = deps.database;
    this.clock = deps.clock;
    this.hasher = deps.hasher;
    this.settings = deps.settings;
    this.sessions = deps.sessions;
    this.lockout = deps.lockout;
    this.hooks = deps.hooks;
  }

  /**
   * Checks the password. Returns the user when it is right and the account may log in;
   * otherwise one answer. Unknown logins, accounts without a password and switched-off
   * password login take the lockout's stand-in path, which costs what a wrong password costs
   * (the same queries, reservation write, hash and audited failure: issue 7 #13).
   */
  async checkPassword(ctx: RequestContext, login: string, password: string): Promise<User> {
    // A flood beyond the hash queue is refused before any database work (fast 429s).
    this.hasher.assertCapacity();
    const settings = await this.settings.get();
    const db = this.database.db;
    const row = await findUserRowByLogin(db, login);
    if (!settings.login.passwordLoginEnabled || !row || row.password_hash === null) {
      await this.lockout.unknown(ctx, password, 'auth.login_failed');
      throw wrong();
    }
    const user = toUser(row);
    const { outcome } = await this.lockout.password(
      ctx,
      { id: user.id, label: displayName(user) },
      row.password_hash,
      password,
      // With a second factor to come, the password alone does not wipe out wrong codes.
      {
        failedAction: 'auth.login_failed',
        onRight: user.twoFactorMethod === 'none' ? 'forgive' : 'give-back',
      },
    );
    if (outcome !== 'right') throw wrong();
    if (!user.active) {
      await this.database.transaction((trx) =>
        recordAudit(trx, this.clock, ctx, {
          action: 'auth.login_failed',
          target: { type: 'user', id: user.id, label: displayName(user) },
          details: { inactive: true },
        }),
      );
      throw wrong();
    }
    if (this.hasher.needsRehash(row.password_hash)) {
      const now = this.clock.now();
      await setPasswordHash(db, user.id, await this.hasher.hash(password), row.password_changed_at ?? now);
    }
    return user;
  }

  async login(ctx: RequestContext, login: string, password: string): Promise<LoginResult> {
    const user = await this.checkPassword(ctx, login, password);
    if (user.twoFactorMethod !== 'none') return { kind: 'second-factor', user };
    return { kind: 'session', token: await this.startSession(ctx, user), user };
  }

  /** Opens a session for a user who has proven who they are, and audits it. */
  async startSession(ctx: RequestContext, user: User): Promise<string> {
    const { token, row } = await this.sessions.prepare(user.id, { ip: ctx.ip, userAgent: ctx.userAgent });
    // The session and its audit event commit together (one durable commit, not two).
    await this.database.transaction(async (trx) => {
      await this.sessions.insert(trx, row);
      await recordAudit(
        trx,
        this.clock,
        { ...ctx, user: principalOf(user), session: { id: row.id } },
        { action: 'auth.login', target: { type: 'session', id: row.id, label: displayName(user) } },
      );
    });
    return token;
  }

  async logout(ctx: RequestContext): Promise<void> {
    if (!ctx.session || !ctx.user) return;
    const { session, user } = ctx;
    // The session's end and its audit event commit together, under the chain lock (issue 7 #8).
    await this.database.transaction(async (trx) => {
      await this.sessions.remove(trx, session.id);
      await emit(this.hooks.sessionLoggedOut, trx, ctx, { sessionId: session.id });
      await recordAudit(trx, this.clock, ctx, {
        action: 'auth.logout',
        target: { type: 'session', id: session.id, label: user.displayName },
      });
    });
    await this.sessions.forgetSession(session.id);
  }
}

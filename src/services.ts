import type { Config } from './config.ts';
import type { Database } from './db/database.ts';
import type { Clock } from './shared/clock.ts';
import { createHooks, type DomainHooks } from './shared/hooks.ts';
import { PasswordHasher } from './credentials/password-hasher.ts';
import { SettingsService } from './settings/settings.service.ts';
import { SessionService } from './sessions/sessions.service.ts';
import { LoginService } from './auth/login.service.ts';
import { SecondFactorService } from './auth/second-factor.service.ts';
import { LockoutGuard } from './auth/lockout-guard.ts';
import { UsersService } from './users/users.service.ts';
import { UserCredentialsService } from './users/credentials.service.ts';
import { TermsService } from './terms/terms.service.ts';
import { EmailsService } from './users/emails.service.ts';
import { MergeService } from './users/merge/merge.service.ts';
import { pino } from 'pino';
import { MailWorker, type MailLogger } from './mail/mail-worker.ts';
import { TemplatesService } from './notifications/templates.service.ts';
import { NotificationsService } from './notifications/notifications.service.ts';
import { SubjectViewService } from './impersonation/subject-view.service.ts';
import { ImpersonationService } from './impersonation/impersonation.service.ts';
import { impersonationPorts } from './impersonation/wiring.ts';
import { ApprovalsService } from './impersonation/approvals.service.ts';
import { reachesOf } from './orgs/reach.store.ts';
import { AccountService } from './account/account.service.ts';
import { ProfileService } from './account/profile.service.ts';
import { AccountEmailsService } from './account/emails.service.ts';
import { TwoFactorService } from './account/two-factor.service.ts';
import { PreferencesService } from './preferences/preferences.service.ts';
import { OrgsService } from './orgs/orgs.service.ts';
import { AuditIntegrity } from './audit/integrity.ts';
import { installAuditMacKey, loadAuditKeys } from './audit/keys.ts';
import { hkdfSync } from 'node:crypto';
import { AppsService } from './oidc/apps.service.ts';
import { LoginServicesService } from './login-services/login-services.service.ts';
import { LoginServiceFlows } from './login-services/flows.service.ts';
import { LinkedAccountsService } from './linked-accounts/linked-accounts.service.ts';
import { LogoutWorker } from './oidc/logout-worker.ts';
import { queueBackchannelLogout } from './oidc/logout.store.ts';

/** Everything the routes need, built once per process (or per test server). */
export interface Services {
  config: Config;
  database: Database;
  clock: Clock;
  hooks: DomainHooks;
  hasher: PasswordHasher;
  settings: SettingsService;
  sessions: SessionService;
  /** The lockout (R-ADM-14): every password or second-factor guess reserves its place. */
  lockout: LockoutGuard;
  login: LoginService;
  secondFactor: SecondFactorService;
  users: UsersService;
  /** An administrator's changes to a user's password, two-factor method and login attempts. */
  userCredentials: UserCredentialsService;
  terms: TermsService;
  emails: EmailsService;
  /** Connecting two profiles of one person (R-ADM-10). */
  merge: MergeService;
  /** Delivers the outbox; main.ts starts it, tests call runOnce(). */
  mailWorker: MailWorker;
  notificationTemplates: TemplatesService;
  /** notify() is what other modules call, inside their transaction (R-IMP-09). */
  notifications: NotificationsService;
  impersonation: ImpersonationService;
  /** Issue 12: "who acted as me", the subject's view of their impersonations. */
  impersonationsOfMe: SubjectViewService;
  approvals: ApprovalsService;
  /** Power users, groups, domains, and a power user's reach (R-IMP-02). */
  orgs: OrgsService;
  account: AccountService;
  /** My Profile (R-ADM-16): profile, own sessions; e-mails; two-factor. */
  accountProfile: ProfileService;
  accountEmails: AccountEmailsService;
  accountTwoFactor: TwoFactorService;
  preferences: PreferencesService;
  /** The audit trail's keys, checkpoints and verification (issue 7 #9). */
  auditIntegrity: AuditIntegrity;
  /** The platform's apps signing in through Behalf (issue 9). */
  apps: AppsService;
  /** External login services (issue 8): their administration, and signing in / linking with them. */
  loginServices: LoginServicesService;
  loginServiceFlows: LoginServiceFlows;
  /** Linked accounts at login services: My Profile and the admin user page (issue 8). */
  linkedAccounts: LinkedAccountsService;
  /** Delivers back-channel logout tokens (a background job; tests call runOnce()). */
  oidcLogout: LogoutWorker;
  /**
   * The OpenID Provider's cookie-signing secret, derived from the audit HMAC key (outside the
   * database), so that every instance of an installation signs alike.
   */
  oidcSecret: Buffer;
}

/**
 * The domain events (shared/hooks.ts) and who handles them, in one place rather than in
 * constructors: services are told the event object at construction and never set callbacks on
 * each other. Handlers run in this order, inside the transaction of the change that caused them.
 */
function subscribe(
  hooks: DomainHooks,
  { sessions, orgs, impersonation, clock }: Pick<Services, 'sessions' | 'orgs' | 'impersonation' | 'clock'>,
): void {
  // A privilege change gives the user's sessions new tokens (DESIGN.md section 5).
  hooks.userChanged.push((trx, _ctx, event) => sessions.userChanged(trx, event));
  // R-IMP-10, R-IMP-12: what the rule no longer allows ends.
  hooks.userChanged.push((trx, ctx, e) => impersonation.recheck(trx, ctx, e.userId, e.fields));
  // A deleted user leaves every power user's resources with the deletion itself.
  hooks.userDeleted.push((trx, _ctx, e) => orgs.userDeleted(trx, e.userId));
  hooks.userDeleted.push((trx, ctx, e) => impersonation.userDeleted(trx, ctx, e.userId));
  hooks.termsRevoked.push((trx, ctx, e) => impersonation.termsRevoked(trx, ctx, e.userId));
  hooks.credentialsReset.push((trx, ctx, e) => impersonation.credentialsReset(trx, ctx, e.userId));
  // Issue 9: a Behalf session's logout tells the apps signed in through it.
  hooks.sessionLoggedOut.push(async (trx, _ctx, { sessionId }) => {
    await queueBackchannelLogout(trx, { sessionId }, 'logout', clock.now());
  });
  hooks.impersonationExpired.push((impersonationId) => impersonation.expire(impersonationId));
}

export function createServices(
  config: Config,
  database: Database,
  clock: Clock,
  options: { logger?: MailLogger } = {},
): Services {
  const hooks = createHooks();
  const auditKeys = loadAuditKeys(
    { hmacKey: config.auditHmacKey, signingKey: config.auditSigningKey, keyDir: config.auditKeyDir },
    { create: true },
  );
  installAuditMacKey(auditKeys.macKey);
  const auditIntegrity = new AuditIntegrity({ database, clock, keys: auditKeys });
  const hasher = new PasswordHasher(config.hashConcurrency, config.hashQueueLimit, {
    nice: config.hashNice,
  });
  const settings = new SettingsService(database, clock);
  const sessions = new SessionService(database, clock, settings, hooks);
  const lockout = new LockoutGuard({ database, clock, hasher, settings });
  const login = new LoginService({ database, clock, hasher, settings, sessions, lockout, hooks });
  const secondFactor = new SecondFactorService({ config, database, clock, login, lockout });
  const mail = { smtpUrl: config.smtpUrl, logCodes: config.mailLogCodes };
  const users = new UsersService({ database, clock, settings, sessions, hooks });
  const userCredentials = new UserCredentialsService({ users, clock, settings, hasher, hooks, mail });
  const emails = new EmailsService({ users, clock });
  const merge = new MergeService({ database, clock, users, sessions, hooks });
  const orgs = new OrgsService({ database, clock, hooks, users });
  const terms = new TermsService({ database, clock, hooks });
  const mailWorker = new MailWorker({
    database,
    clock,
    logger: options.logger ?? pino({ level: config.logLevel, name: 'mail' }),
    smtpUrl: config.smtpUrl,
    logCodes: config.mailLogCodes,
    from: config.mailFrom,
  });
  const notificationTemplates = new TemplatesService({ database, clock });
  const notifications = new NotificationsService({
    database,
    clock,
    settings,
    templates: notificationTemplates,
    wakeMailer: () => mailWorker.wake(),
  });
  // Issue 12 #3, #4: asks the impersonation rule (the preview) before accepting a request.
  const approvals: ApprovalsService = new ApprovalsService({
    database,
    clock,
    settings,
    notify: (trx, input) => notifications.notify(trx, input),
    reachesOf,
    publicUrl: config.publicUrl,
    mayStart: (ctx, subjectId) => impersonation.preview(ctx, subjectId),
  });
  const impersonation: ImpersonationService = new ImpersonationService({
    approvals,
    database,
    clock,
    settings,
    sessions,
    ports: impersonationPorts({ notifications, terms, clock }),
    publicUrl: config.publicUrl,
  });
  const impersonationsOfMe = new SubjectViewService({ database, ender: impersonation.ending });
  const account = new AccountService({ database, clock, hasher, settings, sessions, lockout });
  const preferences = new PreferencesService({ database, clock });
  const selfDeps = { database, clock, hooks, sessions };
  const accountProfile = new ProfileService(selfDeps);
  const accountEmails = new AccountEmailsService({
    ...selfDeps,
    publicUrl: config.publicUrl,
    wakeMailer: () => mailWorker.wake(),
  });
  const accountTwoFactor = new TwoFactorService({ ...selfDeps, lockout, issuer: 'Behalf', mail });
  const oidcSecret = Buffer.from(hkdfSync('sha256', auditKeys.macKey, Buffer.alloc(0), 'behalf oidc', 32));
  const apps = new AppsService({ database, clock, secret: oidcSecret });
  const loginServices = new LoginServicesService({ database, clock, secret: oidcSecret, settings });
  const loginServiceFlows = new LoginServiceFlows({
    database,
    clock,
    publicUrl: config.publicUrl,
    loginServices,
    login,
  });
  const linkedAccounts = new LinkedAccountsService({ ...selfDeps, users, settings, orgs });
  const oidcLogout = new LogoutWorker({
    database,
    clock,
    logger: options.logger ?? pino({ level: config.logLevel, name: 'oidc-logout' }),
  });
  subscribe(hooks, { sessions, orgs, impersonation, clock });
  return {
    linkedAccounts,
    apps,
    impersonationsOfMe,
    approvals,
    loginServices,
    loginServiceFlows,
    oidcLogout,
    oidcSecret,
    auditIntegrity,
    accountProfile,
    accountEmails,
    accountTwoFactor,
    impersonation,
    account,
    preferences,
    config,
    database,
    clock,
    hooks,
    hasher,
    settings,
    sessions,
    lockout,
    login,
    secondFactor,
    users,
    userCredentials,
    emails,
    merge,
    terms,
    mailWorker,
    notificationTemplates,
    notifications,
    orgs,
  };
}

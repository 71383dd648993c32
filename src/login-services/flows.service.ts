import * as oc from 'openid-client';
import { uniqueViolation, type Database } from '../db/database.ts';
import type { AuthedContext } from '../shared/request-context.ts';
import { authorize } from '../permissions/authorize.ts';
import { assertCapability } from '../permissions/capabilities.ts';
import { recordAudit } from '../audit/audit.ts';
import type { Clock } from '../shared/clock.ts';
import { AppError, isAppError, type ErrorCode } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import type { RequestContext } from '../shared/request-context.ts';
import { hashToken } from '../sessions/token.ts';
import { findUserRow, toUser } from '../users/users.store.ts';
import { displayName, type User } from '../users/user.ts';
import { lockedUntilOf } from '../auth/attempts.store.ts';
import type { LoginService } from '../auth/login.service.ts';
import {
  findLinkBySubject,
  insertLinkedAccount,
  touchLinkedAccount,
} from '../linked-accounts/linked-accounts.store.ts';
import {
  consumeLoginServiceFlow,
  deleteExpiredLoginServiceFlows,
  findLoginService,
  insertLoginServiceFlow,
  verifiedOwners,
  type LoginServiceRow,
} from './login-services.store.ts';
import type { LoginServicesService } from './login-services.service.ts';
import { RelyingParty } from './relying-party.ts';
import { secondFactorDue } from './rules.ts';

// Signing in with a login service, and linking one from My Profile (issue 8, R-ADM-11,
// R-ADM-16, R-ADM-17). The flow's state, nonce and PKCE verifier live in login_service_flows
// (the state only as its SHA-256), so any instance can finish what another started; the
// callback consumes the row once (a replayed callback finds nothing), within 10 minutes by the
// injected clock. A returning user is found by the pair (service, subject) only; nobody is ever
// created, and an e-mail address links only where the service allows it (see below).

const flowTtlMs = 10 * 60_000;

export type FlowPurpose = 'sign-in' | 'link';

export type CallbackOutcome =
  | { kind: 'session'; token: string; user: User; returnTo: string }
  | { kind: 'second-factor'; user: User; returnTo: string }
  | { kind: 'linked'; returnTo: string }
  | { kind: 'failed'; code: ErrorCode; purpose: FlowPurpose | null; returnTo: string | null };

export class LoginServiceFlows {
  private readonly deps: {
    database: Database;
    clock: Clock;
    publicUrl: string;
    loginServices: LoginServicesService;
    login: LoginService;
  };
  private readonly rp = new RelyingParty();

  constructor(deps: LoginServiceFlows['deps']) {
    this.deps = deps;
  }

  redirectUri(serviceId: string): string {
    return `${this.deps.publicUrl}/api/v1/auth/login-services/${encodeURIComponent(serviceId)}/callback`;
  }

  forget(serviceId: string): void {
    this.rp.forget(serviceId);
  }

  /** "Test connection" for administrators: discovery now, nothing cached or changed. */
  async check(ctx: AuthedContext, id: string) {
    authorize(ctx, 'settings.manage');
    const row = await this.service(id);
    const config = await this.rp.configuration(this.rpService(row), { fresh: true });
    const meta = config.serverMetadata();
    return {
      issuer: meta.issuer,
      authorizationEndpoint: meta.authorization_endpoint ?? '',
      tokenEndpoint: meta.token_endpoint ?? '',
    };
  }

  /**
   * Starts a flow: the URL of the provider's authorization endpoint. For 'sign-in' the service
   * must be shown on the sign-in page; for 'link' it must allow linking, and the flow is bound
   * to the session that starts it (and refused while acting: `linked_accounts.change`).
   */
  async start(ctx: RequestContext, serviceId: string, purpose: FlowPurpose, returnTo: string): Promise<URL> {
    const row = await this.service(serviceId);
    if (purpose === 'sign-in' && !row.show_on_sign_in)
      throw new AppError('login_service_disabled', 'This login service is not enabled for signing in.');
    let sessionId: string | null = null;
    if (purpose === 'link') {
      if (!ctx.user || !ctx.session) throw new AppError('not_authenticated', 'Sign in first.');
      assertCapability(ctx, 'linked_accounts.change');
      if (!row.allow_linking)
        throw new AppError('login_service_disabled', 'This login service cannot be linked from My Profile.');
      sessionId = ctx.session.id;
    }
    const config = await this.rp.configuration(this.rpService(row));
    const state = oc.randomState();
    const nonce = oc.randomNonce();
    const codeVerifier = oc.randomPKCECodeVerifier();
    const now = this.deps.clock.now();
    await deleteExpiredLoginServiceFlows(this.deps.database.db, now);
    await insertLoginServiceFlow(this.deps.database.db, {
      state_hash: hashToken(state),
      service_id: row.id,
      purpose,
      session_id: sessionId,
      nonce,
      code_verifier: codeVerifier,
      return_to: returnTo,
      created_at: now,
      expires_at: now + flowTtlMs,
    });
    return this.rp.authorizationUrl(config, {
      redirectUri: this.redirectUri(row.id),
      scopes: JSON.parse(row.scopes) as string[],
      state,
      nonce,
      codeChallenge: await oc.calculatePKCECodeChallenge(codeVerifier),
    });
  }

  /**
   * Finishes a flow from the provider's redirect. `query` is the callback's raw query string.
   * Every refusal is an outcome (the routes redirect with its code), never an exception: a
   * provider that is down or answers wrongly must not give the browser a 500.
   */
  async callback(ctx: RequestContext, serviceId: string, query: string): Promise<CallbackOutcome> {
    const state = new URLSearchParams(query).get('state');
    const flow = state
      ? await consumeLoginServiceFlow(this.deps.database.db, hashToken(state), this.deps.clock.now())
      : undefined;
    if (!state || !flow || flow.service_id !== serviceId) {
      await this.auditFailure(ctx, serviceId, null, 'login_service_failed', { reason: 'no such flow' });
      return { kind: 'failed', code: 'login_service_failed', purpose: null, returnTo: null };
    }
    const purpose = flow.purpose as FlowPurpose;
    try {
      const row = await this.service(serviceId);
      if (purpose === 'sign-in' && !row.show_on_sign_in)
        throw new AppError('login_service_disabled', 'This login service is not enabled for signing in.');
      if (purpose === 'link' && !row.allow_linking)
        throw new AppError('login_service_disabled', 'This login service cannot be linked.');
      const config = await this.rp.configuration(this.rpService(row));
      const callbackUrl = new URL(`${this.redirectUri(serviceId)}?${query}`);
      const claims = await this.rp.finish(config, callbackUrl, {
        state,
        nonce: flow.nonce,
        codeVerifier: flow.code_verifier,
      });
      if (purpose === 'link') {
        await this.link(ctx, row, flow.session_id, claims);
        return { kind: 'linked', returnTo: flow.return_to };
      }
      return await this.signIn(ctx, row, claims, flow.return_to);
    } catch (error) {
      if (!isAppError(error)) throw error;
      await this.auditFailure(ctx, serviceId, purpose, error.code, { reason: error.message });
      return { kind: 'failed', code: error.code, purpose, returnTo: flow.return_to };
    }
  }

  private async signIn(
    ctx: RequestContext,
    row: LoginServiceRow,
    claims: oc.IDToken,
    returnTo: string,
  ): Promise<CallbackOutcome> {
    const { database, clock } = this.deps;
    const subject = claims.sub;
    let link = await findLinkBySubject(database.db, row.id, subject);
    if (!link && row.link_by_verified_email) link = await this.linkByEmail(ctx, row, claims);
    if (!link)
      throw new AppError(
        'linked_account_unknown',
        'No Behalf profile is linked to this account of the login service; sign in otherwise and link it.',
      );
    const userRow = await findUserRow(database.db, link.user_id);
    if (!userRow) throw new AppError('linked_account_unknown', 'The linked profile no longer exists.');
    const user = toUser(userRow);
    // As for password sign-in: an inactive or locked account is refused (R-ADM-14), and the
    // service's domain restriction holds.
    if (!user.active) throw new AppError('account_inactive', 'This account is inactive.');
    const lockedUntil = await lockedUntilOf(database.db, user.id);
    if (lockedUntil !== null && lockedUntil > clock.now())
      throw new AppError('account_locked', 'This account is locked for a while after failed attempts.');
    if (row.domain_id !== null && user.domainId !== row.domain_id)
      throw new AppError(
        'login_service_wrong_domain',
        'This login service is only for users of another domain.',
      );
    await touchLinkedAccount(database.db, link.id, clock.now());
    if (secondFactorDue(user.twoFactorMethod, Boolean(row.trust_provider_mfa), claims.amr))
      return { kind: 'second-factor', user, returnTo };
    const token = await this.deps.login.startSession(ctx, user, {
      loginService: row.id,
      ...(user.twoFactorMethod !== 'none' ? { providerMfa: claims.amr ?? null } : {}),
    });
    return { kind: 'session', token, user, returnTo };
  }

  /**
   * Links at sign-in by e-mail, only where the service allows it (off by default): the provider
   * must mark the address verified, and exactly one Behalf profile must hold it verified. The
   * risk (docs/login-services.md): whoever controls that address at the provider signs in as the
   * profile, so this trusts the provider's verification as much as Behalf's own.
   */
  private async linkByEmail(ctx: RequestContext, row: LoginServiceRow, claims: oc.IDToken) {
    const email = typeof claims.email === 'string' ? claims.email : null;
    if (!email || claims.email_verified !== true) return undefined;
    const owners = await verifiedOwners(this.deps.database.db, email.toLowerCase());
    if (owners.length !== 1) return undefined;
    const now = this.deps.clock.now();
    const link = {
      id: newId(now),
      user_id: owners[0]!,
      service_id: row.id,
      subject: claims.sub,
      email,
      linked_via: 'email',
      linked_at: now,
      last_used_at: null,
    };
    const user = await findUserRow(this.deps.database.db, link.user_id);
    await this.deps.database
      .transaction(async (trx) => {
        // A parallel callback of the same subject may have linked it first: the unique pair decides.
        if (await findLinkBySubject(trx, row.id, claims.sub)) return;
        await insertLinkedAccount(trx, link);
        await recordAudit(trx, this.deps.clock, ctx, {
          action: 'linked_account.linked',
          target: { type: 'user', id: link.user_id, label: user ? displayName(toUser(user)) : null },
          details: { loginService: row.id, subject: claims.sub, email, linkedVia: 'email' },
        });
      })
      .catch((error: unknown) => {
        if (uniqueViolation(error) === null) throw error;
      });
    return findLinkBySubject(this.deps.database.db, row.id, claims.sub);
  }

  /** Links the account to the profile whose session started the flow (R-ADM-16). */
  private async link(
    ctx: RequestContext,
    row: LoginServiceRow,
    sessionId: string | null,
    claims: oc.IDToken,
  ): Promise<void> {
    // Bound to the session: the callback must come with the very session that started the flow,
    // so a link URL sent to someone else links nothing to their profile or to the sender's.
    if (!ctx.user || !ctx.session || ctx.session.id !== sessionId)
      throw new AppError('login_service_failed', 'Linking must finish in the session that started it.');
    assertCapability(ctx, 'linked_accounts.change');
    const user = ctx.user;
    if (row.domain_id !== null) {
      const userRow = await findUserRow(this.deps.database.db, user.id);
      if (!userRow || toUser(userRow).domainId !== row.domain_id)
        throw new AppError(
          'login_service_wrong_domain',
          'This login service is only for users of another domain.',
        );
    }
    const now = this.deps.clock.now();
    const email = typeof claims.email === 'string' ? claims.email : null;
    const taken = () =>
      new AppError('linked_account_taken', 'This account of the login service is linked to another profile.');
    await this.deps.database
      .transaction(async (trx) => {
        const existing = await findLinkBySubject(trx, row.id, claims.sub);
        if (existing && existing.user_id !== user.id) throw taken();
        if (existing) return;
        await insertLinkedAccount(trx, {
          id: newId(now),
          user_id: user.id,
          service_id: row.id,
          subject: claims.sub,
          email,
          linked_via: 'profile',
          linked_at: now,
          last_used_at: null,
        });
        await recordAudit(trx, this.deps.clock, ctx, {
          action: 'linked_account.linked',
          target: { type: 'user', id: user.id, label: user.displayName },
          details: { loginService: row.id, subject: claims.sub, email, linkedVia: 'profile' },
        });
      })
      .catch(async (error: unknown) => {
        // Two links of the same pair at once (PostgreSQL reads before either commits): the
        // unique (service, subject) decides; the loser is told as if it had come second.
        if (uniqueViolation(error) === null) throw error;
        const winner = await findLinkBySubject(this.deps.database.db, row.id, claims.sub);
        if (winner?.user_id !== user.id) throw taken();
      });
  }

  private async service(id: string): Promise<LoginServiceRow> {
    const row = await findLoginService(this.deps.database.db, id);
    if (!row) throw new AppError('login_service_not_found', 'No such login service.');
    return row;
  }

  private rpService(row: LoginServiceRow) {
    return { row, clientSecret: this.deps.loginServices.box.open(row.secret_ciphertext) };
  }

  private async auditFailure(
    ctx: RequestContext,
    serviceId: string,
    purpose: FlowPurpose | null,
    code: ErrorCode,
    details: Record<string, unknown>,
  ): Promise<void> {
    await this.deps.database.transaction((trx) =>
      recordAudit(trx, this.deps.clock, ctx, {
        action: purpose === 'link' ? 'linked_account.link_failed' : 'auth.login_failed',
        target: { type: 'login_service', id: serviceId, label: null },
        details: { loginService: serviceId, code, ...details },
      }),
    );
  }
}

import Provider, { errors, interactionPolicy, type KoaContextWithOIDC } from 'oidc-provider';
import type { Services } from '../services.ts';
import { effectiveBlockedCapabilities } from '../permissions/capabilities.ts';
import { findImpersonation } from '../impersonation/impersonation.store.ts';
import { findUser } from '../users/users.store.ts';
import { kyselyAdapter } from './adapter.ts';
import type { PrivateJwk } from './keys.ts';
import { oidcMount } from './mount.ts';
import { findGrantLink } from './oidc.store.ts';
import { escapeHtml } from './consent-page.ts';
import { auditTokensIssuedWhileActing } from './token-audit.ts';

// Behalf as the platform's OpenID Provider (issue 9), configured here and nowhere else. The
// protocol is oidc-provider's (certified); Behalf only supplies storage, accounts, the sign-in
// interaction (interaction.routes.ts) and the impersonation claims (R-IMP-14, R-APP-02).

/** What Behalf knows about the grant a token belongs to, kept on the request for `ttl`. */
interface TokenContext {
  userId: string;
  impersonation: {
    id: string;
    actorId: string;
    actorName: string;
    expiresAt: number;
    mode: 'act' | 'read-only';
  } | null;
  /** Seconds the impersonation has left (by Behalf's clock), when there is one. */
  remaining: number | null;
  blocked: string[];
}

const contextKey = Symbol('behalf-token-context');
/** oidc-provider's request context, with what findAccount learnt kept on it for `ttl`. */
type Ctx = KoaContextWithOIDC & { [contextKey]?: TokenContext };

/** Pure: a lifetime capped at what the impersonation has left (never below 1 s). */
export function cappedTtl(base: number, remaining: number | null): number {
  return remaining === null ? base : Math.max(1, Math.min(base, remaining));
}

/** Pure: the impersonation claims of a token (none outside an impersonation). */
export function impersonationClaims(t: TokenContext): Record<string, unknown> {
  if (!t.impersonation) return {};
  return {
    // The actor's display name beside the id: an app's banner names who is acting (R-IMP-05,
    // R-IMP-14) without a second lookup. Identification only: none of the actor's rights.
    act: { sub: t.impersonation.actorId, name: t.impersonation.actorName },
    impersonation: {
      id: t.impersonation.id,
      expires_at: Math.floor(t.impersonation.expiresAt / 1000),
      // Issue 12 #2: "read-only": the app shows, and changes nothing in the user's name.
      mode: t.impersonation.mode,
    },
    blocked_capabilities: t.blocked,
  };
}

/** Pure: the sign-out confirmation page around oidc-provider's form (id op.logoutForm). */
export function logoutPage(form: string): string {
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>Sign out</title></head>
<body><main><h1>Sign out of the apps?</h1><p lang="de">Von den Apps abmelden?</p>${form}
<button autofocus type="submit" form="op.logoutForm" value="yes" name="logout">Yes, sign me out / Ja, abmelden</button>
<button type="submit" form="op.logoutForm">No, stay signed in / Nein, angemeldet bleiben</button>
</main></body></html>`;
}

/** Pure: the provider's error page. */
export function errorPage(error: string, description: string): string {
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Sign-in failed</title></head>
<body><main><h1>Sign-in failed / Anmeldung fehlgeschlagen</h1>
<p><code>${escapeHtml(error)}</code>: ${escapeHtml(description)}</p>
<p>Go back to the app and try again. / Kehren Sie zur App zurück und versuchen Sie es erneut.</p>
</main></body></html>`;
}

function grantIdOf(ctx: Ctx, token?: { grantId?: string }): string | undefined {
  return token?.grantId ?? ctx.oidc.entities.Grant?.jti ?? ctx.oidc.result?.consent?.grantId;
}

/**
 * The Behalf side of a grant: whose it is and, while acting, the impersonation. Undefined when
 * the grant has no link, or its impersonation has ended or expired: no token outlives it.
 */
async function tokenContext(
  services: Services,
  grantId: string | undefined,
): Promise<TokenContext | undefined> {
  if (!grantId) return undefined;
  const db = services.database.db;
  const link = await findGrantLink(db, grantId);
  // The Behalf session (or impersonation) the grant was made in has ended: by logout, the
  // provider's own logout, or the impersonation's end (logout.store.ts).
  if (!link || (link.ended_at ?? null) !== null) return undefined;
  if (!link.impersonation_id)
    return { userId: link.user_id, impersonation: null, remaining: null, blocked: [] };
  const imp = await findImpersonation(db, link.impersonation_id);
  const now = services.clock.now();
  if (!imp || imp.ended_at !== null || imp.expires_at <= now) return undefined;
  const settings = await services.settings.get();
  const actor = await findUser(db, imp.actor_id);
  const actorName = actor ? `${actor.firstName} ${actor.lastName}`.trim() : '';
  return {
    userId: link.user_id,
    impersonation: {
      id: imp.id,
      actorId: imp.actor_id,
      actorName,
      expiresAt: imp.expires_at,
      mode: imp.mode === 'read-only' ? 'read-only' : 'act',
    },
    remaining: Math.floor((imp.expires_at - now) / 1000),
    blocked: effectiveBlockedCapabilities(settings.impersonation.blockedCapabilities),
  };
}

/**
 * Builds the provider on the stored keys (read and checked at start, keys.ts) and apps. Loaded
 * and called at the provider's first use only (oidc.routes.ts, issue 13).
 */
export function createProvider(
  services: Services,
  findClient: (clientId: string) => Promise<Record<string, unknown> | undefined>,
  keys: PrivateJwk[],
): Provider {
  const { config, database } = services;
  const platformResource = config.publicUrl;

  const policy = interactionPolicy.base();
  // Every authorization runs Behalf's interaction, even when the provider has a session of its
  // own: the grant must belong to the Behalf session of this very browser (an administrator
  // who starts acting must not get tokens of their own account, nor the other way round).
  policy
    .get('login')
    .checks.add(
      new interactionPolicy.Check('behalf_session', 'Bound to the current Behalf session', (ctx: Ctx) =>
        ctx.oidc.result?.login
          ? interactionPolicy.Check.NO_NEED_TO_PROMPT
          : interactionPolicy.Check.REQUEST_PROMPT,
      ),
    );

  const cap = (base: number) => (ctx: Ctx | undefined) =>
    cappedTtl(base, ctx?.[contextKey]?.remaining ?? null);

  const provider = new Provider(`${config.publicUrl}${oidcMount}`, {
    adapter: kyselyAdapter(database.db, findClient),
    jwks: { keys },
    cookies: { keys: [services.oidcSecret.toString('base64url')] },
    clientDefaults: {
      id_token_signed_response_alg: 'ES256',
      grant_types: ['authorization_code', 'refresh_token'],
    },
    enabledJWA: { idTokenSigningAlgValues: ['ES256'] },
    responseTypes: ['code'],
    scopes: ['openid', 'offline_access', 'profile', 'email'],
    claims: {
      openid: ['sub', 'act', 'impersonation', 'blocked_capabilities'],
      profile: ['name', 'given_name', 'family_name', 'preferred_username', 'locale'],
      email: ['email'],
    },
    // The impersonation claims belong in the ID token too (R-IMP-14), not only in userinfo.
    conformIdTokenClaims: false,
    // The provider's error page for the browser (a bad redirect URI, an expired flow): its
    // OAuth error code and description, escaped; never a redirect to an unverified URI.
    renderError: (
      ctx: Ctx & { type: string; body: string },
      out: { error?: string; error_description?: string },
    ) => {
      ctx.type = 'html';
      ctx.body = errorPage(out.error ?? 'server_error', out.error_description ?? '');
    },
    interactions: {
      policy,
      url: (_ctx: Ctx, interaction: { uid: string }) => `${oidcMount}/interaction/${interaction.uid}`,
    },
    pkce: { required: () => true },
    // The provider's only outgoing requests are back-channel logouts, to URIs that
    // administrators registered (there is no dynamic registration). Its default blocks private
    // and loopback addresses, where the platform's own apps typically live, so it is left out.
    fetch: (url: string, options: RequestInit & { dispatcher?: unknown }) => {
      const { dispatcher: _ssrfGuard, ...rest } = options;
      return fetch(url, rest);
    },
    features: {
      devInteractions: { enabled: false },
      introspection: {
        enabled: true,
        // A public app introspects only its own tokens (oidc-provider's default); and a token
        // of an impersonation that has ended is inactive at once, on every instance (R-IMP-14).
        allowedPolicy: async (
          _ctx: Ctx,
          client: { clientId: string; clientAuthMethod: string },
          token: { clientId?: string; grantId?: string },
        ) => {
          if (client.clientAuthMethod === 'none' && token.clientId !== client.clientId) return false;
          return (await tokenContext(services, token.grantId)) !== undefined;
        },
      },
      // An app revokes only its own tokens.
      revocation: {
        enabled: true,
        allowedPolicy: (_ctx: Ctx, client: { clientId: string }, token: { clientId?: string }) =>
          token.clientId === client.clientId,
      },
      // Logout tokens are sent by Behalf's delivery worker through the provider's own
      // client.backchannelLogout (backchannel.ts, logout-worker.ts).
      backchannelLogout: { enabled: true },
      rpInitiatedLogout: {
        enabled: true,
        // The provider's own confirmation page, without its default's third-party font.
        logoutSource: (ctx: Ctx & { type: string; body: string }, form: string) => {
          ctx.type = 'html';
          ctx.body = logoutPage(form);
        },
      },
      resourceIndicators: {
        enabled: true,
        defaultResource: (_ctx: Ctx, _client: unknown, oneOf?: string[]) => oneOf ?? undefined,
        useGrantedResource: () => true,
        // One resource server, the platform itself: its access tokens are JWTs that apps
        // verify with the JWKS (docs/apps.md).
        getResourceServerInfo: (ctx: Ctx, resource: string) => {
          if (resource !== platformResource) throw new errors.InvalidTarget();
          return {
            scope: 'openid profile email',
            audience: platformResource,
            accessTokenFormat: 'jwt',
            accessTokenTTL: cap(3600)(ctx),
            jwt: { sign: { alg: 'ES256' } },
          };
        },
      },
    },
    // A refresh token to every app allowed the grant (no offline_access dance); it dies with
    // the grant, and with the impersonation it was issued in.
    issueRefreshToken: (_ctx: Ctx, client: { grantTypeAllowed(t: string): boolean }) =>
      client.grantTypeAllowed('refresh_token'),
    ttl: {
      AccessToken: (ctx: Ctx) => cap(3600)(ctx),
      IdToken: (ctx: Ctx) => cap(3600)(ctx),
      RefreshToken: (ctx: Ctx) => cap(14 * 24 * 3600)(ctx),
      AuthorizationCode: 60,
      Interaction: 3600,
      Grant: 14 * 24 * 3600,
      Session: 14 * 24 * 3600,
    },
    findAccount: async (ctx: Ctx, sub: string, token?: { grantId?: string }) => {
      const t = await tokenContext(services, grantIdOf(ctx, token));
      if (!t || t.userId !== sub) return undefined;
      const user = await findUser(database.db, sub);
      if (!user || !user.active) return undefined;
      ctx[contextKey] = t;
      return {
        accountId: sub,
        claims: () => ({
          sub,
          name: `${user.firstName} ${user.lastName}`.trim(),
          given_name: user.firstName,
          family_name: user.lastName,
          preferred_username: user.username ?? undefined,
          locale: user.language,
          email: user.primaryEmail ?? undefined,
          ...impersonationClaims(t),
        }),
      };
    },
    // Access tokens (JWT and opaque, hence introspection too) carry the same claims.
    extraTokenClaims: async (ctx: Ctx, token: { grantId?: string }) => {
      const t = ctx[contextKey] ?? (await tokenContext(services, token.grantId));
      return t ? impersonationClaims(t) : undefined;
    },
  });
  provider.proxy = config.trustProxy;
  auditTokensIssuedWhileActing(provider, services);
  return provider;
}

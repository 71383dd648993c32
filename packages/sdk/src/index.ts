import { fileURLToPath } from 'node:url';
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  createRemoteJWKSet,
  customFetch,
  jwtVerify,
  type JWTPayload,
  type JWTVerifyGetKey,
  type JWTVerifyOptions,
} from 'jose';
import { BehalfTokenError, toTokenError } from './errors.ts';
import { principalFromClaims, type Principal } from './principal.ts';
import { bearerToken, refuseToken, type Handler } from './http.ts';
import { backchannelHandler, ReplayCache, type LogoutEvent, type VerifierContext } from './backchannel.ts';

// @behalf/sdk: what an app of the platform needs to obey Behalf's impersonation rules
// (issue 9, R-IMP-14): verify Behalf's tokens, read who acts for whom and what is blocked,
// refuse blocked capabilities, take back-channel logout, and show <behalf-banner>.

export { BehalfTokenError, type BehalfTokenErrorCode } from './errors.ts';
export { principalFromClaims, isBlocked, type Principal } from './principal.ts';
export { requireCapability, blockedProblem, type Handler, type Next } from './http.ts';
export { logoutEvent, type LogoutEvent } from './backchannel.ts';
export type { JWTPayload } from 'jose';

export interface BehalfOptions {
  /** Behalf's issuer, `PUBLIC_URL/oidc` (discovery is at `{issuer}/.well-known/openid-configuration`). */
  issuer: string;
  /** This app's client id: the `aud` of its ID tokens and logout tokens. */
  audience?: string;
  /**
   * The `aud` of JWT access tokens (RFC 8707 resource). Default: the issuer without its `/oidc`,
   * i.e. Behalf's PUBLIC_URL, the one resource Behalf issues JWT access tokens for.
   */
  resource?: string;
  /** Seconds of clock skew accepted for `exp`, `nbf`, `iat` (default 5). */
  clockToleranceSec?: number;
  /** The fetch used for discovery and the JWKS (default: the global one). */
  fetch?: typeof fetch;
}

export interface MiddlewareOptions {
  /** Where the access token is: the Authorization header (default) or a function of the request. */
  from?: 'authorization-header' | ((req: IncomingMessage) => string | undefined);
}

export interface Behalf {
  verifyAccessToken(token: string): Promise<Principal>;
  verifyIdToken(token: string, nonce?: string): Promise<Principal>;
  principalFromClaims(claims: JWTPayload): Principal;
  middleware(opts?: MiddlewareOptions): Handler;
  backchannelLogoutHandler(
    onLogout: (event: LogoutEvent) => void | Promise<void>,
  ): (req: IncomingMessage, res: ServerResponse) => void;
}

/** Behalf signs with ES256 only (docs/apps.md); nothing else is accepted, never `none` or HMAC. */
const algorithms = ['ES256'];

/** The file of the `<behalf-banner>` element, to serve to browsers as a plain ES module. */
export const bannerFile = fileURLToPath(new URL('./banner.js', import.meta.url));

export function createBehalf(options: BehalfOptions): Behalf {
  const issuer = options.issuer.replace(/\/+$/, '');
  const resource = options.resource ?? issuer.replace(/\/oidc$/, '');
  const clockTolerance = options.clockToleranceSec ?? 5;
  const fetchImpl = options.fetch ?? globalThis.fetch;

  // Discovery once (retried after a failure); jose caches the JWKS and fetches it again when a
  // token names a key it does not know (a rotation), at most every 30 s.
  let keySet: Promise<JWTVerifyGetKey> | undefined;
  const discover = async (): Promise<JWTVerifyGetKey> => {
    const res = await fetchImpl(`${issuer}/.well-known/openid-configuration`, {
      headers: { accept: 'application/json' },
      redirect: 'error',
    });
    if (!res.ok) throw new Error(`discovery answered ${res.status}`);
    const meta = (await res.json()) as { issuer?: unknown; jwks_uri?: unknown };
    // OpenID Connect Discovery 1.0, 4.3: the document must name the issuer it was fetched for.
    if (meta.issuer !== issuer) throw new Error(`discovery names the issuer ${String(meta.issuer)}`);
    if (typeof meta.jwks_uri !== 'string') throw new Error('discovery names no jwks_uri');
    return createRemoteJWKSet(new URL(meta.jwks_uri), { [customFetch]: fetchImpl });
  };
  const getKey: JWTVerifyGetKey = async (header, token) => {
    keySet ??= discover().catch((error: unknown) => {
      keySet = undefined;
      throw new BehalfTokenError('unavailable', "Behalf's discovery document could not be read.", {
        cause: error,
      });
    });
    return (await keySet)(header, token);
  };

  async function verify(token: string, verifyOptions: JWTVerifyOptions) {
    try {
      return await jwtVerify(token, getKey, {
        issuer,
        clockTolerance,
        algorithms,
        requiredClaims: ['sub', 'iat', 'exp'],
        ...verifyOptions,
      });
    } catch (error) {
      throw toTokenError(error);
    }
  }

  const behalf: Behalf = {
    async verifyAccessToken(token) {
      // RFC 9068: a JWT access token is typed at+jwt, so an ID token is never taken for one.
      const { payload } = await verify(token, { audience: resource, typ: 'at+jwt' });
      if (options.audience !== undefined && payload.client_id !== options.audience)
        throw new BehalfTokenError('wrong_audience', 'The access token was issued to another app.');
      return principalFromClaims(payload);
    },

    async verifyIdToken(token, nonce) {
      if (!options.audience) throw new TypeError('verifyIdToken needs options.audience (the client id).');
      const { payload, protectedHeader } = await verify(token, { audience: options.audience });
      if (protectedHeader.typ !== undefined && !/^(application\/)?jwt$/i.test(protectedHeader.typ))
        throw new BehalfTokenError('invalid_token', `An ID token is not typed ${protectedHeader.typ}.`);
      // OpenID Connect Core 3.1.3.7: with several audiences, azp must be this app.
      if (Array.isArray(payload.aud) && payload.aud.length > 1 && payload.azp !== options.audience)
        throw new BehalfTokenError('wrong_audience', 'The ID token was issued to another app.');
      if (nonce !== undefined && payload.nonce !== nonce)
        throw new BehalfTokenError('wrong_nonce', 'The ID token does not carry the nonce of this sign-in.');
      return principalFromClaims(payload);
    },

    principalFromClaims,

    middleware(opts = {}) {
      const from = opts.from === undefined || opts.from === 'authorization-header' ? bearerToken : opts.from;
      return (req, res, next) => {
        void (async () => {
          const token = from(req);
          if (!token)
            return refuseToken(res, new BehalfTokenError('missing_token', 'A bearer token is required.'));
          let principal: Principal;
          try {
            principal = await behalf.verifyAccessToken(token);
          } catch (error) {
            return refuseToken(res, toTokenError(error));
          }
          req.behalf = principal;
          next();
        })().catch(next);
      };
    },

    backchannelLogoutHandler(onLogout) {
      const ctx: VerifierContext = { issuer, audience: options.audience, clockTolerance, getKey, algorithms };
      if (!ctx.audience)
        throw new TypeError('backchannelLogoutHandler needs options.audience (the client id).');
      return backchannelHandler(ctx, onLogout, new ReplayCache());
    },
  };
  return behalf;
}

import * as oc from 'openid-client';
import { AppError } from '../shared/errors.ts';
import { isLoopbackHttp } from './rules.ts';
import type { LoginServiceRow } from './login-services.store.ts';

// Behalf as a relying party of the login services (issue 8). The protocol is openid-client's
// (certified): discovery, the authorization request with PKCE, state and nonce, the code grant,
// the issuer check of the authorization response (RFC 9207, against mix-up between two
// services) and the ID token's validation. Nothing here parses or checks a token by hand.

/** What openid-client needs of a service: who it is and how Behalf authenticates to it. */
export interface RpService {
  row: LoginServiceRow;
  clientSecret: string | undefined;
}

/** Discovery answers, per instance, per service version (a change of issuer or secret
 * discovers afresh). Failures are not cached: the next attempt tries again. */
const cacheMs = 60 * 60_000;

export class RelyingParty {
  private readonly cache = new Map<string, { key: string; config: oc.Configuration; until: number }>();

  /** The provider's configuration (discovered, cached), or `login_service_unavailable`. */
  async configuration(service: RpService, options: { fresh?: boolean } = {}): Promise<oc.Configuration> {
    const { row } = service;
    const key = `${row.version}:${row.updated_at}`;
    const cached = this.cache.get(row.id);
    const now = Date.now();
    if (!options.fresh && cached && cached.key === key && cached.until > now) return cached.config;
    if (service.clientSecret === undefined)
      throw new AppError(
        'login_service_unavailable',
        "The login service's client secret cannot be read (stored under another key); set it again.",
      );
    let config: oc.Configuration;
    try {
      config = await oc.discovery(
        new URL(row.issuer),
        row.client_id,
        undefined,
        oc.ClientSecretBasic(service.clientSecret),
        { timeout: 10, ...(isLoopbackHttp(row.issuer) ? { execute: [oc.allowInsecureRequests] } : {}) },
      );
    } catch (error) {
      throw new AppError(
        'login_service_unavailable',
        `The login service cannot be reached: ${describe(error)}`,
      );
    }
    this.cache.set(row.id, { key, config, until: now + cacheMs });
    return config;
  }

  authorizationUrl(
    config: oc.Configuration,
    params: { redirectUri: string; scopes: string[]; state: string; nonce: string; codeChallenge: string },
  ): URL {
    return oc.buildAuthorizationUrl(config, {
      redirect_uri: params.redirectUri,
      scope: params.scopes.join(' '),
      state: params.state,
      nonce: params.nonce,
      code_challenge: params.codeChallenge,
      code_challenge_method: 'S256',
    });
  }

  /**
   * Exchanges the code and validates the answer: state, issuer (`iss` of the authorization
   * response), PKCE at the token endpoint, the ID token's signature, issuer, audience, expiry
   * and nonce. Returns the ID token's claims.
   */
  async finish(
    config: oc.Configuration,
    callbackUrl: URL,
    expected: { state: string; nonce: string; codeVerifier: string },
  ): Promise<oc.IDToken> {
    try {
      const tokens = await oc.authorizationCodeGrant(config, callbackUrl, {
        pkceCodeVerifier: expected.codeVerifier,
        expectedState: expected.state,
        expectedNonce: expected.nonce,
        idTokenExpected: true,
      });
      const claims = tokens.claims();
      if (!claims) throw new Error('no ID token');
      return claims;
    } catch (error) {
      if (error instanceof oc.AuthorizationResponseError)
        throw new AppError('login_service_denied', `The login service refused: ${describe(error)}`);
      if (isNetworkError(error))
        throw new AppError(
          'login_service_unavailable',
          `The login service cannot be reached: ${describe(error)}`,
        );
      throw new AppError(
        'login_service_failed',
        `The login service's answer did not verify: ${describe(error)}`,
      );
    }
  }

  forget(serviceId: string): void {
    this.cache.delete(serviceId);
  }
}

/** The library's message and those of its causes (e.g. which claim did not match), for the
 * audit trail and the administrator's "test connection"; never a token or a secret. */
function describe(error: unknown): string {
  const parts: string[] = [];
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 3; e = e.cause, depth++)
    parts.push(e.message);
  return parts.length ? parts.join(': ') : String(error);
}

function isNetworkError(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    if (e.name === 'AbortError' || e.name === 'TimeoutError') return true;
    if (e instanceof TypeError && /fetch failed/i.test(e.message)) return true;
    if ('code' in e && typeof e.code === 'string' && /^(ECONN|ENOTFOUND|EAI_|ETIMEDOUT|UND_ERR)/.test(e.code))
      return true;
  }
  return false;
}

import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import * as oc from 'openid-client';
import type { Behalf, Principal } from '../../../packages/sdk/src/index.ts';
import type { AppSession, Store } from './store.ts';

// Sign-in through Behalf with openid-client (authorization code + PKCE + nonce), the app's own
// session cookie, RP-initiated logout and back-channel logout. The app keeps the verified ID
// token's claims in its session; the SDK turns them into subject, actor and blocked capabilities.

export const sessionCookie = 'lp_session';
const signInCookie = 'lp_signin';
/** An app session without an impersonation lasts a working day; one while acting ends with it. */
const sessionHours = 8;

export interface AuthOptions {
  issuer: string;
  clientId: string;
  clientSecret?: string;
  publicUrl: string;
  now: () => number;
}

export function cookiesOf(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0) out[part.slice(0, eq).trim()] = decodeURIComponent(part.slice(eq + 1).trim());
  }
  return out;
}

/** Pure: a return path that stays on this app (never another origin, never `//host`). */
export function safeReturnTo(value: string | null | undefined): string {
  return value && value.startsWith('/') && !value.startsWith('//') && !value.startsWith('/\\') ? value : '/';
}

export class Auth {
  private config: Promise<oc.Configuration> | undefined;
  private readonly secure: boolean;
  private readonly options: AuthOptions;
  private readonly store: Store;
  private readonly behalf: Behalf;

  constructor(options: AuthOptions, store: Store, behalf: Behalf) {
    this.options = options;
    this.store = store;
    this.behalf = behalf;
    this.secure = options.publicUrl.startsWith('https:');
  }

  get redirectUri(): string {
    return `${this.options.publicUrl}/callback`;
  }

  get postLogoutRedirectUri(): string {
    return `${this.options.publicUrl}/signed-out`;
  }

  /** Discovery once, on first use (Behalf may start after the app); retried after a failure. */
  private discovery(): Promise<oc.Configuration> {
    const { issuer, clientId, clientSecret } = this.options;
    this.config ??= oc
      .discovery(
        new URL(issuer),
        clientId,
        undefined,
        clientSecret ? oc.ClientSecretBasic(clientSecret) : oc.None(),
        // Plain http only for a Behalf on loopback or in development; production issuers are https.
        issuer.startsWith('http:') ? { execute: [oc.allowInsecureRequests] } : undefined,
      )
      .catch((error: unknown) => {
        this.config = undefined;
        throw error;
      });
    return this.config;
  }

  private cookie(name: string, value: string, maxAge: number): string {
    return `${name}=${encodeURIComponent(value)}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${maxAge}${
      this.secure ? '; Secure' : ''
    }`;
  }

  /** The signed-in session of this request and its principal, or null. */
  current(req: IncomingMessage): { session: AppSession; principal: Principal } | null {
    const id = cookiesOf(req)[sessionCookie];
    if (!id) return null;
    const session = this.store.findSession(id, this.options.now());
    if (!session) return null;
    return { session, principal: this.behalf.principalFromClaims(session.claims) };
  }

  /** GET /login: off to Behalf's authorization endpoint. */
  async start(res: ServerResponse, returnTo: string): Promise<void> {
    const config = await this.discovery();
    const verifier = oc.randomPKCECodeVerifier();
    const state = oc.randomState();
    const nonce = oc.randomNonce();
    this.store.savePending({
      state,
      verifier,
      nonce,
      returnTo: safeReturnTo(returnTo),
      createdAt: this.options.now(),
    });
    const url = oc.buildAuthorizationUrl(config, {
      redirect_uri: this.redirectUri,
      scope: 'openid profile email',
      code_challenge: await oc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
      nonce,
    });
    res.writeHead(303, { location: url.href, 'set-cookie': this.cookie(signInCookie, state, 600) }).end();
  }

  /**
   * GET /callback: the code exchanged, the ID token verified (openid-client checks the protocol,
   * the SDK reads Behalf's claims), a new app session. Answers where to go, or null on failure.
   */
  async finish(req: IncomingMessage, res: ServerResponse): Promise<string | null> {
    const url = new URL(req.url ?? '/', this.options.publicUrl);
    const state = url.searchParams.get('state') ?? '';
    // The sign-in must have started in this very browser (no login CSRF).
    if (!state || cookiesOf(req)[signInCookie] !== state) return null;
    const pending = this.store.takePending(state, this.options.now() - 600_000);
    if (!pending || url.searchParams.has('error')) return null;
    const config = await this.discovery();
    const tokens = await oc.authorizationCodeGrant(config, url, {
      pkceCodeVerifier: pending.verifier,
      expectedState: pending.state,
      expectedNonce: pending.nonce,
    });
    const principal = await this.behalf.verifyIdToken(tokens.id_token!, pending.nonce);
    const now = this.options.now();
    const planned = now + sessionHours * 3600_000;
    // No app session outlives the impersonation it was opened in (R-APP-02).
    const expiresAt = principal.impersonation
      ? Math.min(planned, principal.impersonation.expiresAt.getTime())
      : planned;
    const id = randomBytes(32).toString('base64url');
    this.store.createSession({
      id,
      sub: principal.user.id,
      sid: typeof principal.claims.sid === 'string' ? principal.claims.sid : null,
      idToken: tokens.id_token!,
      claims: principal.claims,
      expiresAt,
    });
    res.setHeader('set-cookie', [
      this.cookie(sessionCookie, id, Math.max(1, Math.floor((expiresAt - now) / 1000))),
      this.cookie(signInCookie, '', 0),
    ]);
    return pending.returnTo;
  }

  /** Ends this browser's app session (the cookie too). Answers the ended session, if any. */
  end(req: IncomingMessage, res: ServerResponse): AppSession | null {
    const found = this.current(req);
    if (found) this.store.deleteSession(found.session.id);
    res.setHeader('set-cookie', this.cookie(sessionCookie, '', 0));
    return found?.session ?? null;
  }

  /** RP-initiated logout: Behalf's end-session URL for this session, or null when unknown. */
  async endSessionUrl(session: AppSession | null): Promise<string | null> {
    if (!session) return null;
    const config = await this.discovery();
    return oc.buildEndSessionUrl(config, {
      id_token_hint: session.idToken,
      post_logout_redirect_uri: this.postLogoutRedirectUri,
    }).href;
  }
}

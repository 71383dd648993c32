import type { IncomingMessage, ServerResponse } from 'node:http';
import { jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { BehalfTokenError, toTokenError } from './errors.ts';
import { sendJson } from './http.ts';

// OpenID Connect Back-Channel Logout 1.0, the app's side: Behalf POSTs a logout token
// (form field `logout_token`) when a session ends, e.g. at the end of an impersonation. The
// token is checked as section 2.6 asks; the answer is 200 when the app logged out, 400 otherwise.

export const logoutEvent = 'http://schemas.openid.net/event/backchannel-logout';

export interface LogoutEvent {
  sub?: string;
  sid?: string;
  jti: string;
}

export interface VerifierContext {
  issuer: string;
  audience: string | undefined;
  clockTolerance: number;
  getKey: JWTVerifyGetKey;
  algorithms: string[];
}

/**
 * Remembers the `jti` of accepted logout tokens until they expire, so a captured token cannot
 * be replayed. In memory, per process: several instances of an app each keep their own.
 */
export class ReplayCache {
  private readonly seen = new Map<string, number>();
  /** Records `jti` (until `expiresAt`, ms); false when it is there already. */
  add(jti: string, expiresAt: number, now = Date.now()): boolean {
    for (const [key, until] of this.seen) if (until <= now) this.seen.delete(key);
    if (this.seen.has(jti)) return false;
    this.seen.set(jti, expiresAt);
    return true;
  }
  delete(jti: string): void {
    this.seen.delete(jti);
  }
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function invalid(message: string): BehalfTokenError {
  return new BehalfTokenError('invalid_token', message);
}

/** Pure: the logout event of verified claims, or why they are not a logout token. */
export function logoutEventOf(claims: JWTPayload): LogoutEvent {
  const events = claims.events;
  if (!isObject(events) || !isObject(events[logoutEvent]))
    throw invalid(`A logout token must have an "events" claim with "${logoutEvent}".`);
  if ('nonce' in claims) throw invalid('A logout token must not have a "nonce" claim.');
  if (typeof claims.jti !== 'string' || claims.jti === '') throw invalid('A logout token needs a "jti".');
  const sub = typeof claims.sub === 'string' ? claims.sub : undefined;
  const sid = typeof claims.sid === 'string' ? claims.sid : undefined;
  if (!sub && !sid) throw invalid('A logout token names a "sub", a "sid" or both.');
  return { jti: claims.jti, ...(sub ? { sub } : {}), ...(sid ? { sid } : {}) };
}

export async function verifyLogoutToken(
  ctx: VerifierContext,
  token: string,
): Promise<{ event: LogoutEvent; claims: JWTPayload }> {
  if (!ctx.audience) throw new TypeError('backchannelLogoutHandler needs options.audience (the client id).');
  try {
    const { payload, protectedHeader } = await jwtVerify(token, ctx.getKey, {
      issuer: ctx.issuer,
      audience: ctx.audience,
      clockTolerance: ctx.clockTolerance,
      algorithms: ctx.algorithms,
      requiredClaims: ['iat', 'exp', 'jti'],
    });
    // Explicit typing (section 2.4) keeps an ID token or an access token from passing as one.
    if (protectedHeader.typ !== undefined && !/^(application\/)?logout\+jwt$/i.test(protectedHeader.typ))
      throw invalid(`A logout token is typed logout+jwt, not ${protectedHeader.typ}.`);
    return { event: logoutEventOf(payload), claims: payload };
  } catch (error) {
    throw toTokenError(error);
  }
}

const maxBody = 64 * 1024;

/** The form body: parsed by a framework already (Express's urlencoded), or read here. */
async function logoutTokenOf(req: IncomingMessage): Promise<string | undefined> {
  const parsed = (req as IncomingMessage & { body?: unknown }).body;
  if (isObject(parsed)) return typeof parsed.logout_token === 'string' ? parsed.logout_token : undefined;
  let text = typeof parsed === 'string' ? parsed : undefined;
  if (text === undefined) {
    const type = req.headers['content-type'] ?? '';
    if (!/^application\/x-www-form-urlencoded\s*(;|$)/i.test(type)) return undefined;
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > maxBody) return undefined;
      chunks.push(chunk);
    }
    text = Buffer.concat(chunks).toString('utf8');
  }
  const values = new URLSearchParams(text).getAll('logout_token');
  return values.length === 1 ? values[0] : undefined;
}

export function backchannelHandler(
  ctx: VerifierContext,
  onLogout: (event: LogoutEvent) => void | Promise<void>,
  replay: ReplayCache = new ReplayCache(),
): (req: IncomingMessage, res: ServerResponse) => void {
  const refuse = (res: ServerResponse, description: string) =>
    sendJson(res, 400, { error: 'invalid_request', error_description: description }, {}, 'application/json');
  return (req, res) => {
    void (async () => {
      if (req.method !== 'POST') {
        sendJson(res, 405, { error: 'invalid_request', error_description: 'POST only.' }, { allow: 'POST' });
        return;
      }
      const token = await logoutTokenOf(req).catch(() => undefined);
      if (!token) return refuse(res, 'A form body with exactly one logout_token is required.');
      let verified: Awaited<ReturnType<typeof verifyLogoutToken>>;
      try {
        verified = await verifyLogoutToken(ctx, token);
      } catch (error) {
        return refuse(res, error instanceof Error ? error.message : 'invalid logout token');
      }
      const { event, claims } = verified;
      // Recorded before the app's callback runs, so that parallel replays are refused too.
      if (!replay.add(event.jti, (claims.exp! + ctx.clockTolerance) * 1000))
        return refuse(res, 'This logout token was used already.');
      try {
        await onLogout(event);
      } catch {
        // The app could not log out: forget the jti so that Behalf's retry is accepted.
        replay.delete(event.jti);
        return refuse(res, 'The app could not end the session.');
      }
      res.statusCode = 200;
      res.setHeader('cache-control', 'no-store');
      res.end();
    })().catch(() => {
      if (!res.headersSent) refuse(res, 'The logout request could not be handled.');
    });
  };
}

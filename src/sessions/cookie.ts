import type { FastifyReply } from 'fastify';
import type { Config } from '../config.ts';

// The session cookie: HttpOnly (no script reads it), SameSite=Lax, Path=/, and, over HTTPS,
// Secure with the __Host- prefix, which also forbids a Domain attribute (no subdomain sees it).

export function sessionCookieName(config: Config): string {
  return isSecure(config) ? '__Host-behalf_session' : 'behalf_session';
}

function isSecure(config: Config): boolean {
  return config.publicUrl.startsWith('https://');
}

export function setSessionCookie(reply: FastifyReply, config: Config, token: string): void {
  void reply.setCookie(sessionCookieName(config), token, {
    httpOnly: true,
    secure: isSecure(config),
    sameSite: 'lax',
    path: '/',
  });
}

export function clearSessionCookie(reply: FastifyReply, config: Config): void {
  void reply.clearCookie(sessionCookieName(config), {
    path: '/',
    httpOnly: true,
    secure: isSecure(config),
    sameSite: 'lax',
  });
}

// While an administrator acts as someone, their own session token waits in a second cookie,
// HttpOnly and SameSite=Strict, that only the API receives (Path) and only two places read:
// "back to your account" and GET /api/v1/session after the impersonation ended. It is the
// proof that a request comes from the actor's own browser (issue 7 #1): the impersonation
// session's token alone never yields the actor's session. It authenticates nothing while the
// impersonation lasts: the session it names is suspended on the server.
const actorCookiePath = '/api/v1';
/** Where the cookie lived before (a browser may still hold one there); cleared as well. */
const formerActorCookiePath = '/api/v1/impersonation';

export function actorCookieName(config: Config): string {
  return `${sessionCookieName(config)}_actor`;
}

export function setActorCookie(reply: FastifyReply, config: Config, token: string): void {
  void reply.setCookie(actorCookieName(config), token, {
    httpOnly: true,
    secure: isSecure(config),
    sameSite: 'strict',
    path: actorCookiePath,
  });
}

export function clearActorCookie(reply: FastifyReply, config: Config): void {
  for (const path of [actorCookiePath, formerActorCookiePath]) {
    void reply.clearCookie(actorCookieName(config), {
      path,
      httpOnly: true,
      secure: isSecure(config),
      sameSite: 'strict',
    });
  }
}

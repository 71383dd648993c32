import type {} from '@fastify/cookie';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../shared/errors.ts';
import type { AuthedContext, RequestContext } from '../shared/request-context.ts';
import type { SessionService } from '../sessions/sessions.service.ts';
import type { SettingsService } from '../settings/settings.service.ts';
import { effectiveBlockedCapabilities } from '../permissions/capabilities.ts';
import type { Config } from '../config.ts';
import { sessionCookieName, setSessionCookie } from '../sessions/cookie.ts';

declare module 'fastify' {
  interface FastifyRequest {
    ctx: RequestContext;
  }
}

export type { AuthedContext };

/** Builds every API request's RequestContext from its session cookie (or none). */
export function registerRequestContext(
  app: FastifyInstance,
  sessions: SessionService,
  settings: SettingsService,
  config: Config,
) {
  const cookieName = sessionCookieName(config);
  app.decorateRequest('ctx', null as unknown as RequestContext);
  app.addHook('onRequest', async (req, reply) => {
    void reply.header('x-request-id', req.id);
    // The OpenID Provider's own requests (src/oidc/oidc.routes.ts) are answered outside
    // Fastify: a token rotated here would never reach the browser. They need no Behalf session.
    const resolved = req.routeOptions.config.oidcProvider
      ? null
      : await sessions.resolve(req.cookies[cookieName]);
    // A privilege change rotated the token: this answer carries the new one (a route that
    // sets or clears the cookie itself, e.g. logout, overrides it).
    if (resolved?.newToken) setSessionCookie(reply, config, resolved.newToken);
    const impersonation = resolved?.impersonation ?? null;
    req.ctx = {
      requestId: req.id,
      ip: req.ip,
      userAgent: req.headers['user-agent'] ?? null,
      session: resolved ? { id: resolved.sessionId } : null,
      user: resolved?.principal ?? null,
      actor: impersonation?.actor ?? null,
      impersonationId: impersonation?.id ?? null,
      impersonation,
      // R-IMP-04: while acting, the core capabilities and the setting's additions are refused.
      // The core is added here too, so no stored value can ever unblock it.
      blockedCapabilities: impersonation
        ? effectiveBlockedCapabilities((await settings.get()).impersonation.blockedCapabilities)
        : [],
    };
  });
}

/** The context of a signed-in request, or 401. */
export function requireUser(req: FastifyRequest): AuthedContext {
  const ctx = req.ctx;
  if (!ctx?.user) throw new AppError('not_authenticated', 'Sign in first.');
  return ctx as AuthedContext;
}

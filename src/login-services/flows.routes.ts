import { z } from 'zod';
import type { FastifyReply } from 'fastify';
import type { Services } from '../services.ts';
import { problems, type ZodApp } from '../http/zod-app.ts';
import { isAppError } from '../shared/errors.ts';
import { setSessionCookie } from '../sessions/cookie.ts';
import { safeReturnTo, signInPageFor } from './rules.ts';

// The browser side of signing in with a login service and of linking one (issue 8): plain
// navigations, so every answer is a redirect (302), failures included: to the sign-in page with
// `?loginServiceError=<code>`, or back to My Profile with `?linkedAccountError=<code>`. Never a
// 500 for a provider that is down or answers wrongly (the codes are in docs/errors.md).

const idParams = z.object({ id: z.string().min(1).max(100) });
const returnToQuery = z.object({
  returnTo: z.string().max(500).optional().describe('A local path to come back to (default `/`)'),
});

function withQuery(path: string, params: Record<string, string>): string {
  const url = new URL(path, 'http://x');
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  return `${url.pathname}${url.search}`;
}

function redirect(reply: FastifyReply, location: string) {
  void reply.header('cache-control', 'no-store');
  return reply.code(302).header('location', location).send(null);
}

export function loginServiceFlowRoutes(app: ZodApp, services: Services) {
  const flows = services.loginServiceFlows;
  const tags = ['auth'];

  app.get(
    '/api/v1/auth/login-services/:id/start',
    {
      // Each start stores a flow row: the sign-in admission per address bounds a flood of them.
      config: { admission: 'login' },
      schema: {
        tags,
        summary: 'Sign in with a login service: redirects to the provider',
        description:
          'No session needed. 302 to the provider (authorization code flow with PKCE, state and nonce), ' +
          'or, when the service is unknown, disabled or unreachable, 302 to the sign-in page with ' +
          '`?loginServiceError=<code>&returnTo=…`. Counted by the sign-in admission per address (429).',
        params: idParams,
        querystring: returnToQuery,
        response: { 302: z.null(), ...problems(429) },
      },
    },
    async (req, reply) => {
      const returnTo = safeReturnTo(req.query.returnTo, '/');
      try {
        const url = await flows.start(req.ctx, req.params.id, 'sign-in', returnTo);
        return redirect(reply, url.href);
      } catch (error) {
        if (!isAppError(error)) throw error;
        return redirect(
          reply,
          withQuery(signInPageFor(returnTo), { loginServiceError: error.code, returnTo }),
        );
      }
    },
  );

  app.get(
    '/api/v1/account/linked-accounts/link/:serviceId',
    {
      schema: {
        tags: ['account'],
        summary: 'Link an account of a login service to my profile: redirects to the provider',
        description:
          'Needs a session; refused while acting (`linked_accounts.change`); the service must allow ' +
          'linking. The flow is bound to this session: its callback links only in this same session. ' +
          'Failures: 302 to `returnTo?linkedAccountError=<code>`.',
        params: z.object({ serviceId: z.string().min(1).max(100) }),
        querystring: returnToQuery,
        response: { 302: z.null(), ...problems(401) },
      },
    },
    async (req, reply) => {
      const returnTo = safeReturnTo(req.query.returnTo, '/profile');
      try {
        const url = await flows.start(req.ctx, req.params.serviceId, 'link', returnTo);
        return redirect(reply, url.href);
      } catch (error) {
        if (!isAppError(error)) throw error;
        return redirect(reply, withQuery(returnTo, { linkedAccountError: error.code }));
      }
    },
  );

  app.get(
    '/api/v1/auth/login-services/:id/callback',
    {
      schema: {
        tags,
        summary: 'The redirect URI to register at the provider: finishes a sign-in or a link',
        description:
          'The provider sends the browser here. Sign-in: 302 to `returnTo` with a session; or, when ' +
          "Behalf's second factor is due, the challenge cookie and 302 to the sign-in page with " +
          '`?secondFactor=email|totp&returnTo=…`; or 302 to the sign-in page with `?loginServiceError=<code>`. ' +
          'Link: 302 to `returnTo?linkedAccount=linked` or `returnTo?linkedAccountError=<code>`. Each flow ' +
          'finishes once, within 10 minutes.',
        params: idParams,
        response: { 302: z.null() },
      },
    },
    async (req, reply) => {
      const query = req.url.includes('?') ? req.url.slice(req.url.indexOf('?') + 1) : '';
      const outcome = await flows.callback(req.ctx, req.params.id, query);
      switch (outcome.kind) {
        case 'session':
          setSessionCookie(reply, services.config, outcome.token);
          return redirect(reply, outcome.returnTo);
        case 'second-factor': {
          const { method } = await services.secondFactor.begin(outcome.user, reply);
          return redirect(
            reply,
            withQuery(signInPageFor(outcome.returnTo), { secondFactor: method, returnTo: outcome.returnTo }),
          );
        }
        case 'linked':
          return redirect(reply, withQuery(outcome.returnTo, { linkedAccount: 'linked' }));
        case 'failed': {
          if (outcome.purpose === 'link' && outcome.returnTo)
            return redirect(reply, withQuery(outcome.returnTo, { linkedAccountError: outcome.code }));
          const returnTo = outcome.returnTo ?? '/';
          return redirect(
            reply,
            withQuery(signInPageFor(returnTo), { loginServiceError: outcome.code, returnTo }),
          );
        }
      }
    },
  );
}

import type { FastifyInstance } from 'fastify';
import type Provider from 'oidc-provider';
import type { Services } from '../services.ts';
import { AppError } from '../shared/errors.ts';
import { createProvider, oidcMount } from './provider.ts';
import { insertGrantLink } from './oidc.store.ts';
import { findApp } from './apps.store.ts';
import { recordAudit } from '../audit/audit.ts';

// The OpenID Provider inside the Fastify server (issue 9). Everything under /oidc/ is handed,
// raw, to oidc-provider: it parses its own form bodies and has its own CSRF protections (state,
// PKCE, its signed cookies), so the route is marked `oidcProvider` and the JSON-only CSRF guard
// (src/http/csrf.ts) skips exactly the requests the router dispatched to it. The interaction
// (sign-in through Behalf's session) is a Fastify route of its own, more specific than /oidc/*.

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Set only on the route that hands requests to oidc-provider. */
    oidcProvider?: boolean;
  }
}

export async function registerOidc(app: FastifyInstance, services: Services): Promise<Provider> {
  const provider = await createProvider(services, (clientId) => services.apps.clientMetadata(clientId));
  const callback = provider.callback();

  app.route({
    method: ['GET', 'POST', 'HEAD', 'OPTIONS'],
    url: `${oidcMount}/*`,
    schema: { hide: true },
    config: { oidcProvider: true },
    // Before the body parser: oidc-provider reads the request stream itself.
    onRequest: (req, reply, done) => {
      const raw = req.raw as typeof req.raw & { originalUrl?: string };
      const url = raw.url ?? '';
      // The router decodes the path (`/%6fidc/...` matches too); the provider needs the raw
      // prefix to strip, so anything else is not its request.
      if (!url.startsWith(`${oidcMount}/`)) {
        done(new AppError('not_found', 'Not found.'));
        return;
      }
      // A path of a more specific route (the interaction) with a method that route lacks
      // falls through to this one in the router; it gets that route's 405, not the provider.
      const allowed = app.routeIndex.allowed(url.split('?')[0]!);
      if (req.method !== 'HEAD' && !allowed.includes(req.method)) {
        void reply.header('allow', allowed.join(', '));
        done(new AppError('method_not_allowed', `${req.method} is not allowed here.`));
        return;
      }
      void reply.hijack();
      // oidc-provider derives its mount path from originalUrl minus url (as under Express).
      raw.originalUrl = url;
      raw.url = url.slice(oidcMount.length);
      callback(raw, reply.raw);
    },
    handler: async () => undefined,
  });

  app.get<{ Params: { uid: string } }>(
    `${oidcMount}/interaction/:uid`,
    { schema: { hide: true } },
    async (req, reply) => {
      const details = await provider.interactionDetails(req.raw, reply.raw).catch(() => {
        throw new AppError('not_found', 'This sign-in has expired; start it again from the app.');
      });
      const ctx = req.ctx;
      // Pending terms are asked on Behalf's page first, as at any sign-in (R-IMP-12); while
      // acting, the administrator accepted them on the user's behalf at the start.
      const termsPending =
        ctx.user && !ctx.impersonation
          ? (await services.terms.pendingFor(services.database.db, ctx.user.id)).length > 0
          : false;
      if (!ctx.user || !ctx.session || termsPending) {
        // Behalf's sign-in page brings the browser back here (web/src/auth/SignInPage.tsx
        // follows only /oidc/interaction/ paths to the server). Built from the uid we know.
        const back = `${oidcMount}/interaction/${encodeURIComponent(details.uid)}`;
        return reply.redirect(`/sign-in?next=${encodeURIComponent(back)}`, 303);
      }
      const grant = await newGrant(provider, services, details, ctx.user.id);
      const clientId = details.params.client_id as string;
      await services.database.transaction(async (trx) => {
        await insertGrantLink(trx, {
          grant_id: grant,
          user_id: ctx.user!.id,
          session_id: ctx.session!.id,
          impersonation_id: ctx.impersonationId,
          created_at: services.clock.now(),
        });
        // Tokens issued while acting are in the trail with the impersonation (R-IMP-14); the
        // request context names both people.
        if (ctx.impersonationId) {
          await recordAudit(trx, services.clock, ctx, {
            action: 'app.signed_in_while_acting',
            target: { type: 'app', id: clientId, label: (await findApp(trx, clientId))?.name ?? null },
            details: { grantId: grant },
          });
        }
      });
      // The result is stored; the browser resumes the authorization at the provider. Answered
      // by Fastify, so a session cookie rotated by this request reaches the browser too.
      const returnTo = await provider.interactionResult(
        req.raw,
        reply.raw,
        { login: { accountId: ctx.user.id }, consent: { grantId: grant } },
        { mergeWithLastSubmission: false },
      );
      return reply.redirect(returnTo, 303);
    },
  );
  return provider;
}

/**
 * A fresh grant for this authorization, with what the app asked for (its registered scopes
 * already limit that). Consent is given on the user's behalf for every app in this slice
 * (docs/apps.md: a consent page for third-party apps is not built yet).
 */
async function newGrant(
  provider: Provider,
  services: Services,
  details: { params: Record<string, unknown> },
  accountId: string,
): Promise<string> {
  const grant = new provider.Grant({ accountId, clientId: details.params.client_id as string });
  const scope = typeof details.params.scope === 'string' ? details.params.scope : 'openid';
  grant.addOIDCScope(scope);
  if (details.params.resource === services.config.publicUrl) {
    grant.addResourceScope(services.config.publicUrl, scope);
  }
  return await grant.save();
}

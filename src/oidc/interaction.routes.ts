import { z } from 'zod';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type Provider from 'oidc-provider';
import type { InteractionDetails } from 'oidc-provider';
import type { Services } from '../services.ts';
import type { RequestContext } from '../shared/request-context.ts';
import { AppError } from '../shared/errors.ts';
import { recordAudit } from '../audit/audit.ts';
import { insertGrantLink } from './oidc.store.ts';
import { findApp } from './apps.store.ts';
import { consentPage } from './consent-page.ts';
import { oidcMount } from './mount.ts';

// The sign-in step of an app's authorization (issue 9): oidc-provider sends the browser here
// (the provider's interaction cookie is bound to this path). With a Behalf session the step
// finishes at once for a first-party app, or after the user's consent for another app; without
// one (or with pending terms) Behalf's sign-in page runs first and returns here.

type Signed = RequestContext & { user: NonNullable<RequestContext['user']>; session: { id: string } };

const consentBody = z.object({ decision: z.enum(['approve', 'deny']) });

/** `oidc` gives the provider, built at its first use (oidc.routes.ts). */
export function interactionRoutes(
  app: FastifyInstance,
  services: Services,
  oidc: () => Promise<Provider>,
): void {
  const db = services.database.db;

  async function load(req: FastifyRequest, reply: FastifyReply) {
    const provider = await oidc();
    const details = await provider.interactionDetails(req.raw, reply.raw).catch(() => {
      throw new AppError('not_found', 'This sign-in has expired; start it again from the app.');
    });
    const ctx = req.ctx;
    // Pending terms are asked on Behalf's page first, as at any sign-in (R-IMP-12); while
    // acting, the administrator accepted them on the user's behalf at the start.
    const termsPending =
      ctx.user && !ctx.impersonation ? (await services.terms.pendingFor(db, ctx.user.id)).length > 0 : false;
    const signed = ctx.user && ctx.session && !termsPending ? (ctx as Signed) : null;
    const app = await findApp(db, details.params.client_id as string);
    if (!app) throw new AppError('not_found', 'This app is no longer registered.');
    return { details, signed, app };
  }

  /** Behalf's sign-in page, which brings the browser back (web/src/auth/SignInPage.tsx). */
  function toSignIn(reply: FastifyReply, uid: string) {
    const back = `${oidcMount}/interaction/${encodeURIComponent(uid)}`;
    return reply.redirect(`/sign-in?next=${encodeURIComponent(back)}`, 303);
  }

  /** Stores the result; the browser resumes the authorization at the provider. */
  async function finish(req: FastifyRequest, reply: FastifyReply, result: Record<string, unknown>) {
    // Answered by Fastify (not the provider), so a session cookie rotated by this request
    // reaches the browser too.
    const provider = await oidc();
    const returnTo = await provider.interactionResult(req.raw, reply.raw, result, {
      mergeWithLastSubmission: false,
    });
    return reply.redirect(returnTo, 303);
  }

  async function approve(req: FastifyRequest, reply: FastifyReply, details: InteractionDetails, ctx: Signed) {
    const clientId = details.params.client_id as string;
    const grant = await newGrant(await oidc(), services, details, ctx.user.id);
    await services.database.transaction(async (trx) => {
      await insertGrantLink(trx, {
        grant_id: grant,
        user_id: ctx.user.id,
        session_id: ctx.session.id,
        impersonation_id: ctx.impersonationId,
        created_at: services.clock.now(),
        client_id: clientId,
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
    return finish(req, reply, { login: { accountId: ctx.user.id }, consent: { grantId: grant } });
  }

  app.get<{ Params: { uid: string } }>(
    `${oidcMount}/interaction/:uid`,
    { schema: { hide: true } },
    async (req, reply) => {
      const { details, signed, app: client } = await load(req, reply);
      if (!signed) return toSignIn(reply, details.uid);
      if (client.first_party) return approve(req, reply, details, signed);
      const scopes = typeof details.params.scope === 'string' ? details.params.scope.split(' ') : [];
      return reply.type('text/html; charset=utf-8').send(
        consentPage({
          language: signed.user.language,
          appName: client.name,
          userName: signed.user.displayName,
          actorName: signed.actor?.displayName ?? null,
          scopes,
          action: `${oidcMount}/interaction/${encodeURIComponent(details.uid)}/consent`,
        }),
      );
    },
  );

  // The consent form's answer: the one form body this server reads. Only in this scope; the
  // CSRF guard's Origin check applies (a browser sends Origin on a form post).
  void app.register(async (scope) => {
    scope.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string' },
      (_req, body, done) => {
        done(null, Object.fromEntries(new URLSearchParams(body as string)));
      },
    );
    scope.post<{ Params: { uid: string } }>(
      `${oidcMount}/interaction/:uid/consent`,
      { schema: { hide: true } },
      async (req, reply) => {
        const parsed = consentBody.safeParse(req.body);
        if (!parsed.success) throw new AppError('validation_failed', 'decision must be approve or deny.');
        const { details, signed } = await load(req, reply);
        if (!signed) return toSignIn(reply, details.uid);
        if (parsed.data.decision === 'deny') {
          return finish(req, reply, {
            error: 'access_denied',
            error_description: 'The user did not allow the app to sign in.',
          });
        }
        return approve(req, reply, details, signed);
      },
    );
  });
}

/** A fresh grant for this authorization, with what the app asked for (limited to its scopes). */
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

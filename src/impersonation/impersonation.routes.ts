import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Services } from '../services.ts';
import { problems, type ZodApp } from '../http/zod-app.ts';
import { requireUser } from '../http/context.ts';
import {
  actorCookieName,
  clearActorCookie,
  clearSessionCookie,
  sessionCookieName,
  setActorCookie,
  setSessionCookie,
} from '../sessions/cookie.ts';
import { displayText } from '../http/text-fields.ts';
import { impersonationModes } from './mode.ts';
import type { EndedImpersonation } from './browser-flow.ts';
import { approvalsPreviewSchema } from './approval-rule.ts';

const startBody = z
  .object({
    reason: displayText(z.string().trim().max(500), 'multi-line')
      .default('')
      .describe('Why (R-IMP-11); required when the setting says so'),
    durationMinutes: z
      .number()
      .int()
      .min(1)
      .max(24 * 60)
      .describe('Planned duration; capped by the setting'),
    domainId: z
      .uuid()
      .optional()
      .describe('The domain to act in; power users must pick one when domains are in use'),
    acceptTermsOnBehalf: z
      .boolean()
      .optional()
      .describe("Superadmins only: accept pending terms on the user's behalf"),
    origin: z.enum(['users', 'power-users']).default('users').describe('Where "back" returns to'),
    mode: z
      .enum(impersonationModes)
      .optional()
      .describe(
        'Issue 12 #2: "act" or "read-only" (look only: every change is refused with ' +
          '`read_only_impersonation`). Without it, the setting `impersonation.defaultMode`; "act" is ' +
          'refused with `act_not_allowed` for actors the setting `impersonation.actAllowedFor` excludes.',
      ),
    breakGlass: z
      .boolean()
      .optional()
      .describe(
        "Issue 12 #3: superadmins only, start without the user's consent; needs a reason, notifies every " +
          'superadmin and the user at once, and is marked in the audit trail',
      ),
  })
  .strict();

const started = z
  .object({
    impersonationId: z.string(),
    handoffUrl: z.string().describe('Open once, within 60 seconds, in a new tab of the same browser'),
    expiresAt: z.string(),
  })
  .meta({ id: 'ImpersonationStarted' });

const previewSchema = z
  .object({
    allowed: z.boolean(),
    code: z.string().nullable().describe('Why not, when not allowed (the code a start would answer)'),
    message: z.string().nullable(),
    needsTermsAcceptance: z.boolean().describe("A superadmin must accept pending terms on the user's behalf"),
    domainRequired: z.boolean(),
    domains: z.array(z.object({ id: z.string(), name: z.string(), hostName: z.string().nullable() })),
    reasonRequired: z.boolean(),
    maxDurationMinutes: z.number().int(),
    defaultMode: z.enum(impersonationModes).describe('Issue 12 #2: the mode to preselect'),
    actAllowed: z.boolean().describe('Issue 12 #2: whether this actor may pick "act"'),
    approvals: approvalsPreviewSchema,
    stepUp: z
      .object({
        required: z.boolean(),
        minutes: z.number().int(),
        methods: z.array(z.enum(['password', 'totp', 'email'])),
      })
      .describe('Issue 12 #5: prove again (POST /api/v1/session/step-up) first when `required`'),
  })
  .meta({ id: 'ImpersonationPreview' });

export function impersonationRoutes(app: ZodApp, services: Services) {
  /** Refuses callers who may never impersonate before reading the body (401/403 first). */
  const mayImpersonateAtAll = async (req: FastifyRequest): Promise<void> =>
    services.impersonation.assertMayImpersonate(requireUser(req));

  app.get(
    '/api/v1/admin/users/:id/impersonation/preview',
    {
      onRequest: mayImpersonateAtAll,
      schema: {
        tags: ['impersonation'],
        summary: 'May I act as this user? What the start dialog must ask (R-IMP-01, R-IMP-02)',
        description:
          'Answers whether starting would be allowed and, if not, the refusal code and a readable reason; ' +
          'the domain to pick (power users with domains in use), whether terms must be accepted on the ' +
          "user's behalf, and the reason and duration rules. Changes nothing.",
        params: z.object({ id: z.uuid() }),
        response: { 200: previewSchema, ...problems(401, 403, 404) },
      },
    },
    async (req) => services.impersonation.preview(requireUser(req), req.params.id),
  );

  app.post(
    '/api/v1/admin/users/:id/impersonation',
    {
      // Refuse callers who may never impersonate before reading the body (401/403 first).
      onRequest: mayImpersonateAtAll,
      schema: {
        tags: ['impersonation'],
        summary: 'Start acting as this user (R-IMP-01, R-IMP-02, R-IMP-11)',
        description:
          'Checks who may act as whom, records the start in the audit trail and notifies the user. Answers a ' +
          'single-use handoff URL (60 s) to open in a new tab of the same browser; that tab then runs as the user. ' +
          'Refusals carry the reason as `code` (e.g. `subject_is_superadmin`, `not_assigned`, `terms_not_accepted`); ' +
          '`step_up_required` (with `minutes` and `methods`) asks for a recent proof first (issue 12 #5).',
        params: z.object({ id: z.uuid() }),
        body: startBody,
        response: { 201: started, ...problems(401, 403, 404, 422) },
      },
    },
    async (req, reply) => {
      const ctx = requireUser(req);
      const result = await services.impersonation.start(ctx, req.params.id, req.body);
      const path = `/api/v1/impersonation/handoff?token=${result.handoffToken}`;
      const protocol = new URL(services.config.publicUrl).protocol;
      const handoffUrl = result.handoffHost ? `${protocol}//${result.handoffHost}${path}` : path;
      void reply.header('cache-control', 'no-store');
      return reply.code(201).send({
        impersonationId: result.impersonationId,
        handoffUrl,
        expiresAt: new Date(result.expiresAt).toISOString(),
      });
    },
  );

  app.get(
    '/api/v1/impersonation/handoff',
    {
      schema: {
        tags: ['impersonation'],
        summary: 'Open an impersonation in this browser (the handoff URL)',
        description:
          "Single use, valid 60 seconds, bound to the starting administrator's session; for a domain's host " +
          'name, bound to that host instead (`handoff_wrong_host` elsewhere, and the link stays usable). Sets ' +
          "the impersonation session cookie and redirects to the user's start page.",
        querystring: z.object({ token: z.string().max(100) }),
        response: { 303: z.null(), ...problems(403, 410) },
      },
    },
    async (req, reply) => {
      // req.host: the Host header, or X-Forwarded-Host only when TRUST_PROXY is set (app.ts).
      const { token, actorTokenKept } = await services.impersonation.browser.handoff(
        req.ctx,
        req.query.token,
        req.host,
      );
      // The actor's own token waits for "back" in the actor cookie (see sessions/cookie.ts).
      const actorToken = actorTokenKept ? req.cookies[sessionCookieName(services.config)] : undefined;
      if (actorToken) setActorCookie(reply, services.config, actorToken);
      setSessionCookie(reply, services.config, token);
      void reply.header('cache-control', 'no-store');
      return reply.code(303).header('location', '/').send(null);
    },
  );

  app.delete(
    '/api/v1/impersonation',
    {
      config: { readOnlySafe: true },
      schema: {
        tags: ['impersonation'],
        summary: 'Back to your account (R-IMP-06)',
        description:
          "Ends this browser's impersonation on the server and restores the administrator's own session (no new " +
          "login), only against proof from the administrator's own browser: their own session token, kept in " +
          'an HttpOnly SameSite=Strict cookie. Without it (the impersonation session alone, or a domain host) ' +
          'the impersonation ends, this browser is signed out and `restored` is false; the administrator gets ' +
          "their session back on the platform's own address (`returnTo` then is absolute). Works also after " +
          'the impersonation has expired or was ended.',
        response: {
          200: z.object({
            returnTo: z.string(),
            restored: z.boolean().describe("Whether this browser now has the administrator's own session"),
          }),
          ...problems(401, 409),
        },
      },
    },
    async (req, reply) => {
      const cookie = req.cookies[sessionCookieName(services.config)];
      const actorToken = req.cookies[actorCookieName(services.config)];
      const { token, returnTo } = await services.impersonation.browser.back(req.ctx, cookie, actorToken);
      clearActorCookie(reply, services.config);
      if (token) setSessionCookie(reply, services.config, token);
      else clearSessionCookie(reply, services.config);
      return { returnTo, restored: token !== null };
    },
  );
}

/**
 * Issue 7 #4, for GET /api/v1/session without a live session: when the actor's browser (its
 * actor cookie, or its session cookie on the platform's host) names the actor's session that an
 * ended impersonation still suspends, that session comes back and this request runs in it.
 * Answers what had ended (issue 10 #5), for the page to say so, or null when nothing resumed.
 */
export async function resumeActorAfterEnd(
  services: Services,
  req: FastifyRequest,
  reply: FastifyReply,
): Promise<EndedImpersonation | null> {
  const actorToken = req.cookies[actorCookieName(services.config)];
  const sessionToken = req.cookies[sessionCookieName(services.config)];
  const resumed = await services.impersonation.browser.resumeAfterEnd(sessionToken, actorToken);
  if (!resumed) return null;
  const { token, ended } = resumed;
  const resolved = await services.sessions.resolve(token);
  if (!resolved) return null;
  if (actorToken) clearActorCookie(reply, services.config);
  setSessionCookie(reply, services.config, token);
  req.ctx = {
    ...req.ctx,
    session: { id: resolved.sessionId },
    user: resolved.principal,
    actor: null,
    impersonationId: null,
    impersonation: null,
    blockedCapabilities: [],
  };
  return ended;
}

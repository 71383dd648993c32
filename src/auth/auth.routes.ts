import { z } from 'zod';
import type { Services } from '../services.ts';
import { problems, type ZodApp } from '../http/zod-app.ts';
import { requireUser } from '../http/context.ts';
import { clearSessionCookie, setSessionCookie } from '../sessions/cookie.ts';
import { principalOf } from '../users/user.ts';
import { resumeActorAfterEnd } from '../impersonation/impersonation.routes.ts';
import { pendingTermSchema, representPendingTerms } from '../terms/terms.schemas.ts';
import { principalSchema, sessionAnswer, sessionSchema, sessionUser } from './session-answer.ts';

const loginBody = z
  .object({
    login: z.string().trim().min(1).max(320).describe('E-mail address or username'),
    password: z.string().min(1).max(1024),
  })
  .strict();

export function authRoutes(app: ZodApp, services: Services) {
  app.post(
    '/api/v1/auth/login',
    {
      // Per address and per account, before the hash queue (issue 7 #11); a full queue refuses
      // before the body is read (issue 13): the handler's first act is LoginService's
      // hasher.assertCapacity().
      config: { admission: 'login', hashQueue: true },
      schema: {
        tags: ['auth'],
        summary: 'Log in with e-mail or username and password',
        description:
          'Answers 200 with a session cookie, or, for an account with two-factor authentication, ' +
          '200 with `secondFactorRequired` and a challenge to complete. Wrong, unknown, locked or inactive ' +
          'accounts all get 401 `invalid_credentials`.',
        body: loginBody,
        response: {
          200: z.object({
            user: principalSchema.optional(),
            secondFactorRequired: z.boolean(),
            method: z.enum(['email', 'totp']).optional(),
            pendingTerms: z
              .array(pendingTermSchema)
              .optional()
              .describe('With a session: current policy versions to accept (R-IMP-12)'),
          }),
          ...problems(401, 422, 429),
        },
      },
    },
    async (req, reply) => {
      const result = await services.login.login(req.ctx, req.body.login, req.body.password);
      if (result.kind === 'session') {
        setSessionCookie(reply, services.config, result.token);
        const pendingTerms = representPendingTerms(await services.terms.pendingSummary(result.user.id));
        return { user: sessionUser(principalOf(result.user)), secondFactorRequired: false, pendingTerms };
      }
      return services.secondFactor.begin(result.user, reply);
    },
  );

  app.post(
    '/api/v1/auth/login/second-factor',
    {
      config: { admission: 'second-factor' },
      schema: {
        tags: ['auth'],
        summary: 'Complete a two-factor login with the code from the e-mail or the authenticator app',
        body: z
          .object({
            code: z
              .string()
              .trim()
              .regex(/^\d{6}$/, 'must be six digits'),
          })
          .strict(),
        response: {
          200: z.object({
            user: principalSchema,
            secondFactorRequired: z.boolean(),
            pendingTerms: z.array(pendingTermSchema).describe('Current policy versions to accept (R-IMP-12)'),
          }),
          ...problems(401, 422, 429),
        },
      },
    },
    async (req, reply) => {
      const challenge = req.cookies[services.secondFactor.cookieName()];
      const { token, user } = await services.secondFactor.complete(req.ctx, challenge, req.body.code);
      void reply.clearCookie(services.secondFactor.cookieName(), { path: '/api/v1/auth' });
      setSessionCookie(reply, services.config, token);
      const pendingTerms = representPendingTerms(await services.terms.pendingSummary(user.id));
      return { user: sessionUser(principalOf(user)), secondFactorRequired: false, pendingTerms };
    },
  );

  app.post(
    '/api/v1/auth/logout',
    {
      // Signing out is how a read-only impersonation may end, too (issue 12 #2).
      config: { readOnlySafe: true },
      schema: { tags: ['auth'], summary: 'End this session', response: { 204: z.null() } },
    },
    async (req, reply) => {
      // Inside an impersonation, logging out ends it and the actor's own session (R-IMP-10).
      if (!(await services.impersonation.browser.logout(req.ctx))) await services.login.logout(req.ctx);
      clearSessionCookie(reply, services.config);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/api/v1/session',
    {
      schema: {
        tags: ['auth'],
        summary: 'Who is signed in, with which permissions',
        description:
          "After an impersonation ended, the administrator's browser (its own session token, kept while " +
          "acting) gets the administrator's own session back here, unless `acting=true`: a page that shows " +
          'the impersonation asks so, to get 401 and show the end with "back to your account" instead of ' +
          "silently turning into the administrator's page.",
        querystring: z.object({
          acting: z
            .enum(['true', 'false'])
            .optional()
            .describe('Sent by a page showing an impersonation: do not resume the own session'),
        }),
        response: { 200: sessionSchema, ...problems(401) },
      },
    },
    async (req, reply) => {
      // After an impersonation ended, the actor's browser gets the actor's own session back.
      const resumedAfter =
        !req.ctx.user && req.query.acting !== 'true' ? await resumeActorAfterEnd(services, req, reply) : null;
      const ctx = requireUser(req);
      return sessionAnswer(ctx, await services.terms.pendingSummary(ctx.user.id), resumedAfter);
    },
  );
}

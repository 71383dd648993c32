import { z } from 'zod';
import type { Services } from '../services.ts';
import { problems, type ZodApp } from '../http/zod-app.ts';
import { requireUser } from '../http/context.ts';
import { acceptBody, accountTermsSchema, representAccountTerms } from './terms.schemas.ts';

// My Profile: the signed-in user's accepted terms (R-ADM-16, R-IMP-12). Any signed-in user;
// everything is about `req.ctx.user` (the subject, while impersonating).

export function accountTermsRoutes(app: ZodApp, services: Services) {
  app.get(
    '/api/v1/account/terms',
    {
      schema: {
        tags: ['account'],
        summary: 'The policies to accept now, and the ones accepted',
        description:
          '`pending`: current versions of policies in force not accepted (or revoked), with their text. ' +
          '`accepted`: acceptances of current versions, `onBehalf` when a superadmin gave it (R-IMP-12).',
        response: { 200: accountTermsSchema, ...problems(401) },
      },
    },
    async (req) => {
      const ctx = requireUser(req);
      return representAccountTerms(await services.terms.overview(ctx.user.id));
    },
  );

  app.post(
    '/api/v1/account/terms/accept',
    {
      schema: {
        tags: ['account'],
        summary: 'Accept current policy versions',
        description:
          'Idempotent: versions accepted already stay as they are. Any version that is not current ' +
          '(a draft, superseded, of an archived policy, unknown) fails the whole request with 422 ' +
          '`policy_version_not_current`. While impersonating, only a superadmin may accept, and it is ' +
          'recorded as accepted on behalf.',
        body: acceptBody,
        response: { 204: z.null(), ...problems(401, 403, 422) },
      },
    },
    async (req, reply) => {
      await services.terms.accept(requireUser(req), req.body.versionIds);
      return reply.code(204).send(null);
    },
  );

  app.delete(
    '/api/v1/account/terms/:policyId',
    {
      schema: {
        tags: ['account'],
        summary: "Revoke acceptance of a policy's current version",
        description:
          'The policy becomes pending again: the user is asked to accept it at the next login. During an ' +
          'impersonation of this user, revoking ends the impersonation at once (R-IMP-12).',
        params: z.object({ policyId: z.uuid() }),
        response: { 204: z.null(), ...problems(401, 404) },
      },
    },
    async (req, reply) => {
      await services.terms.revoke(requireUser(req), req.params.policyId);
      return reply.code(204).send(null);
    },
  );
}

import { z } from 'zod';
import type { Services } from '../services.ts';
import { problems, type ZodApp } from '../http/zod-app.ts';
import { requireUser } from '../http/context.ts';
import { ifMatchVersion } from '../http/etag.ts';
import { maxPasswordLength } from '../credentials/password-policy.ts';
import { userIdParams } from './users.routes.ts';

export function passwordRoutes(app: ZodApp, services: Services) {
  app.post(
    '/api/v1/admin/users/:id/password/generate',
    {
      schema: {
        tags: ['users'],
        summary: 'Generate a random password that satisfies the policy (R-ADM-12)',
        description:
          'Nothing is stored: show the password once, then save it with PUT .../password. It cannot be retrieved again.',
        params: userIdParams,
        response: { 200: z.object({ password: z.string() }), ...problems(401, 403, 404) },
      },
    },
    async (req, reply) => {
      const password = await services.userCredentials.generatePassword(requireUser(req), req.params.id);
      // A password is a secret: no cache may keep this answer.
      void reply.header('cache-control', 'no-store');
      return { password };
    },
  );

  app.put(
    '/api/v1/admin/users/:id/password',
    {
      schema: {
        tags: ['users'],
        summary: "Set a user's password (R-ADM-12)",
        description:
          "Takes effect at once and ends all of the user's sessions and impersonations of them. " +
          'The password must satisfy the password policy (`password_policy`).',
        params: userIdParams,
        body: z
          .object({
            password: z
              .string()
              .min(1)
              .max(maxPasswordLength * 4),
          })
          .strict(),
        response: { 204: z.null(), ...problems(401, 403, 404, 412, 422, 429) },
      },
    },
    async (req, reply) => {
      const ctx = requireUser(req);
      const ifMatch = ifMatchVersion(req, 'user');
      await services.userCredentials.setPassword(ctx, req.params.id, ifMatch, req.body.password);
      return reply.code(204).send(null);
    },
  );
}

import { z } from 'zod';
import type { Services } from '../services.ts';
import { problems, type ZodApp } from '../http/zod-app.ts';
import { requireUser } from '../http/context.ts';
import { ifMatchVersion } from '../http/etag.ts';
import { userIdParams } from './users.routes.ts';

export function loginAttemptsRoutes(app: ZodApp, services: Services) {
  app.delete(
    '/api/v1/admin/users/:id/login-attempts',
    {
      schema: {
        tags: ['users'],
        summary: "Reset a user's failed login attempts, lifting a lock at once (R-ADM-14)",
        description: 'Audited when there was something to reset. Honours If-Match.',
        params: userIdParams,
        response: { 204: z.null(), ...problems(401, 403, 404, 412) },
      },
    },
    async (req, reply) => {
      const ctx = requireUser(req);
      await services.userCredentials.resetLoginAttempts(ctx, req.params.id, ifMatchVersion(req, 'user'));
      return reply.code(204).send(null);
    },
  );
}

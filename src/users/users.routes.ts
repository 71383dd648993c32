import { z } from 'zod';
import type { Services } from '../services.ts';
import { problems, type ZodApp } from '../http/zod-app.ts';
import { authorize, requireUser } from '../http/context.ts';
import { setEtag } from '../http/etag.ts';
import { createUserBody, userSchema } from './user.schemas.ts';

export const userIdParams = z.object({ id: z.uuid() });

export function usersRoutes(app: ZodApp, services: Services) {
  app.post(
    '/api/v1/admin/users',
    {
      schema: {
        tags: ['users'],
        summary: 'Create a user (R-ADM-01)',
        description:
          'Creates the minimal profile at once; the address starts unverified. Answers with an ETag.',
        body: createUserBody,
        response: { 201: userSchema, ...problems(401, 403, 409, 422) },
      },
    },
    async (req, reply) => {
      const ctx = requireUser(req);
      authorize(ctx, 'users.create');
      const agg = await services.users.create(ctx, req.body);
      setEtag(reply, 'user', agg.user.version);
      void reply.header('location', `/api/v1/admin/users/${agg.user.id}`);
      return reply.code(201).send(await services.users.represent(agg));
    },
  );

  app.get(
    '/api/v1/admin/users/:id',
    {
      schema: {
        tags: ['users'],
        summary: 'Read a user with tags and addresses (R-ADM-03)',
        params: userIdParams,
        response: { 200: userSchema, ...problems(401, 403, 404) },
      },
    },
    async (req, reply) => {
      const ctx = requireUser(req);
      authorize(ctx, 'users.read');
      const agg = await services.users.load(req.params.id);
      setEtag(reply, 'user', agg.user.version);
      return services.users.represent(agg);
    },
  );
}

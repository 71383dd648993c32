import { z } from 'zod';
import type { Services } from '../services.ts';
import { problems, type ZodApp } from '../http/zod-app.ts';
import { requireUser } from '../http/context.ts';
import { ifMatchVersion, setEtag } from '../http/etag.ts';
import { roles } from '../permissions/catalogue.ts';
import { userSchema } from '../users/user.schemas.ts';
import { userIdParams } from '../users/users.routes.ts';

const body = z
  .object({ role: z.enum(roles).describe('user, power-user or superadmin') })
  .strict()
  .meta({ id: 'SetRole' });

export function roleRoutes(app: ZodApp, services: Services) {
  app.put(
    '/api/v1/admin/users/:id/role',
    {
      schema: {
        tags: ['power users'],
        summary: "Set a user's role: user, power user or superadmin (R-IMP-02)",
        description:
          'Superadmins only (403 `missing_permission` for everyone else); nobody changes their own role ' +
          '(403 `self_administration`). A power user who stops being one loses all assigned resources in ' +
          'the same change. Honours If-Match and answers with the user and its new ETag.',
        params: userIdParams,
        body,
        response: { 200: userSchema, ...problems(401, 403, 404, 412, 422) },
      },
    },
    async (req, reply) => {
      const ctx = requireUser(req);
      const agg = await services.orgs.powerUsers.setRole(
        ctx,
        req.params.id,
        ifMatchVersion(req, 'user'),
        req.body.role,
      );
      setEtag(reply, 'user', agg.user.version);
      return services.users.represent(agg);
    },
  );
}

import type { Services } from '../services.ts';
import { problems, type ZodApp } from '../http/zod-app.ts';
import { requireUser } from '../http/context.ts';
import { ifMatchVersion, setEtag } from '../http/etag.ts';
import { displayName } from '../users/user.ts';
import { userIdParams } from '../users/users.routes.ts';
import { powerUserResourcesSchema, setResourcesBody } from './orgs.schemas.ts';
import type { ResourceList } from './resources.store.ts';

/** Pure: the API shape of a power user's resources. */
function represent(list: ResourceList) {
  return {
    users: list.users.map((u) => ({ id: u.id, displayName: displayName(u), primaryEmail: u.primaryEmail })),
    groups: list.groups,
    domains: list.domains,
  };
}

export function resourcesRoutes(app: ZodApp, services: Services) {
  app.get(
    '/api/v1/admin/users/:id/power-user-resources',
    {
      schema: {
        tags: ['power users'],
        summary: 'Read what is assigned to a power user: users, groups, domains (R-IMP-02)',
        description:
          "Needs `users.read`. Answers with the user's ETag: the resources are part of the user, and " +
          'If-Match on the PUT takes it.',
        params: userIdParams,
        response: { 200: powerUserResourcesSchema, ...problems(401, 403, 404) },
      },
    },
    async (req, reply) => {
      const ctx = requireUser(req);
      const { agg, resources } = await services.orgs.powerUsers.resources(ctx, req.params.id);
      setEtag(reply, 'user', agg.user.version);
      return represent(resources);
    },
  );

  app.put(
    '/api/v1/admin/users/:id/power-user-resources',
    {
      schema: {
        tags: ['power users'],
        summary: "Replace a power user's assigned users, groups and domains (R-IMP-02)",
        description:
          'Superadmins only (403 `missing_permission`). The user must be a power user (422 ' +
          '`not_a_power_user`). All three lists are required and replace the current set; an ID that ' +
          'names nothing is refused with 422 `validation_failed`, one field error per entry (`groups.1`). ' +
          "Honours If-Match with the user's ETag and answers with the new one.",
        params: userIdParams,
        body: setResourcesBody,
        response: { 200: powerUserResourcesSchema, ...problems(401, 403, 404, 412, 422) },
      },
    },
    async (req, reply) => {
      const ctx = requireUser(req);
      const { agg, resources } = await services.orgs.powerUsers.setResources(
        ctx,
        req.params.id,
        ifMatchVersion(req, 'user'),
        req.body,
      );
      setEtag(reply, 'user', agg.user.version);
      return represent(resources);
    },
  );
}

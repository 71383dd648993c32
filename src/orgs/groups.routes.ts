import { z } from 'zod';
import type { Services } from '../services.ts';
import { problems, type ZodApp } from '../http/zod-app.ts';
import { requireUser } from '../http/context.ts';
import { ifMatchVersion, setEtag } from '../http/etag.ts';
import type { Group } from './groups.store.ts';
import {
  createGroupBody,
  groupIdParams,
  groupListSchema,
  groupSchema,
  updateGroupBody,
} from './orgs.schemas.ts';

/** Pure: the API shape of a group. */
export function representGroup(g: Group) {
  return {
    id: g.id,
    name: g.name,
    memberCount: g.memberCount,
    createdAt: new Date(g.createdAt).toISOString(),
  };
}

export function groupsRoutes(app: ZodApp, services: Services) {
  const groups = services.orgs.groups;

  app.post(
    '/api/v1/admin/groups',
    {
      schema: {
        tags: ['groups'],
        summary: 'Create a group (R-IMP-02)',
        description:
          'Needs `groups.manage`. Names are unique regardless of case (409 `group_name_taken`). ' +
          'Answers with an ETag.',
        body: createGroupBody,
        response: { 201: groupSchema, ...problems(401, 403, 409, 422) },
      },
    },
    async (req, reply) => {
      const group = await groups.create(requireUser(req), req.body);
      setEtag(reply, 'group', group.version);
      void reply.header('location', `/api/v1/admin/groups/${group.id}`);
      return reply.code(201).send(representGroup(group));
    },
  );

  app.get(
    '/api/v1/admin/groups',
    {
      schema: {
        tags: ['groups'],
        summary: 'List all groups, by name',
        description: 'Needs `users.read`.',
        response: { 200: groupListSchema, ...problems(401, 403) },
      },
    },
    async (req) => ({ items: (await groups.list(requireUser(req))).map(representGroup) }),
  );

  app.get(
    '/api/v1/admin/groups/:id',
    {
      schema: {
        tags: ['groups'],
        summary: 'Read a group',
        description: 'Needs `users.read`. Answers with an ETag.',
        params: groupIdParams,
        response: { 200: groupSchema, ...problems(401, 403, 404) },
      },
    },
    async (req, reply) => {
      const group = await groups.get(requireUser(req), req.params.id);
      setEtag(reply, 'group', group.version);
      return representGroup(group);
    },
  );

  app.patch(
    '/api/v1/admin/groups/:id',
    {
      schema: {
        tags: ['groups'],
        summary: 'Rename a group',
        description:
          'Needs `groups.manage`. Honours If-Match (412 `precondition_failed` when the group changed ' +
          'meanwhile) and answers with the group and its new ETag.',
        params: groupIdParams,
        body: updateGroupBody,
        response: { 200: groupSchema, ...problems(401, 403, 404, 409, 412, 422) },
      },
    },
    async (req, reply) => {
      const group = await groups.rename(
        requireUser(req),
        req.params.id,
        ifMatchVersion(req, 'group'),
        req.body,
      );
      setEtag(reply, 'group', group.version);
      return representGroup(group);
    },
  );

  app.delete(
    '/api/v1/admin/groups/:id',
    {
      schema: {
        tags: ['groups'],
        summary: 'Delete a group',
        description:
          'Needs `groups.manage`. Its memberships end, and power users who had the group assigned lose ' +
          'it (and the reach it gave) in the same change. The users themselves stay. Honours If-Match.',
        params: groupIdParams,
        response: { 204: z.null(), ...problems(401, 403, 404, 412) },
      },
    },
    async (req, reply) => {
      await groups.remove(requireUser(req), req.params.id, ifMatchVersion(req, 'group'));
      return reply.code(204).send(null);
    },
  );
}

import type { Services } from '../services.ts';
import { problems, type ZodApp } from '../http/zod-app.ts';
import { requireUser } from '../http/context.ts';
import { ifMatchVersion, setEtag } from '../http/etag.ts';
import { displayName } from '../users/user.ts';
import type { GroupMember } from './groups.store.ts';
import { groupIdParams, groupMembersSchema, setMembersBody } from './orgs.schemas.ts';

/** Pure: the API shape of a member list. */
function represent(members: GroupMember[]) {
  return {
    users: members.map((m) => ({ id: m.id, displayName: displayName(m), primaryEmail: m.primaryEmail })),
  };
}

export function groupMembersRoutes(app: ZodApp, services: Services) {
  const groups = services.orgs.groups;

  app.get(
    '/api/v1/admin/groups/:id/members',
    {
      schema: {
        tags: ['groups'],
        summary: "List a group's members",
        description: "Needs `users.read`. Answers with the group's ETag, which the PUT takes as If-Match.",
        params: groupIdParams,
        response: { 200: groupMembersSchema, ...problems(401, 403, 404) },
      },
    },
    async (req, reply) => {
      const { group, members } = await groups.members(requireUser(req), req.params.id);
      setEtag(reply, 'group', group.version);
      return represent(members);
    },
  );

  app.put(
    '/api/v1/admin/groups/:id/members',
    {
      schema: {
        tags: ['groups'],
        summary: "Replace a group's members (R-IMP-02)",
        description:
          'Needs `groups.manage` and `users.read` (the answer names the members). `users` is the complete new list; an ID that names no user is refused ' +
          "with 422 `validation_failed`, one field error per entry (`users.3`). The group's version moves: " +
          'honours If-Match and answers with the new ETag. Power users who have the group assigned reach ' +
          'exactly the new members from the next request on.',
        params: groupIdParams,
        body: setMembersBody,
        response: { 200: groupMembersSchema, ...problems(401, 403, 404, 412, 422) },
      },
    },
    async (req, reply) => {
      const { group, members } = await groups.setMembers(
        requireUser(req),
        req.params.id,
        ifMatchVersion(req, 'group'),
        req.body.users,
      );
      setEtag(reply, 'group', group.version);
      return represent(members);
    },
  );
}

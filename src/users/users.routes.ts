import { z } from 'zod';
import type { FastifyRequest } from 'fastify';
import type { Services } from '../services.ts';
import { problems, type ZodApp } from '../http/zod-app.ts';
import { requireUser } from '../http/context.ts';
import { ifMatchVersion, setEtag } from '../http/etag.ts';
import { openToPowerUsers } from '../http/admin-guard.ts';
import { createUserAs, readUserAs, refuseUsernameChange } from './user-admin.ts';
import { createUserBody, updateUserBody, userSchema } from './user.schemas.ts';

export const userIdParams = z.object({ id: z.uuid() });

const deleteQuery = z
  .object({
    confirm: z.string().max(100).optional().describe("The user's ID, typed again to confirm (R-ADM-15)"),
  })
  .strict();

/**
 * R-ADM-02: an administrator cannot change a username. Runs before body validation so that a
 * body naming `username` gets this reason instead of a generic unknown-field answer; who may
 * not administer users at all still learns only that (401/403), not this rule.
 */
async function refuseUsername(req: FastifyRequest): Promise<void> {
  const body = req.body;
  if (typeof body !== 'object' || body === null || !Object.hasOwn(body, 'username')) return;
  refuseUsernameChange(requireUser(req));
}

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
      const agg = await createUserAs(requireUser(req), services.users, req.body);
      setEtag(reply, 'user', agg.user.version);
      void reply.header('location', `/api/v1/admin/users/${agg.user.id}`);
      return reply.code(201).send(await services.users.represent(agg));
    },
  );

  app.get(
    '/api/v1/admin/users/:id',
    {
      ...openToPowerUsers,
      schema: {
        tags: ['users'],
        summary: 'Read a user with tags and addresses (R-ADM-03)',
        description:
          'Needs `users.read`; a power user reads the users assigned to them (directly, through a group ' +
          'or a domain; R-IMP-02) and gets 403 `missing_permission` for any other ID, existing or not.',
        params: userIdParams,
        response: { 200: userSchema, ...problems(401, 403, 404) },
      },
    },
    async (req, reply) => {
      const ctx = requireUser(req);
      const inReach = await services.orgs.inReachOfCaller(ctx, req.params.id);
      const agg = await readUserAs(ctx, services.users, req.params.id, inReach);
      setEtag(reply, 'user', agg.user.version);
      return services.users.represent(agg);
    },
  );

  app.patch(
    '/api/v1/admin/users/:id',
    {
      schema: {
        tags: ['users'],
        summary: "Edit a user's profile or switch it active/inactive (R-ADM-03, R-ADM-05)",
        description:
          'Send only what changes. Honours If-Match (412 `precondition_failed` when the user changed ' +
          'meanwhile; nothing is changed) and answers with the user and its new ETag. `active: false` ends ' +
          "all the user's sessions at once. The username cannot be changed here (422 " +
          '`username_admin_immutable`, R-ADM-02). Nobody edits their own account here (R-ADM-08).',
        params: userIdParams,
        body: updateUserBody,
        response: { 200: userSchema, ...problems(401, 403, 404, 412, 422) },
      },
      preValidation: refuseUsername,
    },
    async (req, reply) => {
      const ctx = requireUser(req);
      const agg = await services.users.update(ctx, req.params.id, ifMatchVersion(req, 'user'), req.body);
      setEtag(reply, 'user', agg.user.version);
      return services.users.represent(agg);
    },
  );

  app.delete(
    '/api/v1/admin/users/:id',
    {
      schema: {
        tags: ['users'],
        summary: 'Delete a user (R-ADM-15)',
        description:
          "Needs `?confirm=` with the user's ID (422 `confirmation_required` otherwise). Ends the user's " +
          'sessions on every instance; the audit trail keeps readable labels, so events about the user ' +
          'stay readable (GET /api/v1/admin/audit-events?targetId=). Honours If-Match.',
        params: userIdParams,
        querystring: deleteQuery,
        response: { 204: z.null(), ...problems(401, 403, 404, 412, 422) },
      },
    },
    async (req, reply) => {
      const ctx = requireUser(req);
      await services.users.delete(ctx, req.params.id, ifMatchVersion(req, 'user'), req.query.confirm);
      return reply.code(204).send(null);
    },
  );
}

import { z } from 'zod';
import type { Services } from '../services.ts';
import { problems, type ZodApp } from '../http/zod-app.ts';
import { requireUser } from '../http/context.ts';
import { ifMatchVersion, setEtag } from '../http/etag.ts';
import {
  linkAccountBody,
  linkedAccountListSchema,
  linkedAccountSchema,
  userLinkParams,
} from './linked-accounts.schemas.ts';

// A user's linked accounts on the admin user page (R-ADM-11): list, the "link account" wizard,
// remove. No mail is sent to the user about any of it. Linking and removing change who can
// sign in as the user, so they bump the user's version (ETag) and need `users.credentials`.

const ifMatchNote = ' Honours If-Match on the user (412 when the user changed meanwhile).';

export function adminLinkedAccountsRoutes(app: ZodApp, services: Services) {
  app.get(
    '/api/v1/admin/users/:id/linked-accounts',
    {
      schema: {
        tags: ['users'],
        summary: "A user's linked accounts (R-ADM-11)",
        description: 'Needs `users.read`; a power user reads those of the users assigned to them.',
        params: z.object({ id: z.uuid() }),
        response: { 200: linkedAccountListSchema, ...problems(401, 403, 404) },
      },
    },
    async (req) => services.linkedAccounts.listForUser(requireUser(req), req.params.id),
  );

  app.post(
    '/api/v1/admin/users/:id/linked-accounts',
    {
      schema: {
        tags: ['users'],
        summary: 'Link an account at a login service to a user (the wizard, R-ADM-11)',
        description:
          "Takes the service and the user's identifier there; no mail is sent. Needs `users.credentials` " +
          '(a link signs in like a password) and never works on oneself (R-ADM-08). 409 ' +
          '`linked_account_taken` when the pair is linked already (to any profile); the answer names ' +
          'the holder as `holder: { id, displayName }` only when the caller may read that user. 422 ' +
          '`validation_failed` when no login service has this `serviceId`, or when the service is restricted ' +
          "to another domain than the user's (field error kind `outside_service_domain`)." +
          ifMatchNote,
        params: z.object({ id: z.uuid() }),
        body: linkAccountBody,
        response: { 201: linkedAccountSchema, ...problems(401, 403, 404, 409, 412, 422) },
      },
    },
    async (req, reply) => {
      const { agg, link } = await services.linkedAccounts.linkForUser(
        requireUser(req),
        req.params.id,
        ifMatchVersion(req, 'user'),
        req.body,
      );
      setEtag(reply, 'user', agg.user.version);
      return reply.code(201).send(link);
    },
  );

  app.delete(
    '/api/v1/admin/users/:id/linked-accounts/:linkId',
    {
      schema: {
        tags: ['users'],
        summary: "Remove a user's linked account (R-ADM-11)",
        description:
          'No mail is sent. Needs `users.credentials`; never on oneself (R-ADM-08). The user may be ' +
          'left without a way to sign in: the user then shows the tag `cannot-log-in` (R-ADM-04).' +
          ifMatchNote,
        params: userLinkParams,
        response: { 204: z.null(), ...problems(401, 403, 404, 412) },
      },
    },
    async (req, reply) => {
      const agg = await services.linkedAccounts.unlinkForUser(
        requireUser(req),
        req.params.id,
        ifMatchVersion(req, 'user'),
        req.params.linkId,
      );
      setEtag(reply, 'user', agg.user.version);
      return reply.code(204).send(null);
    },
  );
}

import { z } from 'zod';
import type { Services } from '../services.ts';
import { problems, type ZodApp } from '../http/zod-app.ts';
import { requireUser } from '../http/context.ts';
import { linkIdParams, ownLinkedAccountsSchema } from './linked-accounts.schemas.ts';

// My linked accounts (R-ADM-16): list and remove. Linking runs through the login service
// (GET /api/v1/account/linked-accounts/link/{serviceId}, with the sign-in flows).

export function accountLinkedAccountsRoutes(app: ZodApp, services: Services) {
  app.get(
    '/api/v1/account/linked-accounts',
    {
      schema: {
        tags: ['account'],
        summary: 'My linked accounts, and the login services I may link (R-ADM-16)',
        response: { 200: ownLinkedAccountsSchema, ...problems(401) },
      },
    },
    async (req) => services.linkedAccounts.listOwn(requireUser(req)),
  );

  app.delete(
    '/api/v1/account/linked-accounts/:linkId',
    {
      config: { capability: 'linked_accounts.change' },
      schema: {
        tags: ['account'],
        summary: 'Remove one of my linked accounts (R-ADM-16)',
        description:
          '409 `last_sign_in_method` when it is the last way to sign in: a link at a service shown on the ' +
          'sign-in page, with no password (or password login switched off) and no other such link. ' +
          'Refused with `blocked_during_impersonation` while acting as another user (R-IMP-04).',
        params: linkIdParams,
        response: { 204: z.null(), ...problems(401, 403, 404, 409) },
      },
    },
    async (req, reply) => {
      await services.linkedAccounts.removeOwn(requireUser(req), req.params.linkId);
      return reply.code(204).send(null);
    },
  );
}

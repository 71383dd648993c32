import { z } from 'zod';
import type { Services } from '../services.ts';
import { problems, type ZodApp } from '../http/zod-app.ts';
import { requireUser } from '../http/context.ts';
import { ifMatchVersion, setEtag } from '../http/etag.ts';
import { emailField, userSchema } from './user.schemas.ts';
import type { UserAggregate } from './users.service.ts';
import type { FastifyReply } from 'fastify';

// R-ADM-09: a user's e-mail addresses. Every answer is the whole user with its new ETag, since
// each change bumps the user's version (and may change primaryEmail).

const emailParams = z.object({ id: z.uuid(), emailId: z.uuid() });

const addBody = z
  .object({
    address: emailField,
    verified: z
      .boolean()
      .default(false)
      .describe(
        'Mark it verified at once, without a confirmation mail (409 `email_taken` when verified elsewhere)',
      ),
  })
  .strict()
  .meta({ id: 'AddEmail' });

const ifMatchNote = ' Honours If-Match (412 when the user changed meanwhile).';

export function emailsRoutes(app: ZodApp, services: Services) {
  const answer = async (reply: FastifyReply, agg: UserAggregate) => {
    setEtag(reply, 'user', agg.user.version);
    return services.users.represent(agg);
  };

  app.post(
    '/api/v1/admin/users/:id/emails',
    {
      schema: {
        tags: ['users'],
        summary: 'Add an e-mail address to a user (R-ADM-09)',
        description:
          'The address is added as non-primary. 409 `email_exists` when the user has it already; 409 ' +
          '`email_taken` when it is to be verified but is verified in another profile (an unverified ' +
          'copy is allowed: connecting profiles starts from one).' +
          ifMatchNote,
        params: z.object({ id: z.uuid() }),
        body: addBody,
        response: { 201: userSchema, ...problems(401, 403, 404, 409, 412, 422) },
      },
    },
    async (req, reply) => {
      const ctx = requireUser(req);
      const agg = await services.emails.add(ctx, req.params.id, ifMatchVersion(req, 'user'), req.body);
      return reply.code(201).send(await answer(reply, agg));
    },
  );

  app.post(
    '/api/v1/admin/users/:id/emails/:emailId/primary',
    {
      schema: {
        tags: ['users'],
        summary: 'Make an address the primary one (R-ADM-09)',
        description: 'Any address, verified or not; no confirmation mail is sent.' + ifMatchNote,
        params: emailParams,
        response: { 200: userSchema, ...problems(401, 403, 404, 409, 412) },
      },
    },
    async (req, reply) => {
      const ctx = requireUser(req);
      const { id, emailId } = req.params;
      return answer(reply, await services.emails.setPrimary(ctx, id, ifMatchVersion(req, 'user'), emailId));
    },
  );

  app.post(
    '/api/v1/admin/users/:id/emails/:emailId/verify',
    {
      schema: {
        tags: ['users'],
        summary: 'Mark an address verified (R-ADM-09)',
        description:
          'No confirmation mail is sent. 409 `email_taken` when the address is verified in another profile.' +
          ifMatchNote,
        params: emailParams,
        response: { 200: userSchema, ...problems(401, 403, 404, 409, 412) },
      },
    },
    async (req, reply) => {
      const ctx = requireUser(req);
      const { id, emailId } = req.params;
      return answer(reply, await services.emails.verify(ctx, id, ifMatchVersion(req, 'user'), emailId));
    },
  );

  app.delete(
    '/api/v1/admin/users/:id/emails/:emailId',
    {
      schema: {
        tags: ['users'],
        summary: 'Remove an address (R-ADM-09)',
        description:
          '422 `last_email` for the only address, 422 `primary_email` for the primary one (make another ' +
          'one primary first).' +
          ifMatchNote,
        params: emailParams,
        response: { 200: userSchema, ...problems(401, 403, 404, 412, 422) },
      },
    },
    async (req, reply) => {
      const ctx = requireUser(req);
      const { id, emailId } = req.params;
      return answer(reply, await services.emails.remove(ctx, id, ifMatchVersion(req, 'user'), emailId));
    },
  );
}

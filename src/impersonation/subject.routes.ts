import { z } from 'zod';
import type { Services } from '../services.ts';
import { problems, type ZodApp } from '../http/zod-app.ts';
import { requireUser } from '../http/context.ts';
import { endReasons } from './messages.ts';

// Issue 12, "who acted as me": any signed-in user's view of the impersonations of their account.

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

const item = z
  .object({
    id: z.string(),
    actor: z.object({ displayName: z.string() }).describe('Who acted (as named when they started)'),
    reason: z.string().describe('The reason the actor gave at the start'),
    startedAt: z.string(),
    expiresAt: z.string(),
    openedAt: z.string().nullable().describe('When the acting tab opened; null: nobody acted'),
    endedAt: z.string().nullable(),
    endReason: z.enum(endReasons).nullable(),
    active: z.boolean().describe('Running now: the user may end it'),
  })
  .meta({ id: 'ImpersonationOfMe' });

const done = z
  .object({
    at: z.string(),
    action: z.string().describe('The audit action, e.g. account.profile_updated'),
    targetType: z.string(),
    targetLabel: z.string().nullable(),
    fields: z.array(z.string()).describe('Names of the fields changed (never their values)'),
  })
  .meta({ id: 'DoneWhileActing' });

type View = Awaited<ReturnType<Services['impersonationsOfMe']['list']>>['items'][number];

function represent(v: View) {
  return {
    ...v,
    endReason: v.endReason as (typeof endReasons)[number] | null,
    startedAt: iso(v.startedAt)!,
    expiresAt: iso(v.expiresAt)!,
    openedAt: iso(v.openedAt),
    endedAt: iso(v.endedAt),
  };
}

export function subjectImpersonationRoutes(app: ZodApp, services: Services) {
  app.get(
    '/api/v1/account/impersonations',
    {
      schema: {
        tags: ['account'],
        summary: 'Who acted as me: the impersonations of my account, newest first',
        querystring: z
          .object({
            limit: z.coerce.number().int().min(1).max(100).default(20),
            cursor: z.string().max(200).optional().describe('nextCursor of the previous page'),
          })
          .strict(),
        response: {
          200: z.object({ items: z.array(item), nextCursor: z.string().nullable() }),
          ...problems(400, 401, 422),
        },
      },
    },
    async (req) => {
      const page = await services.impersonationsOfMe.list(requireUser(req), req.query);
      return { items: page.items.map(represent), nextCursor: page.nextCursor };
    },
  );

  app.get(
    '/api/v1/account/impersonations/:id',
    {
      schema: {
        tags: ['account'],
        summary: 'One impersonation of my account, with what was done in my name during it',
        params: z.object({ id: z.uuid() }),
        response: {
          200: item.extend({ done: z.array(done) }).meta({ id: 'ImpersonationOfMeDetail' }),
          ...problems(401, 404, 422),
        },
      },
    },
    async (req) => {
      const detail = await services.impersonationsOfMe.get(requireUser(req), req.params.id);
      return {
        ...represent(detail),
        done: detail.done.map((d) => ({ ...d, at: iso(d.at)! })),
      };
    },
  );

  app.delete(
    '/api/v1/account/impersonations/:id',
    {
      config: { capability: 'sessions.end' },
      schema: {
        tags: ['account'],
        summary: 'End a running impersonation of my account now',
        description:
          'The acting session is signed out of it at its next request, on every instance; the actor ' +
          'is notified (`impersonation.ended_by_subject`) and the end is audited with the reason ' +
          '`ended_by_subject`. Refused while acting (the administrator goes "back" instead).',
        params: z.object({ id: z.uuid() }),
        response: { 204: z.null(), ...problems(401, 403, 404, 409, 422) },
      },
    },
    async (req, reply) => {
      await services.impersonationsOfMe.end(requireUser(req), req.params.id);
      return reply.code(204).send(null);
    },
  );
}

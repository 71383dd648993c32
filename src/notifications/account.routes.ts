import { z } from 'zod';
import type { Services } from '../services.ts';
import { problems, type ZodApp } from '../http/zod-app.ts';
import { requireUser } from '../http/context.ts';

// My notifications, for any signed-in user (R-IMP-09). Inside an impersonation the notices about
// impersonation show as unread and cannot be marked read (read-rule.ts).

const notification = z
  .object({
    id: z.string(),
    type: z.string().describe('e.g. impersonation.started, impersonation.ended'),
    read: z
      .boolean()
      .describe('Always false for impersonation notices while the session is an impersonation'),
    title: z.string(),
    body: z.string().describe('Plain text'),
    createdAt: z.string().describe('ISO 8601'),
  })
  .meta({ id: 'Notification' });

const listQuery = z
  .object({
    limit: z.coerce.number().int().min(1).max(100).default(20),
    cursor: z.string().max(200).optional().describe('nextCursor of the previous page'),
  })
  .strict();

export function accountNotificationRoutes(app: ZodApp, services: Services) {
  app.get(
    '/api/v1/account/notifications',
    {
      schema: {
        tags: ['account'],
        summary: 'My notifications, newest first, with the unread count',
        querystring: listQuery,
        response: {
          200: z.object({
            items: z.array(notification),
            unreadCount: z.number().int(),
            nextCursor: z.string().nullable(),
          }),
          ...problems(400, 401, 422),
        },
      },
    },
    async (req) => services.notifications.list(requireUser(req), req.query),
  );

  app.post(
    '/api/v1/account/notifications/:id/read',
    {
      schema: {
        tags: ['account'],
        summary: 'Mark one of my notifications read',
        description:
          'Refused with blocked_during_impersonation for notices about impersonation while the session is an impersonation (R-IMP-09).',
        params: z.object({ id: z.uuid() }),
        response: { 204: z.null().describe('Marked read'), ...problems(401, 403, 404) },
      },
    },
    async (req, reply) => {
      await services.notifications.markRead(requireUser(req), req.params.id);
      return reply.code(204).send(null);
    },
  );
}

import { z } from 'zod';
import type { Services } from '../services.ts';
import { problems, type ZodApp } from '../http/zod-app.ts';
import { requireUser } from '../http/context.ts';
import { encodeKeysetCursor } from '../shared/keyset-cursor.ts';
import { visibleContent } from './delivery.ts';
import { listOutboxAs } from './outbox-reading.ts';

// The outbox for administrators of notifications: what was queued, sent, logged or given up.
// Never a login code: subject and body of login_code mails are shown as "[hidden]".

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

const outboxItem = z
  .object({
    id: z.string(),
    kind: z.string().describe('email, notification or login_code'),
    recipient: z.string(),
    subject: z.string(),
    body: z.string().describe('"[hidden]" for login_code mails'),
    status: z.enum(['pending', 'sent', 'logged', 'failed']),
    attempts: z.number().int(),
    lastError: z.string().nullable(),
    createdAt: z.string(),
    nextAttemptAt: z.string().nullable().describe('When a pending mail is tried next'),
    sentAt: z.string().nullable().describe('When it was sent (or logged)'),
    messageId: z.string().nullable(),
  })
  .meta({ id: 'OutboxMail' });

const query = z
  .object({
    status: z.enum(['pending', 'sent', 'logged', 'failed']).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    cursor: z.string().max(200).optional(),
  })
  .strict();

export function outboxRoutes(app: ZodApp, services: Services) {
  app.get(
    '/api/v1/admin/outbox',
    {
      schema: {
        tags: ['notifications'],
        summary: 'The mail outbox, newest first',
        querystring: query,
        response: {
          200: z.object({ items: z.array(outboxItem), nextCursor: z.string().nullable() }),
          ...problems(400, 401, 403, 422),
        },
      },
    },
    async (req) => {
      const q = req.query;
      const rows = await listOutboxAs(requireUser(req), services.database.db, { ...q, limit: q.limit + 1 });
      const page = rows.slice(0, q.limit);
      const last = page.at(-1);
      return {
        items: page.map((r) => {
          const shown = visibleContent(r.kind, r.subject, r.body_text);
          return {
            id: r.id,
            kind: r.kind,
            recipient: r.recipient,
            subject: shown.subject,
            body: shown.body,
            status: r.status as 'pending' | 'sent' | 'logged' | 'failed',
            attempts: r.attempts,
            lastError: r.last_error,
            createdAt: iso(r.created_at)!,
            nextAttemptAt: r.status === 'pending' ? iso(r.available_at) : null,
            sentAt: iso(r.sent_at),
            messageId: r.message_id,
          };
        }),
        nextCursor:
          rows.length > q.limit && last
            ? encodeKeysetCursor({ createdAt: last.created_at, id: last.id })
            : null,
      };
    },
  );
}

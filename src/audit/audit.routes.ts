import { z } from 'zod';
import type { Services } from '../services.ts';
import { problems, type ZodApp } from '../http/zod-app.ts';
import { authorize, requireUser } from '../http/context.ts';
import { AppError } from '../shared/errors.ts';
import { listAuditEvents } from './audit.store.ts';
import { verifyAuditChain } from './audit.ts';

const auditEvent = z
  .object({
    id: z.string(),
    occurredAt: z.string().describe('ISO 8601'),
    requestId: z.string().nullable(),
    action: z.string(),
    user: z
      .object({ id: z.string().nullable(), label: z.string().nullable() })
      .describe('Whose account it was done as'),
    actor: z
      .object({ id: z.string().nullable(), label: z.string().nullable() })
      .describe('Who really did it'),
    impersonationId: z.string().nullable(),
    impersonationReason: z.string().nullable().describe('The reason given for the impersonation (R-IMP-08)'),
    target: z.object({ type: z.string(), id: z.string().nullable(), label: z.string().nullable() }),
    changes: z.record(z.string(), z.object({ before: z.unknown(), after: z.unknown() })).nullable(),
    details: z.record(z.string(), z.unknown()).nullable(),
    ip: z.string().nullable(),
  })
  .meta({ id: 'AuditEvent' });

const query = z
  .object({
    action: z.string().max(100).optional(),
    actorId: z.string().max(100).optional(),
    userId: z.string().max(100).optional(),
    targetId: z.string().max(100).optional(),
    impersonationId: z.string().max(100).optional(),
    from: z.iso.datetime({ offset: true }).optional().describe('Events at or after this time'),
    to: z.iso.datetime({ offset: true }).optional().describe('Events before this time'),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    cursor: z.string().max(100).optional(),
  })
  .strict();

export function auditRoutes(app: ZodApp, services: Services) {
  app.get(
    '/api/v1/admin/audit-events/verify',
    {
      schema: {
        tags: ['audit'],
        summary: 'Check the hash chain of the whole audit trail (R-IMP-08)',
        description: 'Recomputes every link; reports the first event whose hash or link does not match.',
        response: {
          200: z.object({
            ok: z.boolean(),
            checked: z.number().int(),
            firstBroken: z
              .object({
                seq: z.number().int(),
                id: z.string(),
                reason: z.enum(['hash_mismatch', 'link_mismatch']),
              })
              .nullable(),
          }),
          ...problems(401, 403),
        },
      },
    },
    async (req) => {
      authorize(requireUser(req), 'audit.read');
      return verifyAuditChain(services.database.db);
    },
  );

  app.get(
    '/api/v1/admin/audit-events',
    {
      schema: {
        tags: ['audit'],
        summary: 'Read the audit trail, newest first',
        querystring: query,
        response: {
          200: z.object({ items: z.array(auditEvent), nextCursor: z.string().nullable() }),
          ...problems(400, 401, 403, 422),
        },
      },
    },
    async (req) => {
      authorize(requireUser(req), 'audit.read');
      const q = req.query;
      const beforeSeq = q.cursor === undefined ? undefined : decodeCursor(q.cursor);
      const rows = await listAuditEvents(services.database.db, {
        action: q.action,
        actorId: q.actorId,
        userId: q.userId,
        targetId: q.targetId,
        impersonationId: q.impersonationId,
        from: q.from === undefined ? undefined : Date.parse(q.from),
        to: q.to === undefined ? undefined : Date.parse(q.to),
        beforeSeq,
        limit: q.limit + 1,
      });
      const page = rows.slice(0, q.limit);
      const last = page.at(-1);
      return {
        items: page.map((r) => ({
          id: r.id,
          occurredAt: new Date(r.occurred_at).toISOString(),
          requestId: r.request_id,
          action: r.action,
          user: { id: r.user_id, label: r.user_label },
          actor: { id: r.actor_id, label: r.actor_label },
          impersonationId: r.impersonation_id,
          impersonationReason: r.impersonation_reason,
          target: { type: r.target_type, id: r.target_id, label: r.target_label },
          changes:
            r.changes === null
              ? null
              : (JSON.parse(r.changes) as Record<string, { before: unknown; after: unknown }>),
          details: r.details === null ? null : (JSON.parse(r.details) as Record<string, unknown>),
          ip: r.ip,
        })),
        nextCursor:
          rows.length > q.limit && last ? Buffer.from(String(last.seq)).toString('base64url') : null,
      };
    },
  );
}

function decodeCursor(cursor: string): number {
  const n = Number(Buffer.from(cursor, 'base64url').toString());
  if (!Number.isSafeInteger(n) || n <= 0)
    throw new AppError('invalid_cursor', 'The cursor is not one this server gave out.');
  return n;
}

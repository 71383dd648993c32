import { z } from 'zod';
import type { Services } from '../services.ts';
import { problems, type ZodApp } from '../http/zod-app.ts';
import { requireUser } from '../http/context.ts';
import { listImpersonationsAs } from './oversight.ts';

const item = z
  .object({
    id: z.string(),
    actor: z.object({ id: z.string(), displayName: z.string() }),
    subject: z.object({ id: z.string(), displayName: z.string() }),
    reason: z.string(),
    origin: z.string(),
    domainId: z.string().nullable(),
    startedAt: z.string(),
    expiresAt: z.string(),
    openedAt: z.string().nullable(),
    endedAt: z.string().nullable(),
    endReason: z.string().nullable(),
    termsAcceptedOnBehalf: z.boolean(),
  })
  .meta({ id: 'Impersonation' });

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export function impersonationAdminRoutes(app: ZodApp, services: Services) {
  app.get(
    '/api/v1/admin/impersonations',
    {
      schema: {
        tags: ['impersonation'],
        summary: 'List impersonations, newest first (active ones by default)',
        querystring: z
          .object({
            active: z.enum(['true', 'false']).default('true'),
            limit: z.coerce.number().int().min(1).max(200).default(50),
          })
          .strict(),
        response: { 200: z.object({ items: z.array(item) }), ...problems(401, 403, 422) },
      },
    },
    async (req) => {
      const rows = await listImpersonationsAs(requireUser(req), services.database.db, {
        activeOnly: req.query.active === 'true',
        limit: req.query.limit,
      });
      return {
        items: rows.map((r) => ({
          id: r.id,
          actor: { id: r.actor_id, displayName: r.actor_label },
          subject: { id: r.subject_id, displayName: r.subject_label },
          reason: r.reason,
          origin: r.origin,
          domainId: r.domain_id,
          startedAt: iso(r.started_at)!,
          expiresAt: iso(r.expires_at)!,
          openedAt: iso(r.handed_off_at),
          endedAt: iso(r.ended_at),
          endReason: r.end_reason,
          termsAcceptedOnBehalf: r.terms_accepted_on_behalf === true || r.terms_accepted_on_behalf === 1,
        })),
      };
    },
  );

  app.delete(
    '/api/v1/admin/impersonations/:id',
    {
      schema: {
        tags: ['impersonation'],
        summary: 'End an impersonation now',
        params: z.object({ id: z.uuid() }),
        response: { 204: z.null(), ...problems(401, 403, 404, 409) },
      },
    },
    async (req, reply) => {
      await services.impersonation.revoke(requireUser(req), req.params.id);
      return reply.code(204).send(null);
    },
  );
}

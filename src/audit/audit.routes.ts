import { z } from 'zod';
import type { Services } from '../services.ts';
import { problems, type ZodApp } from '../http/zod-app.ts';
import { requireUser } from '../http/context.ts';
import { auditActions, parseActionList } from './actions.ts';
import { auditActionsFor, readTrailAs, signCheckpointAs, verifyTrailAs } from './audit-reading.ts';
import type { CheckpointRecord } from './chain.ts';

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

const checkpoint = z
  .object({
    id: z.string(),
    position: z.number().int().describe('The chain position of the head it signs'),
    headHash: z.string(),
    createdAt: z.string().describe('ISO 8601'),
    keyId: z.string(),
    signature: z.string().describe('Ed25519 over checkpointMessage(), base64'),
  })
  .meta({ id: 'AuditCheckpoint' });

function toCheckpoint(c: CheckpointRecord) {
  return {
    id: c.id,
    position: c.position,
    headHash: c.head_hash,
    createdAt: new Date(c.created_at).toISOString(),
    keyId: c.key_id,
    signature: c.signature,
  };
}

const verifyReport = z
  .object({
    ok: z.boolean().describe('No broken event, no bad checkpoint, no truncation'),
    events: z.number().int(),
    checked: z.number().int().describe('Events intact before the first broken one'),
    unkeyed: z.number().int().describe('Events from before keying: checked by hash and link only'),
    macChecked: z.boolean(),
    firstBroken: z
      .object({
        seq: z.number().int(),
        id: z.string(),
        position: z.number().int(),
        reason: z.enum([
          'hash_mismatch',
          'link_mismatch',
          'bad_mac',
          'gap',
          'out_of_order',
          'unkeyed_after_keyed',
          'unknown_version',
        ]),
      })
      .nullable(),
    checkpoints: z.number().int().describe('Checkpoints whose signature verified'),
    lastCheckpoint: z
      .object({
        id: z.string(),
        position: z.number().int(),
        headHash: z.string(),
        createdAt: z.string(),
        keyId: z.string(),
      })
      .nullable(),
    badCheckpoint: z
      .object({
        id: z.string(),
        position: z.number().int(),
        reason: z.enum(['bad_signature', 'unknown_key', 'head_mismatch']),
      })
      .nullable(),
    truncated: z
      .object({ checkpointPosition: z.number().int(), chainEnd: z.number().int() })
      .nullable()
      .describe('The chain ends before a signed checkpoint: events were cut off the end'),
  })
  .meta({ id: 'AuditVerifyReport' });

const query = z
  .object({
    action: z
      .string()
      .max(4000)
      .refine((v) => parseActionList(v) !== null, {
        message: 'must be one action code or several, separated by commas (e.g. user.created,user.deleted)',
      })
      .optional()
      .describe(
        'Events of any of these actions: one code or several separated by commas ' +
          '(GET /api/v1/admin/audit-events/actions lists them)',
      ),
    personId: z
      .uuid()
      .optional()
      .describe('Events of this person: done by them, done as them (impersonated), or done to them'),
    actorId: z.string().max(100).optional().describe('Events this person really did'),
    userId: z.string().max(100).optional().describe('Events done as this user'),
    targetId: z.string().max(100).optional().describe('Events done to this target'),
    impersonationId: z
      .string()
      .max(100)
      .optional()
      .describe('Events of this impersonation: its start (with its reason), what was done in it, its end'),
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
        summary: 'Check the whole audit trail: hashes, links, MACs, positions and checkpoints (R-IMP-08)',
        description:
          'Recomputes every link and MAC, checks that positions have no gaps and that every signed ' +
          'checkpoint matches the chain; reports the first broken event, a bad checkpoint and truncation.',
        response: { 200: verifyReport, ...problems(401, 403) },
      },
    },
    async (req) => {
      const report = await verifyTrailAs(requireUser(req), services.auditIntegrity);
      return {
        ...report,
        lastCheckpoint: report.lastCheckpoint && {
          ...report.lastCheckpoint,
          createdAt: new Date(report.lastCheckpoint.createdAt).toISOString(),
        },
      };
    },
  );

  app.post(
    '/api/v1/admin/audit-events/checkpoints',
    {
      schema: {
        tags: ['audit'],
        summary: 'Sign a checkpoint of the audit trail now',
        description:
          'Signs the current head (position and hash) with the audit signing key, unless the newest ' +
          'checkpoint already covers it; answers the checkpoint that covers the head (null while ' +
          'the trail is empty).',
        response: { 200: checkpoint.nullable(), ...problems(401, 403) },
      },
    },
    async (req) => {
      const result = await signCheckpointAs(requireUser(req), services.auditIntegrity);
      if (!result) return null;
      if (result.created) req.log.info({ auditCheckpoint: result.checkpoint }, 'audit checkpoint');
      return toCheckpoint(result.checkpoint);
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
      const q = req.query;
      return readTrailAs(requireUser(req), services.database.db, {
        ...q,
        actions: q.action === undefined ? undefined : (parseActionList(q.action) ?? undefined),
        from: q.from === undefined ? undefined : Date.parse(q.from),
        to: q.to === undefined ? undefined : Date.parse(q.to),
      });
    },
  );

  app.get(
    '/api/v1/admin/audit-events/actions',
    {
      schema: {
        tags: ['audit'],
        summary: 'The audit actions this server writes, for a filter (issue 10 #11)',
        response: {
          200: z.object({ items: z.array(z.enum(auditActions)) }),
          ...problems(401, 403),
        },
      },
    },
    (req) => ({ items: auditActionsFor(requireUser(req)) }),
  );
}

/** Outside the admin guard: the checkpoints' public key is for anyone who audits the trail. */
export function auditPublicKeyRoutes(app: ZodApp, services: Services) {
  app.get(
    '/api/v1/audit/public-key',
    {
      schema: {
        tags: ['audit'],
        summary: "The public key that checks the audit trail's checkpoints (public)",
        description:
          'Ed25519, PEM (SPKI). With it and an export, `npm run audit:verify -- --export` checks the ' +
          'trail offline, trusting neither the database nor this server.',
        security: [],
        response: {
          200: z.object({ algorithm: z.literal('Ed25519'), keyId: z.string(), publicKey: z.string() }),
        },
      },
    },
    () => ({
      algorithm: 'Ed25519' as const,
      keyId: services.auditIntegrity.keys.keyId,
      publicKey: services.auditIntegrity.keys.publicKeyPem,
    }),
  );
}

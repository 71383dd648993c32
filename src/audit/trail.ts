import type { Db } from '../db/database.ts';
import { findImpersonation } from '../impersonation/impersonation.store.ts';
import { absorbedInto } from '../users/merge/merge.store.ts';
import { AppError } from '../shared/errors.ts';
import { listAuditEvents } from './audit.store.ts';

// Reading the trail for people (issue 10 #11): filters by person, by actions and by
// impersonation, and each event as the API shows it. Authorization is the route's (audit.read).

export interface TrailQuery {
  actions?: string[] | undefined;
  actorId?: string | undefined;
  userId?: string | undefined;
  targetId?: string | undefined;
  personId?: string | undefined;
  impersonationId?: string | undefined;
  from?: number | undefined;
  to?: number | undefined;
  cursor?: string | undefined;
  limit: number;
}

export async function readTrail(db: Db, q: TrailQuery) {
  const beforeSeq = q.cursor === undefined ? undefined : decodeCursor(q.cursor);
  // R-ADM-10: a profile's history includes that of the profiles connected into it.
  const withAbsorbed = async (id: string | undefined) =>
    id === undefined ? undefined : [id, ...(await absorbedInto(db, id))];
  const imp = q.impersonationId === undefined ? undefined : await findImpersonation(db, q.impersonationId);
  const rows = await listAuditEvents(db, {
    action: q.actions,
    actorId: await withAbsorbed(q.actorId),
    userId: await withAbsorbed(q.userId),
    targetId: await withAbsorbed(q.targetId),
    personId: await withAbsorbed(q.personId),
    impersonationId: q.impersonationId,
    legacyStart: imp && { subjectId: imp.subject_id, startedAt: imp.started_at },
    from: q.from,
    to: q.to,
    beforeSeq,
    limit: q.limit + 1,
  });
  const page = rows.slice(0, q.limit);
  const last = page.at(-1);
  return {
    items: page.map(toEvent),
    nextCursor: rows.length > q.limit && last ? Buffer.from(String(last.seq)).toString('base64url') : null,
  };
}

function decodeCursor(cursor: string): number {
  const n = Number(Buffer.from(cursor, 'base64url').toString());
  if (!Number.isSafeInteger(n) || n <= 0)
    throw new AppError('invalid_cursor', 'The cursor is not one this server gave out.');
  return n;
}

const parse = <T>(json: string | null): T | null => (json === null ? null : (JSON.parse(json) as T));

/** Pure: an event as the API shows it. */
export function toEvent(r: Awaited<ReturnType<typeof listAuditEvents>>[number]) {
  const details = parse<Record<string, unknown>>(r.details);
  const named = (key: string) => (typeof details?.[key] === 'string' ? details[key] : null);
  const legacyStart = r.action === 'impersonation.started';
  return {
    id: r.id,
    occurredAt: new Date(r.occurred_at).toISOString(),
    requestId: r.request_id,
    action: r.action,
    user: { id: r.user_id, label: r.user_label },
    actor: { id: r.actor_id, label: r.actor_label },
    // Start and end events written before issue 10 #11 name the impersonation and its reason
    // only in their details; the answer shows them where every other event has them.
    impersonationId: r.impersonation_id ?? (legacyStart ? named('impersonationId') : null),
    impersonationReason:
      r.impersonation_reason ??
      (legacyStart
        ? named('reason')
        : r.action === 'impersonation.ended'
          ? named('impersonationReason')
          : null),
    target: { type: r.target_type, id: r.target_id, label: r.target_label },
    changes: parse<Record<string, { before: unknown; after: unknown }>>(r.changes),
    details,
    ip: r.ip,
  };
}

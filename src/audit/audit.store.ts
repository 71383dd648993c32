import type { Db } from '../db/database.ts';
import type { AuditEventsTable } from '../db/schema.ts';

export type AuditRow = Omit<AuditEventsTable, 'seq'>;

export async function insertAuditEvent(db: Db, row: AuditRow): Promise<void> {
  await db.insertInto('audit_events').values(row).execute();
}

export interface AuditFilter {
  action?: string | undefined;
  actorId?: string | undefined;
  userId?: string | undefined;
  targetId?: string | undefined;
  impersonationId?: string | undefined;
  from?: number | undefined;
  to?: number | undefined;
  /** Return events older than this sequence number (keyset paging, newest first). */
  beforeSeq?: number | undefined;
  limit: number;
}

export async function listAuditEvents(db: Db, f: AuditFilter) {
  let q = db.selectFrom('audit_events').selectAll();
  if (f.action) q = q.where('action', '=', f.action);
  if (f.actorId) q = q.where('actor_id', '=', f.actorId);
  if (f.userId) q = q.where('user_id', '=', f.userId);
  if (f.targetId) q = q.where('target_id', '=', f.targetId);
  if (f.impersonationId) q = q.where('impersonation_id', '=', f.impersonationId);
  if (f.from !== undefined) q = q.where('occurred_at', '>=', f.from);
  if (f.to !== undefined) q = q.where('occurred_at', '<', f.to);
  if (f.beforeSeq !== undefined) q = q.where('seq', '<', f.beforeSeq);
  return q.orderBy('seq', 'desc').limit(f.limit).execute();
}

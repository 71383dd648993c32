import { lockChain, type Db, type Tx } from '../db/database.ts';
import { chainHash, genesisHash } from './chain.ts';
import type { AuditEventsTable } from '../db/schema.ts';

export type AuditRow = Omit<AuditEventsTable, 'seq'>;

/**
 * Appends an event to the chain: takes the chain lock (held to the end of the caller's
 * transaction), reads the last hash, links the new event to it. Only inside a transaction:
 * outside one, PostgreSQL releases the lock at once and parallel appends fork the chain.
 */
export async function appendAuditEvent(db: Tx, row: Omit<AuditRow, 'prev_hash' | 'hash'>): Promise<void> {
  // The type already demands a transaction; this catches casts and `any` (issue 7 #8).
  if (!db.isTransaction) throw new Error('audit events are appended only inside a transaction');
  await lockChain(db, 'behalf:audit_chain');
  const last = await db
    .selectFrom('audit_events')
    .select('hash')
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
  const prevHash = last?.hash ?? genesisHash;
  await db
    .insertInto('audit_events')
    .values({ ...row, prev_hash: prevHash, hash: chainHash(prevHash, row) })
    .execute();
}

/** Events in sequence order after `afterSeq`, for verification. */
export async function auditRunAfter(db: Db, afterSeq: number, limit: number) {
  return db
    .selectFrom('audit_events')
    .selectAll()
    .where('seq', '>', afterSeq)
    .orderBy('seq')
    .limit(limit)
    .execute();
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

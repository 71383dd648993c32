import { lockChain, type Db, type Tx } from '../db/database.ts';
import { linkToHead, type ChainHead, type CheckpointRecord, type UnlinkedEvent } from './chain.ts';
import { auditMacKey } from './keys.ts';
import type { AuditEventsTable } from '../db/schema.ts';

export type AuditRow = Omit<AuditEventsTable, 'seq'>;

/** The chain's last event: its hash and position (counted for a version 1 head, which has none). */
export async function chainHead(db: Db): Promise<ChainHead | null> {
  const last = await db
    .selectFrom('audit_events')
    .select(['hash', 'position'])
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!last) return null;
  if (last.position !== null) return { position: last.position, hash: last.hash };
  // Only until the first keyed event: version 1 events are numbered by their count.
  const { n } = await db
    .selectFrom('audit_events')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return { position: Number(n), hash: last.hash };
}

/**
 * Appends an event to the chain: takes the chain lock (held to the end of the caller's
 * transaction), reads the head, links the new event to it at the next position, and MACs it.
 * Only inside a transaction: outside one, PostgreSQL releases the lock at once and parallel
 * appends fork the chain.
 */
export async function appendAuditEvent(db: Tx, row: UnlinkedEvent): Promise<void> {
  // The type already demands a transaction; this catches casts and `any` (issue 7 #8).
  if (!db.isTransaction) throw new Error('audit events are appended only inside a transaction');
  await lockChain(db, 'behalf:audit_chain');
  const head = await chainHead(db);
  await db
    .insertInto('audit_events')
    .values(linkToHead(row, head, auditMacKey()))
    .execute();
}

/** Events in sequence order after `afterSeq`, for verification and export. */
export async function auditRunAfter(db: Db, afterSeq: number, limit: number) {
  return db
    .selectFrom('audit_events')
    .selectAll()
    .where('seq', '>', afterSeq)
    .orderBy('seq')
    .limit(limit)
    .execute();
}

export async function insertCheckpoint(db: Db, c: CheckpointRecord): Promise<void> {
  await db.insertInto('audit_checkpoints').values(c).execute();
}

export async function latestCheckpoint(db: Db): Promise<CheckpointRecord | undefined> {
  return db
    .selectFrom('audit_checkpoints')
    .selectAll()
    .orderBy('position', 'desc')
    .orderBy('created_at', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/** Every checkpoint, oldest first; one per job period, so few enough to hold in memory. */
export async function allCheckpoints(db: Db): Promise<CheckpointRecord[]> {
  return db.selectFrom('audit_checkpoints').selectAll().orderBy('position').orderBy('created_at').execute();
}

/** The newest event MACed with a key (chain version 2), or undefined before the first one. */
export async function newestKeyedEvent(db: Db): Promise<{ hash: string; mac: string | null } | undefined> {
  return db
    .selectFrom('audit_events')
    .select(['hash', 'mac'])
    .where('chain_version', '=', 2)
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
}

export interface AuditFilter {
  /** One action code or several (any of them). */
  action?: string | string[] | undefined;
  /** An ID, or an ID with the IDs absorbed into it by connecting profiles (R-ADM-10). */
  actorId?: string | string[] | undefined;
  userId?: string | string[] | undefined;
  targetId?: string | string[] | undefined;
  /** Issue 10 #11: events this person did, that were done as them, or that were done to them. */
  personId?: string | string[] | undefined;
  impersonationId?: string | undefined;
  /**
   * The start event of that impersonation when it was written without the impersonation's ID
   * (before issue 7 #7c): found by its subject, its time (the same transaction as the
   * impersonation's start) and the ID its details always named.
   */
  legacyStart?: { subjectId: string; startedAt: number } | undefined;
  from?: number | undefined;
  to?: number | undefined;
  /** Return events older than this sequence number (keyset paging, newest first). */
  beforeSeq?: number | undefined;
  limit: number;
}

/** How long after an impersonation's recorded start its start event can have been written. */
const legacyStartWindowMs = 60_000;

export async function listAuditEvents(db: Db, f: AuditFilter) {
  let q = db.selectFrom('audit_events').selectAll();
  if (f.action) q = q.where('action', 'in', [f.action].flat());
  if (f.actorId) q = q.where('actor_id', 'in', [f.actorId].flat());
  if (f.userId) q = q.where('user_id', 'in', [f.userId].flat());
  if (f.targetId) q = q.where('target_id', 'in', [f.targetId].flat());
  if (f.personId) {
    const ids = [f.personId].flat();
    // Each column has its own index; both engines combine them (OR of index scans).
    q = q.where((eb) =>
      eb.or([eb('actor_id', 'in', ids), eb('user_id', 'in', ids), eb('target_id', 'in', ids)]),
    );
  }
  if (f.impersonationId) {
    const id = f.impersonationId;
    const legacy = f.legacyStart;
    q = q.where((eb) =>
      legacy
        ? eb.or([
            eb('impersonation_id', '=', id),
            eb.and([
              eb('impersonation_id', 'is', null),
              eb('action', '=', 'impersonation.started'),
              eb('target_id', '=', legacy.subjectId),
              eb('occurred_at', '>=', legacy.startedAt),
              eb('occurred_at', '<', legacy.startedAt + legacyStartWindowMs),
              eb('details', 'like', `%"impersonationId":"${id}"%`),
            ]),
          ])
        : eb('impersonation_id', '=', id),
    );
  }
  if (f.from !== undefined) q = q.where('occurred_at', '>=', f.from);
  if (f.to !== undefined) q = q.where('occurred_at', '<', f.to);
  if (f.beforeSeq !== undefined) q = q.where('seq', '<', f.beforeSeq);
  return q.orderBy('seq', 'desc').limit(f.limit).execute();
}

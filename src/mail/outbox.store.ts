import type { Insertable, Selectable } from 'kysely';
import type { Db } from '../db/database.ts';
import type { OutboxTable } from '../db/schema.ts';
import { claimLeases, dueLeaseIds } from '../db/leases.store.ts';

// The transactional outbox: a mail is a row written in the same transaction as the change that
// causes it, so no committed change loses its mail and no rolled-back change sends one.
// The worker (mail-worker.ts) delivers the rows.

export type OutboxRow = Selectable<OutboxTable>;
export type OutboxStatus = 'pending' | 'sent' | 'logged' | 'failed';

export async function insertOutboxRow(db: Db, row: Insertable<OutboxTable>): Promise<void> {
  await db.insertInto('outbox').values(row).execute();
}

/** Ids of pending rows that are due and not held by a live lease, oldest due first. */
export async function dueOutboxIds(db: Db, now: number, limit: number): Promise<string[]> {
  return dueLeaseIds(db, 'outbox', now, limit);
}

/**
 * Takes a row for `owner` until `leaseUntil`, if it is still pending, due and unleased: one
 * conditional UPDATE (db/leases.store.ts), so a row is never sent by two workers at once.
 * Returns the row when this worker got it.
 */
export async function claimOutboxRow(
  db: Db,
  id: string,
  owner: string,
  now: number,
  leaseUntil: number,
): Promise<OutboxRow | undefined> {
  return (await claimLeases(db, 'outbox', [id], owner, now, leaseUntil))[0];
}

/**
 * Takes several rows for `owner` at once, each under the same conditions as claimOutboxRow, in
 * one statement (so, outside a transaction, in one commit). Returns the rows this worker got, in
 * the order of `ids`; another worker's rows are left out.
 */
export async function claimOutboxRows(
  db: Db,
  ids: string[],
  owner: string,
  now: number,
  leaseUntil: number,
): Promise<OutboxRow[]> {
  return claimLeases(db, 'outbox', ids, owner, now, leaseUntil);
}

/**
 * Records a delivery. Unconditional on the lease: the mail is out, so the row must never be
 * sent again, even if this worker's lease ran out meanwhile.
 */
export async function markOutboxDelivered(
  db: Db,
  id: string,
  status: 'sent' | 'logged',
  now: number,
  messageId: string | null,
): Promise<void> {
  await db
    .updateTable('outbox')
    .set({
      status,
      sent_at: now,
      message_id: messageId,
      attempts: (eb) => eb('attempts', '+', 1),
      last_error: null,
      lease_until: null,
      lease_owner: null,
    })
    .where('id', '=', id)
    .execute();
}

/**
 * Records a failed attempt: the next one waits until `retryAt`, or the row gives up as
 * 'failed'. Only while this worker still holds the row, so a stale worker cannot undo a
 * delivery another worker made after the lease ran out.
 */
export async function markOutboxAttemptFailed(
  db: Db,
  id: string,
  owner: string,
  error: string,
  next: { retryAt: number } | { giveUp: true },
): Promise<void> {
  await db
    .updateTable('outbox')
    .set({
      attempts: (eb) => eb('attempts', '+', 1),
      last_error: error,
      lease_until: null,
      lease_owner: null,
      ...('retryAt' in next ? { available_at: next.retryAt } : { status: 'failed' }),
    })
    .where('id', '=', id)
    .where('lease_owner', '=', owner)
    .where('status', '=', 'pending')
    .execute();
}

export interface OutboxPage {
  status?: OutboxStatus | undefined;
  /** Keyset: rows strictly older than this (created_at, id). */
  before?: { createdAt: number; id: string } | undefined;
  limit: number;
}

/** The outbox for administrators, newest first. */
export async function listOutboxRows(db: Db, page: OutboxPage): Promise<OutboxRow[]> {
  let q = db.selectFrom('outbox').selectAll();
  if (page.status) q = q.where('status', '=', page.status);
  const before = page.before;
  if (before) {
    q = q.where((eb) =>
      eb.or([
        eb('created_at', '<', before.createdAt),
        eb.and([eb('created_at', '=', before.createdAt), eb('id', '<', before.id)]),
      ]),
    );
  }
  return q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(page.limit).execute();
}

export async function findOutboxRow(db: Db, id: string): Promise<OutboxRow | undefined> {
  return db.selectFrom('outbox').selectAll().where('id', '=', id).executeTakeFirst();
}

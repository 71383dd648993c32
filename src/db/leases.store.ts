import type { Selectable } from 'kysely';
import type { Db } from './database.ts';
import type { Schema } from './schema.ts';

// The work queues (the mail outbox, mail/outbox.store.ts; the back-channel logout deliveries,
// oidc/logout.store.ts) share how a worker takes a row: a lease (lease_owner, lease_until) on a
// pending, due row. One conditional UPDATE takes it: of two workers racing for a row exactly one
// changes it (PostgreSQL re-checks the condition after the other's write; SQLite has one
// writer), so a row is never worked by two at once, and a worker that dies leaves its rows to
// be taken again when the lease runs out.

/** The queue tables: status 'pending', available_at, lease_owner, lease_until. */
export type LeasedTable = 'outbox' | 'oidc_logout_deliveries';

/** Ids of pending rows that are due and not held by a live lease, oldest due first. */
export async function dueLeaseIds(db: Db, table: LeasedTable, now: number, limit: number): Promise<string[]> {
  const rows = await db
    .selectFrom(table)
    .select('id')
    .where('status', '=', 'pending')
    .where('available_at', '<=', now)
    .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<=', now)]))
    .orderBy('available_at')
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map((r) => r.id);
}

/**
 * Takes the rows of `ids` that are still pending, due and unleased for `owner` until
 * `leaseUntil`, in one statement (so, outside a transaction, in one commit). Returns the rows
 * this worker got, in the order of `ids`; those another worker holds are left out.
 */
export async function claimLeases<T extends LeasedTable>(
  db: Db,
  table: T,
  ids: readonly string[],
  owner: string,
  now: number,
  leaseUntil: number,
): Promise<Selectable<Schema[T]>[]> {
  if (ids.length === 0) return [];
  // Kysely types the statement for either table; the rows are those of `table` (the cast below).
  const either: LeasedTable = table;
  const rows = await db
    .updateTable(either)
    .set({ lease_owner: owner, lease_until: leaseUntil })
    .where('id', 'in', [...ids])
    .where('status', '=', 'pending')
    .where('available_at', '<=', now)
    .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<=', now)]))
    .returningAll()
    .execute();
  const order = new Map(ids.map((id, i) => [id, i]));
  rows.sort((a, b) => order.get(a.id)! - order.get(b.id)!);
  return rows as Selectable<Schema[T]>[];
}

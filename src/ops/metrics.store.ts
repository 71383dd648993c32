import { sql } from 'kysely';
import type { Db } from '../db/database.ts';

// The SQL behind the scraped gauges of /metrics (ops/metrics.ts). Counts come back as numbers:
// PostgreSQL returns count(*) as a string (bigint), SQLite as a number.

const count = (row: { n: number | string | bigint } | undefined): number => Number(row?.n ?? 0);

/** Sessions not past their absolute timeout (impersonation sessions included). */
export async function countActiveSessions(db: Db, now: number): Promise<number> {
  return count(
    await db
      .selectFrom('sessions')
      .select((e) => e.fn.countAll().as('n'))
      .where('absolute_expires_at', '>', now)
      .executeTakeFirst(),
  );
}

/** Impersonations not ended. */
export async function countOpenImpersonations(db: Db): Promise<number> {
  return count(
    await db
      .selectFrom('impersonations')
      .select((e) => e.fn.countAll().as('n'))
      .where('ended_at', 'is', null)
      .executeTakeFirst(),
  );
}

/** Mails in the outbox per status. */
export async function countOutboxByStatus(db: Db): Promise<{ status: string; n: number }[]> {
  const rows = await db
    .selectFrom('outbox')
    .select(['status', (e) => e.fn.countAll().as('n')])
    .groupBy('status')
    .execute();
  return rows.map((row) => ({ status: row.status, n: Number(row.n) }));
}

/** When the oldest pending mail was queued (ms), or null when none waits. */
export async function oldestPendingMail(db: Db): Promise<number | null> {
  const row = await db
    .selectFrom('outbox')
    .select((e) => e.fn.min('created_at').as('oldest'))
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return row?.oldest === null || row?.oldest === undefined ? null : Number(row.oldest);
}

/** Sequence number of the newest audit event (0 for an empty trail). */
export async function auditHeadSeq(db: Db): Promise<number> {
  const row = await sql<{ n: number | null }>`select max(seq) as n from audit_events`.execute(db);
  return Number(row.rows[0]?.n ?? 0);
}

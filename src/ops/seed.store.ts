import { sql } from 'kysely';
import type { Database, Db } from '../db/database.ts';
import type { SeedRows } from './seed-data.ts';

// SQL of `npm run seed` (issue 10 #16): multi-row inserts in one transaction per chunk. The
// search index needs nothing extra: on SQLite the triggers of migration 0002 index each new
// row, on PostgreSQL the GIN index is on the column.

/** Domains and groups that exist, by lower-cased name, so that a second run reuses them. */
export async function existingOrgs(
  db: Db,
): Promise<{ domains: Map<string, string>; groups: Map<string, string> }> {
  const domains = await db.selectFrom('domains').select(['id', 'name_lower']).execute();
  const groups = await db.selectFrom('groups').select(['id', 'name_lower']).execute();
  return {
    domains: new Map(domains.map((d) => [d.name_lower, d.id])),
    groups: new Map(groups.map((g) => [g.name_lower, g.id])),
  };
}

export async function countUsers(db: Db): Promise<number> {
  const row = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

// 24 columns x 500 rows stays well under SQLite's 32,766 bound parameters per statement.
const rowsPerStatement = 500;

async function insertChunks<T>(rows: T[], insert: (chunk: T[]) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < rows.length; i += rowsPerStatement) await insert(rows.slice(i, i + rowsPerStatement));
}

/** Writes one batch of seed rows in one transaction; the organisations go first (foreign keys). */
export async function insertSeedRows(database: Database, rows: SeedRows): Promise<void> {
  await database.transaction(async (trx) => {
    await insertChunks(rows.domains, (c) => trx.insertInto('domains').values(c).execute());
    await insertChunks(rows.groups, (c) => trx.insertInto('groups').values(c).execute());
    await insertChunks(rows.users, (c) => trx.insertInto('users').values(c).execute());
    await insertChunks(rows.emails, (c) => trx.insertInto('user_emails').values(c).execute());
    await insertChunks(rows.members, (c) => trx.insertInto('group_members').values(c).execute());
    await insertChunks(rows.powerUsers, (c) => trx.insertInto('power_user_resources').values(c).execute());
  });
}

/** Fresh planner statistics after a bulk load (what autovacuum would do a minute later). */
export async function analyze(database: Database): Promise<void> {
  await sql`ANALYZE`.execute(database.db);
}

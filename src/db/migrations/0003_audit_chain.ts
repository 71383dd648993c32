import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../database.ts';
import { chainHash, genesisHash } from '../../audit/chain.ts';

// Adds the hash chain to the audit trail and links the events that exist already; and the
// reason of the impersonation an event happened in (R-IMP-08 names it with every such event).

export async function up(db: Kysely<unknown>, _dialect: Dialect): Promise<void> {
  await db.schema.alterTable('audit_events').addColumn('impersonation_reason', 'text').execute();
  await db.schema.alterTable('audit_events').addColumn('prev_hash', 'text').execute();
  await db.schema.alterTable('audit_events').addColumn('hash', 'text').execute();
  const rows = await sql<Record<string, unknown>>`select * from audit_events order by seq`.execute(db);
  let prev = genesisHash;
  for (const row of rows.rows) {
    const hash = chainHash(prev, row as never);
    await sql`update audit_events set prev_hash = ${prev}, hash = ${hash} where seq = ${row.seq}`.execute(db);
    prev = hash;
  }
}

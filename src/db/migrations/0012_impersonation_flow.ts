import type { Kysely } from 'kysely';
import type { Dialect } from '../database.ts';

// Issue 7 #2: a handoff for a domain with a host name is bound to the host it was issued for
// (host[:port], derived from configuration at the start). Null: the platform's own host, where
// the starting administrator's session cookie is the proof instead.

export async function up(db: Kysely<unknown>, _dialect: Dialect): Promise<void> {
  await db.schema.alterTable('impersonation_handoffs').addColumn('host', 'text').execute();
}

import type { Kysely } from 'kysely';
import type { Dialect } from '../database.ts';

// Frozen in time. Issue 12 #5, step-up: a session records when its owner last proved a
// credential on the server (the sign-in, or a later step-up), so that starting an
// impersonation can demand a recent proof. Sessions from before have none (null): with
// step-up switched on, their owners prove again once.

export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  const ms = dialect === 'postgres' ? 'bigint' : 'integer';
  await db.schema.alterTable('sessions').addColumn('proven_at', ms).execute();
}

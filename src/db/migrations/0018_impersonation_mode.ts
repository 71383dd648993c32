import type { Kysely } from 'kysely';
import type { Dialect } from '../database.ts';

// Frozen in time. Issue 12 #2, read-only impersonation: each impersonation is started in a mode,
// 'act' (what every impersonation was before) or 'read-only' (the acting session may look, and
// change nothing). Existing rows are 'act'.

export async function up(db: Kysely<unknown>, _dialect: Dialect): Promise<void> {
  await db.schema
    .alterTable('impersonations')
    .addColumn('mode', 'text', (c) => c.notNull().defaultTo('act'))
    .execute();
}

import type { Kysely } from 'kysely';
import type { Dialect } from '../database.ts';

// A new session token at every privilege change (DESIGN.md section 5, issue 7 #14): a change
// to a user's rights or second factor marks their sessions, and the next request of each one
// swaps its token for a fresh one (src/sessions/sessions.service.ts). The token it replaced is
// kept, with the time, for the requests that were already under way with it.

export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  const ms = dialect === 'postgres' ? 'bigint' : 'integer';
  await db.schema
    .alterTable('sessions')
    .addColumn('rotate_required', 'boolean', (c) => c.notNull().defaultTo(false))
    .execute();
  await db.schema.alterTable('sessions').addColumn('previous_token_hash', 'text').execute();
  await db.schema.alterTable('sessions').addColumn('rotated_at', ms).execute();
  await db.schema
    .createIndex('sessions_previous_token')
    .on('sessions')
    .column('previous_token_hash')
    .execute();
}

import type { Kysely } from 'kysely';
import type { Dialect } from '../database.ts';

// A new session token at every privilege change (DESIGN.md section 5, issue 7 #14): a change
// to a user's rights or second factor marks their sessions, and the next request of each one
// swaps its token for a fresh one (src/sessions/sessions.service.ts).

export async function up(db: Kysely<unknown>, _dialect: Dialect): Promise<void> {
  await db.schema
    .alterTable('sessions')
    .addColumn('rotate_required', 'boolean', (c) => c.notNull().defaultTo(false))
    .execute();
}

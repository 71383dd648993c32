import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../database.ts';

// Attempt reservation (issue 7 #10, #13). A password or code attempt takes its place with one
// UPDATE of the user's lockout columns before it is checked. That UPDATE always writes, and
// `last_attempt_refused` tells the caller whether the account was locked (nothing counted),
// so a locked account costs the same durable write as a counted one. A login that names no
// account makes the same UPDATE on the one-row `login_decoys`, so wrong passwords, unknown
// logins and locked accounts all commit a write of one shape and nobody can time which
// accounts exist. The decoy row never locks anything and nothing reads it.

export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  const ms = dialect === 'postgres' ? 'bigint' : 'integer';
  await db.schema
    .alterTable('users')
    .addColumn('last_attempt_refused', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .createTable('login_decoys')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('failed_logins', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('locked_until', ms)
    .addColumn('last_attempt_refused', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await sql`insert into login_decoys (id, failed_logins) values (1, 0)`.execute(db);
}

import type { Kysely } from 'kysely';
import type { Dialect } from '../database.ts';

// My Profile (R-ADM-16): codes that verify an address the user added (only their hash), and an
// authenticator app being enrolled (its secret takes effect only once a code confirms it).

export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  const ms = dialect === 'postgres' ? 'bigint' : 'integer';

  await db.schema
    .createTable('email_verifications')
    .addColumn('email_id', 'text', (c) => c.primaryKey().references('user_emails.id').onDelete('cascade'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('code_hash', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', ms, (c) => c.notNull())
    .addColumn('expires_at', ms, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('totp_enrolments')
    .addColumn('user_id', 'text', (c) => c.primaryKey().references('users.id').onDelete('cascade'))
    .addColumn('secret', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', ms, (c) => c.notNull())
    .addColumn('expires_at', ms, (c) => c.notNull())
    .execute();
}

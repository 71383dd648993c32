import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../database.ts';

// Frozen in time: once landed, a migration never changes; a later one alters what it made.

export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  const bool = 'boolean';
  const ms = dialect === 'postgres' ? 'bigint' : 'integer';

  await db.schema
    .createTable('users')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('username', 'text')
    .addColumn('username_lower', 'text', (c) => c.unique())
    .addColumn('first_name', 'text', (c) => c.notNull())
    .addColumn('last_name', 'text', (c) => c.notNull())
    .addColumn('gender', 'text', (c) => c.notNull())
    .addColumn('language', 'text', (c) => c.notNull())
    .addColumn('primary_email', 'text')
    .addColumn('role', 'text', (c) => c.notNull().defaultTo('user'))
    .addColumn('general_permissions', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('system_permissions', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('active', bool, (c) => c.notNull().defaultTo(true))
    .addColumn('password_hash', 'text')
    .addColumn('password_changed_at', ms)
    .addColumn('two_factor_method', 'text', (c) => c.notNull().defaultTo('none'))
    .addColumn('totp_secret', 'text')
    .addColumn('failed_logins', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('locked_until', ms)
    .addColumn('search_text', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('created_at', ms, (c) => c.notNull())
    .addColumn('updated_at', ms, (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  // Keyset pagination, newest first, is the list's default order.
  await db.schema.createIndex('users_created').on('users').columns(['created_at', 'id']).execute();

  await db.schema
    .createTable('user_emails')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('address', 'text', (c) => c.notNull())
    .addColumn('address_lower', 'text', (c) => c.notNull())
    .addColumn('verified', bool, (c) => c.notNull().defaultTo(false))
    .addColumn('verified_at', ms)
    .addColumn('is_primary', bool, (c) => c.notNull().defaultTo(false))
    .addColumn('created_at', ms, (c) => c.notNull())
    .addUniqueConstraint('user_emails_user_address', ['user_id', 'address_lower'])
    .execute();
  await db.schema.createIndex('user_emails_address').on('user_emails').column('address_lower').execute();
  // A verified address belongs to one profile only (R-ADM-09/10); unverified ones may repeat,
  // which is what makes "verified in another profile" and connecting profiles possible.
  await db.schema
    .createIndex('user_emails_verified_unique')
    .on('user_emails')
    .column('address_lower')
    .unique()
    .where(sql.ref('verified'), '=', sql.lit(true))
    .execute();
  await db.schema
    .createIndex('user_emails_one_primary')
    .on('user_emails')
    .column('user_id')
    .unique()
    .where(sql.ref('is_primary'), '=', sql.lit(true))
    .execute();

  await db.schema
    .createTable('sessions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('created_at', ms, (c) => c.notNull())
    .addColumn('last_seen_at', ms, (c) => c.notNull())
    .addColumn('absolute_expires_at', ms, (c) => c.notNull())
    .addColumn('ip', 'text')
    .addColumn('user_agent', 'text')
    .execute();
  await db.schema.createIndex('sessions_user').on('sessions').column('user_id').execute();

  await db.schema
    .createTable('login_challenges')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('method', 'text', (c) => c.notNull())
    .addColumn('code_hash', 'text')
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', ms, (c) => c.notNull())
    .addColumn('expires_at', ms, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('settings')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('document', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('updated_at', ms, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('audit_events')
    .addColumn('seq', dialect === 'postgres' ? 'bigserial' : 'integer', (c) =>
      dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement(),
    )
    .addColumn('id', 'text', (c) => c.notNull().unique())
    .addColumn('occurred_at', ms, (c) => c.notNull())
    .addColumn('request_id', 'text')
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text')
    .addColumn('user_label', 'text')
    .addColumn('actor_id', 'text')
    .addColumn('actor_label', 'text')
    .addColumn('impersonation_id', 'text')
    .addColumn('target_type', 'text', (c) => c.notNull())
    .addColumn('target_id', 'text')
    .addColumn('target_label', 'text')
    .addColumn('changes', 'text')
    .addColumn('details', 'text')
    .addColumn('ip', 'text')
    .execute();
  // The trail is read newest first, narrowed by one of these.
  for (const column of ['target_id', 'actor_id', 'user_id', 'action', 'impersonation_id']) {
    await db.schema
      .createIndex(`audit_events_${column}`)
      .on('audit_events')
      .columns([column, 'seq'])
      .execute();
  }
  await db.schema.createIndex('audit_events_occurred').on('audit_events').column('occurred_at').execute();

  await db.schema
    .createTable('outbox')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('recipient', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('body_text', 'text', (c) => c.notNull())
    .addColumn('created_at', ms, (c) => c.notNull())
    .addColumn('available_at', ms, (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_error', 'text')
    .addColumn('sent_at', ms)
    .execute();
  await db.schema.createIndex('outbox_pending').on('outbox').columns(['sent_at', 'available_at']).execute();
}

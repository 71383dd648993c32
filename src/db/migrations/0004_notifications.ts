import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../database.ts';

// Frozen in time: once landed, a migration never changes; a later one alters what it made.
// Notifications in the platform (R-IMP-09), their editable templates, and what the mail worker
// needs to deliver the outbox safely from several instances.

export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  const ms = dialect === 'postgres' ? 'bigint' : 'integer';

  await db.schema
    .createTable('notifications')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('impersonation_id', 'text')
    .addColumn('created_at', ms, (c) => c.notNull())
    .addColumn('read_at', ms)
    .execute();
  // A user's list, newest first, with the id as keyset tiebreak; also serves the unread count.
  await db.schema
    .createIndex('notifications_user_created')
    .on('notifications')
    .columns(['user_id', 'created_at', 'id'])
    .execute();

  // Only templates an administrator changed are stored; the others are the built-in defaults
  // (notifications/templates.ts), so improving a default needs no data migration.
  await db.schema
    .createTable('notification_templates')
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('language', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('enabled', 'boolean', (c) => c.notNull().defaultTo(true))
    .addColumn('updated_at', ms, (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('notification_templates_pk', ['type', 'language'])
    .execute();

  // status: pending -> sent | logged (no SMTP configured) | failed (gave up after N attempts).
  // lease_until/lease_owner: a worker claims a row for a while, so two instances never send the
  // same row at once; a crashed worker's lease simply runs out.
  await db.schema
    .alterTable('outbox')
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('pending'))
    .execute();
  await db.schema.alterTable('outbox').addColumn('lease_until', ms).execute();
  await db.schema.alterTable('outbox').addColumn('lease_owner', 'text').execute();
  await db.schema.alterTable('outbox').addColumn('message_id', 'text').execute();
  await sql`update outbox set status = 'sent' where sent_at is not null`.execute(db);
  await db.schema.dropIndex('outbox_pending').execute();
  await db.schema.createIndex('outbox_due').on('outbox').columns(['status', 'available_at']).execute();
  // The admin listing, newest first.
  await db.schema.createIndex('outbox_created').on('outbox').columns(['created_at', 'id']).execute();
}

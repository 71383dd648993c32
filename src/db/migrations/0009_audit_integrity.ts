import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../database.ts';

// Issue 7 #9: the audit trail becomes keyed, dense and append-only in the database itself.
// - chain_version: 1 for the events written before this migration (unkeyed SHA-256 chain, left
//   exactly as they are: frozen rows are never rewritten), 2 for every later event.
// - position: the event's place in the chain (previous + 1, assigned under the chain lock), so a
//   missing event is a gap; `seq` cannot tell, PostgreSQL sequences skip numbers on rollback.
//   Unique: two appends that raced past the lock fail instead of forking the chain.
// - mac: HMAC-SHA-256 of the event's hash with a key kept outside the database.
// - audit_checkpoints: Ed25519-signed (position, head hash) pairs; the public key checks them.
// - Triggers refuse UPDATE, DELETE (and TRUNCATE on PostgreSQL) on both tables.

export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  const ms = dialect === 'postgres' ? 'bigint' : 'integer';
  // A default is metadata on both engines: no old row is updated (no trigger exists yet anyway).
  await db.schema
    .alterTable('audit_events')
    .addColumn('chain_version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.alterTable('audit_events').addColumn('position', ms).execute();
  await db.schema.alterTable('audit_events').addColumn('mac', 'text').execute();
  await db.schema
    .createIndex('audit_events_position')
    .unique()
    .on('audit_events')
    .column('position')
    .execute();

  await db.schema
    .createTable('audit_checkpoints')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('position', ms, (c) => c.notNull())
    .addColumn('head_hash', 'text', (c) => c.notNull())
    .addColumn('created_at', ms, (c) => c.notNull())
    .addColumn('key_id', 'text', (c) => c.notNull())
    .addColumn('signature', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('audit_checkpoints_position')
    .on('audit_checkpoints')
    .column('position')
    .execute();

  if (dialect === 'postgres') {
    await sql`
      CREATE FUNCTION behalf_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'behalf: % on % refused: the audit trail is append-only', TG_OP, TG_TABLE_NAME
          USING ERRCODE = 'insufficient_privilege';
      END
      $$`.execute(db);
    for (const table of ['audit_events', 'audit_checkpoints']) {
      await sql`CREATE TRIGGER ${sql.id(`${table}_append_only`)} BEFORE UPDATE OR DELETE ON ${sql.id(table)}
        FOR EACH ROW EXECUTE FUNCTION behalf_audit_append_only()`.execute(db);
      await sql`CREATE TRIGGER ${sql.id(`${table}_no_truncate`)} BEFORE TRUNCATE ON ${sql.id(table)}
        FOR EACH STATEMENT EXECUTE FUNCTION behalf_audit_append_only()`.execute(db);
    }
  } else {
    for (const table of ['audit_events', 'audit_checkpoints']) {
      for (const op of ['update', 'delete']) {
        await sql`CREATE TRIGGER ${sql.id(`${table}_no_${op}`)} BEFORE ${sql.raw(op.toUpperCase())} ON ${sql.id(table)}
          BEGIN SELECT RAISE(ABORT, ${sql.lit(`behalf: ${op} on ${table} refused: the audit trail is append-only`)}); END`.execute(
          db,
        );
      }
    }
  }
}

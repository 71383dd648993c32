import type { Kysely } from 'kysely';
import type { Dialect } from '../database.ts';

// Impersonations, their single-use handoff tokens, the session columns that tie an
// impersonation session to its actor, and preferences written while acting (R-IMP-13).

export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  const ms = dialect === 'postgres' ? 'bigint' : 'integer';

  await db.schema
    .createTable('impersonations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    // Plain ids, no foreign keys: the record outlives a deleted actor or subject.
    .addColumn('actor_id', 'text', (c) => c.notNull())
    .addColumn('actor_label', 'text', (c) => c.notNull())
    .addColumn('actor_session_id', 'text', (c) => c.notNull())
    .addColumn('subject_id', 'text', (c) => c.notNull())
    .addColumn('subject_label', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('origin', 'text', (c) => c.notNull())
    .addColumn('domain_id', 'text')
    .addColumn('planned_minutes', 'integer', (c) => c.notNull())
    .addColumn('terms_accepted_on_behalf', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('started_at', ms, (c) => c.notNull())
    .addColumn('expires_at', ms, (c) => c.notNull())
    .addColumn('handed_off_at', ms)
    .addColumn('ended_at', ms)
    .addColumn('end_reason', 'text')
    .execute();
  await db.schema
    .createIndex('impersonations_due')
    .on('impersonations')
    .columns(['ended_at', 'expires_at'])
    .execute();
  await db.schema
    .createIndex('impersonations_actor')
    .on('impersonations')
    .columns(['actor_id', 'ended_at'])
    .execute();
  await db.schema
    .createIndex('impersonations_subject')
    .on('impersonations')
    .columns(['subject_id', 'ended_at'])
    .execute();

  await db.schema
    .createTable('impersonation_handoffs')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('impersonation_id', 'text', (c) =>
      c.notNull().references('impersonations.id').onDelete('cascade'),
    )
    .addColumn('actor_session_id', 'text', (c) => c.notNull())
    .addColumn('expires_at', ms, (c) => c.notNull())
    .addColumn('used_at', ms)
    .execute();

  await db.schema.alterTable('sessions').addColumn('impersonation_id', 'text').execute();
  await db.schema.alterTable('sessions').addColumn('actor_id', 'text').execute();
  // Set on the actor's own session while an impersonation stands in for it.
  await db.schema.alterTable('sessions').addColumn('suspended_by', 'text').execute();
  await db.schema.createIndex('sessions_impersonation').on('sessions').column('impersonation_id').execute();

  await db.schema
    .createTable('user_preferences')
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('updated_at', ms, (c) => c.notNull())
    .addPrimaryKeyConstraint('user_preferences_pk', ['user_id', 'key'])
    .execute();
  await db.schema
    .createTable('impersonation_preferences')
    .addColumn('impersonation_id', 'text', (c) =>
      c.notNull().references('impersonations.id').onDelete('cascade'),
    )
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('updated_at', ms, (c) => c.notNull())
    .addPrimaryKeyConstraint('impersonation_preferences_pk', ['impersonation_id', 'key'])
    .execute();
}

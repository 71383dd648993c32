import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../database.ts';

// Policies (privacy policy with sub-policies, terms and conditions), their versions, and who
// accepted which version (R-IMP-12, R-ADM-16). Frozen in time once landed.

export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  const ms = dialect === 'postgres' ? 'bigint' : 'integer';

  // Policies are archived, never deleted: acceptances and the audit trail keep naming them.
  await db.schema
    .createTable('policies')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('parent_id', 'text', (c) => c.references('policies.id'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('created_at', ms, (c) => c.notNull())
    .addColumn('archived_at', ms)
    .execute();
  await db.schema.createIndex('policies_parent').on('policies').column('parent_id').execute();

  await db.schema
    .createTable('policy_versions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('policy_id', 'text', (c) => c.notNull().references('policies.id'))
    .addColumn('number', 'integer', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('created_at', ms, (c) => c.notNull())
    .addColumn('published_at', ms)
    // Two concurrent "add version" calls cannot both take the same number.
    .addUniqueConstraint('policy_versions_number', ['policy_id', 'number'])
    .execute();

  await db.schema
    .createTable('policy_acceptances')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('policy_version_id', 'text', (c) => c.notNull().references('policy_versions.id'))
    .addColumn('accepted_at', ms, (c) => c.notNull())
    // No foreign key: the record of who accepted on someone's behalf must outlive that person's
    // account (a cascade or SET NULL would rewrite history).
    .addColumn('accepted_on_behalf_by', 'text')
    .addColumn('impersonation_id', 'text')
    .addColumn('revoked_at', ms)
    .execute();
  // At most one acceptance in force per user and version: accepting twice (two tabs, a retry)
  // cannot record two. Revoked rows stay as history and do not count.
  await db.schema
    .createIndex('policy_acceptances_active')
    .on('policy_acceptances')
    .columns(['user_id', 'policy_version_id'])
    .unique()
    .where(sql.ref('revoked_at'), 'is', null)
    .execute();
  // Deleting a user cascades here, revoked rows included: that needs its own index.
  await db.schema.createIndex('policy_acceptances_user').on('policy_acceptances').column('user_id').execute();
  await db.schema
    .createIndex('policy_acceptances_version')
    .on('policy_acceptances')
    .column('policy_version_id')
    .execute();
}

import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../database.ts';

// Frozen in time. Domains (sub-tenants), groups, and the resources assigned to power users
// (R-IMP-02): users, groups and domains whose users a power user may read and act as.

export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  const ms = dialect === 'postgres' ? 'bigint' : 'integer';

  // Names are unique whatever their case ("ACME" and "Acme" would confuse every picker), so
  // the lower-cased copy carries the unique index. Host names are stored lower-cased already.
  await db.schema
    .createTable('domains')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('name_lower', 'text', (c) => c.notNull().unique())
    .addColumn('host_name', 'text', (c) => c.unique())
    .addColumn('created_at', ms, (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();

  await db.schema
    .createTable('groups')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('name_lower', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', ms, (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();

  await db.schema
    .createTable('group_members')
    .addColumn('group_id', 'text', (c) => c.notNull().references('groups.id').onDelete('cascade'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('group_members_pk', ['group_id', 'user_id'])
    .execute();
  // "Which groups is this user in?": the reach check and the cascade when a user is deleted.
  await db.schema.createIndex('group_members_user').on('group_members').column('user_id').execute();

  // One table for the three kinds, so that a power user's whole reach is one indexed range
  // (the primary key) and "who has this group/domain assigned?" is another (the index below).
  // resource_id has no foreign key, as it names rows of three tables: deleting a group or
  // domain removes its rows in the same transaction, deleting a user through a domain hook.
  await db.schema
    .createTable('power_user_resources')
    .addColumn('power_user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    // Written out rather than built from a constant: a migration must not change when code does.
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('user', 'group', 'domain')`))
    .addColumn('resource_id', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('power_user_resources_pk', ['power_user_id', 'kind', 'resource_id'])
    .execute();
  await db.schema
    .createIndex('power_user_resources_resource')
    .on('power_user_resources')
    .columns(['kind', 'resource_id'])
    .execute();

  // No cascade: a domain that still has users cannot be deleted (`domain_in_use`); the service
  // says so first, the foreign key holds even against a race.
  await db.schema
    .alterTable('users')
    .addColumn('domain_id', 'text', (c) => c.references('domains.id'))
    .execute();
  // The users of a domain, newest first: a power user's reach by domain, the list's domain
  // filter, and the foreign-key check when a domain is deleted.
  await db.schema
    .createIndex('users_domain')
    .on('users')
    .columns(['domain_id', 'created_at', 'id'])
    .execute();
}

import type { Kysely } from 'kysely';
import type { Dialect } from '../database.ts';

// Frozen in time. Back-channel logout (OpenID Connect Back-Channel Logout 1.0, issue 9):
// - oidc_grant_links gains the app (client_id) and the provider's session id for that app
//   (sid, known once the first code of the grant is issued), so that the end of an
//   impersonation or of a Behalf session knows whom to tell; logout_queued_at marks a grant
//   whose logout is queued already (each grant is told once).
// - oidc_logout_deliveries: the logout tokens to send, written in the same transaction as the
//   end that causes them, delivered by a worker with retries (src/oidc/logout-worker.ts). A row
//   is claimed with a lease by one conditional UPDATE, as the mail outbox does.

export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  const ms = dialect === 'postgres' ? 'bigint' : 'integer';
  await db.schema.alterTable('oidc_grant_links').addColumn('client_id', 'text').execute();
  await db.schema.alterTable('oidc_grant_links').addColumn('sid', 'text').execute();
  await db.schema.alterTable('oidc_grant_links').addColumn('logout_queued_at', ms).execute();
  await db.schema
    .createIndex('oidc_grant_links_session')
    .on('oidc_grant_links')
    .column('session_id')
    .execute();

  await db.schema
    .createTable('oidc_logout_deliveries')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('client_id', 'text', (c) => c.notNull())
    .addColumn('sub', 'text', (c) => c.notNull())
    .addColumn('sid', 'text')
    .addColumn('cause', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('pending'))
    .addColumn('created_at', ms, (c) => c.notNull())
    .addColumn('available_at', ms, (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_error', 'text')
    .addColumn('lease_owner', 'text')
    .addColumn('lease_until', ms)
    .addColumn('delivered_at', ms)
    .execute();
  await db.schema
    .createIndex('oidc_logout_deliveries_due')
    .on('oidc_logout_deliveries')
    .columns(['status', 'available_at'])
    .execute();
}

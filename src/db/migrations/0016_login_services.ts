import type { Kysely } from 'kysely';
import type { Dialect } from '../database.ts';

// Frozen in time. External login services and linked accounts (issue 8, R-ADM-04/10/11/16/17):
// - login_services: one OpenID Connect provider per row; the client secret sealed under a key
//   outside the database (src/shared/secret-box.ts), never answered.
// - linked_accounts: a user's account at a login service. The pair (service, subject) is unique
//   across the platform: it is the only thing that finds a returning user.
// - login_service_flows: one row per started authorization request (state, nonce, PKCE
//   verifier), consumed once by the callback, so that any instance can finish a flow another
//   instance started and a replayed callback finds nothing.

export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  const ms = dialect === 'postgres' ? 'bigint' : 'integer';
  const bool = 'boolean';
  await db.schema
    .createTable('login_services')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('display_name', 'text', (c) => c.notNull())
    .addColumn('display_name_de', 'text')
    .addColumn('issuer', 'text', (c) => c.notNull())
    .addColumn('client_id', 'text', (c) => c.notNull())
    .addColumn('secret_ciphertext', 'text', (c) => c.notNull())
    .addColumn('scopes', 'text', (c) => c.notNull())
    .addColumn('show_on_sign_in', bool, (c) => c.notNull().defaultTo(false))
    .addColumn('allow_linking', bool, (c) => c.notNull().defaultTo(false))
    .addColumn('link_by_verified_email', bool, (c) => c.notNull().defaultTo(false))
    .addColumn('trust_provider_mfa', bool, (c) => c.notNull().defaultTo(false))
    .addColumn('domain_id', 'text')
    .addColumn('created_at', ms, (c) => c.notNull())
    .addColumn('updated_at', ms, (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();

  await db.schema
    .createTable('linked_accounts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('service_id', 'text', (c) => c.notNull().references('login_services.id').onDelete('cascade'))
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('email', 'text')
    .addColumn('linked_via', 'text', (c) => c.notNull())
    .addColumn('linked_at', ms, (c) => c.notNull())
    .addColumn('last_used_at', ms)
    .addUniqueConstraint('linked_accounts_service_subject', ['service_id', 'subject'])
    .execute();
  await db.schema.createIndex('linked_accounts_user').on('linked_accounts').column('user_id').execute();

  await db.schema
    .createTable('login_service_flows')
    .addColumn('state_hash', 'text', (c) => c.primaryKey())
    .addColumn('service_id', 'text', (c) => c.notNull().references('login_services.id').onDelete('cascade'))
    .addColumn('purpose', 'text', (c) => c.notNull())
    .addColumn('session_id', 'text')
    .addColumn('nonce', 'text', (c) => c.notNull())
    .addColumn('code_verifier', 'text', (c) => c.notNull())
    .addColumn('return_to', 'text', (c) => c.notNull())
    .addColumn('created_at', ms, (c) => c.notNull())
    .addColumn('expires_at', ms, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('login_service_flows_expiry')
    .on('login_service_flows')
    .column('expires_at')
    .execute();
}

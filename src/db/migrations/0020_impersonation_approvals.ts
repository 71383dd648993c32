import type { Kysely } from 'kysely';
import type { Dialect } from '../database.ts';

// Frozen in time. Issue 12 #3 and #4: before acting, a start may need the user's consent or a
// second administrator's approval (four eyes). One row per request; an approved row is good for
// one start within its window and is then 'used'. The mail link's token is stored only as a hash.
export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  const ms = dialect === 'postgres' ? 'bigint' : 'integer';
  await db.schema
    .createTable('impersonation_approvals')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text', (c) => c.notNull())
    .addColumn('actor_label', 'text', (c) => c.notNull())
    .addColumn('subject_id', 'text', (c) => c.notNull())
    .addColumn('subject_label', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('planned_minutes', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('decided_by', 'text')
    .addColumn('decided_at', ms)
    .addColumn('expires_at', ms, (c) => c.notNull())
    .addColumn('token_hash', 'text', (c) => c.unique())
    .addColumn('used_by_impersonation', 'text')
    .addColumn('created_at', ms, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('impersonation_approvals_pair')
    .on('impersonation_approvals')
    .columns(['actor_id', 'subject_id', 'kind', 'status'])
    .execute();
  await db.schema
    .createIndex('impersonation_approvals_subject')
    .on('impersonation_approvals')
    .columns(['subject_id', 'status'])
    .execute();
  await db.schema
    .createIndex('impersonation_approvals_status')
    .on('impersonation_approvals')
    .columns(['kind', 'status', 'created_at'])
    .execute();
}

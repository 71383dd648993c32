import type { Kysely } from 'kysely';
import type { Dialect } from '../database.ts';

// Frozen in time. Connected profiles (R-ADM-10, issue 8): the absorbed profile's row is gone,
// but its ID must keep answering (it resolves to the survivor) and the audit filter must find
// the absorbed ID's events from the survivor. One row per absorbed ID; when a survivor is
// later absorbed itself, its rows are repointed, so a lookup is always one step.
export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  const ms = dialect === 'postgres' ? 'bigint' : 'integer';
  await db.schema
    .createTable('user_merges')
    .addColumn('absorbed_id', 'text', (c) => c.primaryKey())
    // No foreign key: the survivor may be deleted later and the history must still read.
    .addColumn('survivor_id', 'text', (c) => c.notNull())
    .addColumn('absorbed_label', 'text', (c) => c.notNull())
    .addColumn('merged_at', ms, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('user_merges_survivor').on('user_merges').column('survivor_id').execute();
}

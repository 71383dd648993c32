import type { Db } from '../db/database.ts';

export async function readSettingsRow(db: Db) {
  return db.selectFrom('settings').selectAll().where('id', '=', 1).executeTakeFirst();
}

export async function insertSettingsRow(db: Db, document: string, now: number): Promise<void> {
  await db
    .insertInto('settings')
    .values({ id: 1, document, version: 1, updated_at: now })
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
}

/** Compare-and-set on the version: a concurrent edit makes this return false. */
export async function updateSettingsRow(
  db: Db,
  document: string,
  expectedVersion: number,
  now: number,
): Promise<boolean> {
  const result = await db
    .updateTable('settings')
    .set({ document, version: expectedVersion + 1, updated_at: now })
    .where('id', '=', 1)
    .where('version', '=', expectedVersion)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

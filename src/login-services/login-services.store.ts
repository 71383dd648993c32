import type { Selectable } from 'kysely';
import type { Db } from '../db/database.ts';
import type { LoginServicesTable } from '../db/schema.ts';

export type LoginServiceRow = Selectable<LoginServicesTable>;

export async function insertLoginService(db: Db, row: LoginServiceRow): Promise<void> {
  await db.insertInto('login_services').values(row).execute();
}

export async function findLoginService(db: Db, id: string): Promise<LoginServiceRow | undefined> {
  return db.selectFrom('login_services').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function listLoginServices(db: Db): Promise<LoginServiceRow[]> {
  return db.selectFrom('login_services').selectAll().orderBy('display_name').orderBy('id').execute();
}

/** The services with a button on the sign-in pages (R-ADM-17). */
export async function listShownLoginServices(db: Db): Promise<LoginServiceRow[]> {
  return db
    .selectFrom('login_services')
    .selectAll()
    .where('show_on_sign_in', '=', true)
    .orderBy('display_name')
    .orderBy('id')
    .execute();
}

/** Conditional on the version the caller read: false when another writer came first. */
export async function updateLoginService(
  db: Db,
  id: string,
  expectedVersion: number,
  changes: Partial<Omit<LoginServiceRow, 'id' | 'version'>>,
): Promise<boolean> {
  const result = await db
    .updateTable('login_services')
    .set((eb) => ({ ...changes, version: eb('version', '+', 1) }))
    .where('id', '=', id)
    .where('version', '=', expectedVersion)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export async function deleteLoginService(db: Db, id: string): Promise<boolean> {
  const result = await db.deleteFrom('login_services').where('id', '=', id).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

import type { Selectable } from 'kysely';
import type { Db } from '../db/database.ts';
import type { OidcAppsTable } from '../db/schema.ts';

export type AppRow = Selectable<OidcAppsTable>;

export async function insertApp(db: Db, row: AppRow): Promise<void> {
  await db.insertInto('oidc_apps').values(row).execute();
}

export async function findApp(db: Db, id: string): Promise<AppRow | undefined> {
  return db.selectFrom('oidc_apps').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function listApps(db: Db): Promise<AppRow[]> {
  return db.selectFrom('oidc_apps').selectAll().orderBy('name').orderBy('id').execute();
}

export async function updateApp(db: Db, id: string, changes: Partial<Omit<AppRow, 'id'>>): Promise<void> {
  await db.updateTable('oidc_apps').set(changes).where('id', '=', id).execute();
}

export async function deleteApp(db: Db, id: string): Promise<boolean> {
  const result = await db.deleteFrom('oidc_apps').where('id', '=', id).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

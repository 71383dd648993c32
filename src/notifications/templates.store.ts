import type { Selectable } from 'kysely';
import type { Db } from '../db/database.ts';
import type { NotificationTemplatesTable } from '../db/schema.ts';

// SQL for the templates administrators changed. A type and language without a row uses the
// built-in default (templates.ts) and counts as version 0.

export type TemplateRow = Selectable<NotificationTemplatesTable>;

export async function listTemplateRows(db: Db): Promise<TemplateRow[]> {
  return db.selectFrom('notification_templates').selectAll().execute();
}

export async function findTemplateRow(
  db: Db,
  type: string,
  language: string,
): Promise<TemplateRow | undefined> {
  return db
    .selectFrom('notification_templates')
    .selectAll()
    .where('type', '=', type)
    .where('language', '=', language)
    .executeTakeFirst();
}

/**
 * Writes version `expectedVersion + 1` if the stored one is still `expectedVersion` (0: no row
 * yet). Returns false when someone else wrote first; the caller answers 412.
 */
export async function writeTemplateRow(
  db: Db,
  expectedVersion: number,
  row: Omit<NotificationTemplatesTable, 'version'>,
): Promise<boolean> {
  if (expectedVersion === 0) {
    // Two first edits race on the primary key: the loser's insert adds nothing.
    const result = await db
      .insertInto('notification_templates')
      .values({ ...row, version: 1 })
      .onConflict((oc) => oc.columns(['type', 'language']).doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
  }
  const result = await db
    .updateTable('notification_templates')
    .set({
      subject: row.subject,
      body: row.body,
      enabled: row.enabled,
      updated_at: row.updated_at,
      version: expectedVersion + 1,
    })
    .where('type', '=', row.type)
    .where('language', '=', row.language)
    .where('version', '=', expectedVersion)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

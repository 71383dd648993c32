import type { Selectable } from 'kysely';
import type { Db } from '../db/database.ts';
import type { NotificationsTable } from '../db/schema.ts';

// SQL for in-platform notifications. Plain functions taking `db` (or a transaction) first.

export type NotificationRow = Selectable<NotificationsTable>;

export async function insertNotification(db: Db, row: NotificationsTable): Promise<void> {
  await db.insertInto('notifications').values(row).execute();
}

/** What notifying a user needs to know about them (undefined: the user is gone). */
export async function findRecipient(db: Db, userId: string) {
  return db
    .selectFrom('users')
    .select(['id', 'language', 'primary_email'])
    .where('id', '=', userId)
    .executeTakeFirst();
}

export interface NotificationPage {
  userId: string;
  /** Keyset: rows strictly older than this (created_at, id). */
  before?: { createdAt: number; id: string } | undefined;
  limit: number;
}

/** A user's notifications, newest first. */
export async function listNotifications(db: Db, page: NotificationPage): Promise<NotificationRow[]> {
  let q = db.selectFrom('notifications').selectAll().where('user_id', '=', page.userId);
  const before = page.before;
  if (before) {
    q = q.where((eb) =>
      eb.or([
        eb('created_at', '<', before.createdAt),
        eb.and([eb('created_at', '=', before.createdAt), eb('id', '<', before.id)]),
      ]),
    );
  }
  return q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(page.limit).execute();
}

/**
 * How many the user sees as unread. `alsoUnreadTypePrefix`: notifications whose type starts with
 * it count as unread even when read (the read rule of an impersonated session, read-rule.ts).
 */
export async function countUnread(
  db: Db,
  userId: string,
  alsoUnreadTypePrefix: string | null,
): Promise<number> {
  const row = await db
    .selectFrom('notifications')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('user_id', '=', userId)
    .where((eb) =>
      alsoUnreadTypePrefix === null
        ? eb('read_at', 'is', null)
        : eb.or([eb('read_at', 'is', null), eb('type', 'like', `${alsoUnreadTypePrefix}%`)]),
    )
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function findNotification(db: Db, id: string): Promise<NotificationRow | undefined> {
  return db.selectFrom('notifications').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Marks read once; a second call keeps the first time. */
export async function markNotificationRead(db: Db, id: string, now: number): Promise<boolean> {
  const result = await db
    .updateTable('notifications')
    .set({ read_at: now })
    .where('id', '=', id)
    .where('read_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

import type { Db } from '../db/database.ts';

// SQL for a user's e-mail addresses beyond inserting them (users.store.ts). Each call runs
// inside the transaction of UsersService.change, which also keeps users.primary_email and
// users.search_text in step and bumps the user's version.

/** The profile that holds this address verified, if any (the address is lower-cased). */
export async function findVerifiedOwner(db: Db, addressLower: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('user_emails')
    .select('user_id')
    .where('address_lower', '=', addressLower)
    .where('verified', '=', true)
    .executeTakeFirst();
  return row?.user_id;
}

/**
 * Moves the primary mark to `emailId`. The old mark is cleared first: a unique index allows
 * one primary address per user, and it is checked statement by statement.
 */
export async function setPrimaryEmail(db: Db, userId: string, emailId: string): Promise<void> {
  await db
    .updateTable('user_emails')
    .set({ is_primary: false })
    .where('user_id', '=', userId)
    .where('is_primary', '=', true)
    .execute();
  await db
    .updateTable('user_emails')
    .set({ is_primary: true })
    .where('id', '=', emailId)
    .where('user_id', '=', userId)
    .execute();
}

export async function markEmailVerified(db: Db, userId: string, emailId: string, now: number): Promise<void> {
  await db
    .updateTable('user_emails')
    .set({ verified: true, verified_at: now })
    .where('id', '=', emailId)
    .where('user_id', '=', userId)
    .execute();
}

export async function deleteEmailRow(db: Db, userId: string, emailId: string): Promise<void> {
  await db.deleteFrom('user_emails').where('id', '=', emailId).where('user_id', '=', userId).execute();
}

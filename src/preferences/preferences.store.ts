import type { Db } from '../db/database.ts';

// A user's interface preferences, and the ones written while someone acts as them (R-IMP-13):
// those live with the impersonation and disappear with it.

export async function userPreferences(db: Db, userId: string) {
  return db.selectFrom('user_preferences').select(['key', 'value']).where('user_id', '=', userId).execute();
}

export async function impersonationPreferences(db: Db, impersonationId: string) {
  return db
    .selectFrom('impersonation_preferences')
    .select(['key', 'value'])
    .where('impersonation_id', '=', impersonationId)
    .execute();
}

export async function upsertUserPreference(db: Db, userId: string, key: string, value: string, now: number) {
  await db
    .insertInto('user_preferences')
    .values({ user_id: userId, key, value, updated_at: now })
    .onConflict((oc) => oc.columns(['user_id', 'key']).doUpdateSet({ value, updated_at: now }))
    .execute();
}

export async function upsertImpersonationPreference(
  db: Db,
  impersonationId: string,
  key: string,
  value: string,
  now: number,
) {
  await db
    .insertInto('impersonation_preferences')
    .values({ impersonation_id: impersonationId, key, value, updated_at: now })
    .onConflict((oc) => oc.columns(['impersonation_id', 'key']).doUpdateSet({ value, updated_at: now }))
    .execute();
}

export async function deleteUserPreference(db: Db, userId: string, key: string) {
  await db.deleteFrom('user_preferences').where('user_id', '=', userId).where('key', '=', key).execute();
}

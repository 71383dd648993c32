import type { Db } from '../db/database.ts';
import type { LoginChallengesTable } from '../db/schema.ts';

export async function insertChallenge(db: Db, row: LoginChallengesTable): Promise<void> {
  await db.insertInto('login_challenges').values(row).execute();
}

export async function findChallenge(db: Db, tokenHash: string) {
  return db.selectFrom('login_challenges').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
}

export async function countChallengeAttempt(db: Db, id: string): Promise<void> {
  await db
    .updateTable('login_challenges')
    .set((eb) => ({ attempts: eb('attempts', '+', 1) }))
    .where('id', '=', id)
    .execute();
}

export async function deleteChallenge(db: Db, id: string): Promise<void> {
  await db.deleteFrom('login_challenges').where('id', '=', id).execute();
}

export async function deleteExpiredChallenges(db: Db, now: number): Promise<void> {
  await db.deleteFrom('login_challenges').where('expires_at', '<=', now).execute();
}

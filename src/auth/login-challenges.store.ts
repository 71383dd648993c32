import type { Db } from '../db/database.ts';
import type { LoginChallengesTable } from '../db/schema.ts';

export async function insertChallenge(db: Db, row: LoginChallengesTable): Promise<void> {
  await db.insertInto('login_challenges').values(row).execute();
}

export async function findChallenge(db: Db, tokenHash: string) {
  return db.selectFrom('login_challenges').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
}

/**
 * Takes one of the challenge's attempts before its code is checked, atomically (issue 7 #10):
 * false when the challenge is gone, expired or used up.
 */
export async function reserveChallengeAttempt(
  db: Db,
  id: string,
  now: number,
  max: number,
): Promise<boolean> {
  const row = await db
    .updateTable('login_challenges')
    .set((eb) => ({ attempts: eb('attempts', '+', 1) }))
    .where('id', '=', id)
    .where('attempts', '<', max)
    .where('expires_at', '>', now)
    .returning('attempts')
    .executeTakeFirst();
  return row !== undefined;
}

/** Deletes a completed challenge; false when another request completed it first. */
export async function consumeChallenge(db: Db, id: string): Promise<boolean> {
  const r = await db.deleteFrom('login_challenges').where('id', '=', id).executeTakeFirst();
  return Number(r.numDeletedRows) === 1;
}

export async function deleteExpiredChallenges(db: Db, now: number): Promise<void> {
  await db.deleteFrom('login_challenges').where('expires_at', '<=', now).execute();
}

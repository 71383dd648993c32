import type { Db } from '../db/database.ts';
import type { LoginChallengesTable } from '../db/schema.ts';
import { hashToken } from '../sessions/token.ts';

// Issue 12 #5: the e-mail code of a step-up lives in the login challenges table, keyed by the
// session it is for. The key is the hash of `step-up:<session id>`, which no cookie can name
// (login challenge cookies must look like a 43-character token), and it is found only through
// the signed-in session.

export const stepUpChallengeKey = (sessionId: string) => hashToken(`step-up:${sessionId}`);

/** Replaces the session's pending step-up code with a new one (one code per session). */
export async function replaceStepUpChallenge(db: Db, row: LoginChallengesTable): Promise<void> {
  await db.deleteFrom('login_challenges').where('token_hash', '=', row.token_hash).execute();
  await db.insertInto('login_challenges').values(row).execute();
}

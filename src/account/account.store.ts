import type { Db } from '../db/database.ts';

// SQL of My Profile beyond what users/*.store.ts already has: e-mail verification codes,
// authenticator enrolments, the user's own sessions.

export async function findUserIdByUsername(db: Db, usernameKey: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('users')
    .select('id')
    .where('username_key', '=', usernameKey)
    .executeTakeFirst();
  return row?.id;
}

// --- e-mail verification codes ---

/** Replaces any earlier code of this address: only the newest mail's code works. */
export async function saveEmailVerification(
  db: Db,
  row: { email_id: string; user_id: string; code_hash: string; created_at: number; expires_at: number },
): Promise<void> {
  await db.deleteFrom('email_verifications').where('email_id', '=', row.email_id).execute();
  await db
    .insertInto('email_verifications')
    .values({ ...row, attempts: 0 })
    .execute();
}

export async function findEmailVerification(db: Db, userId: string, emailId: string) {
  return db
    .selectFrom('email_verifications')
    .selectAll()
    .where('email_id', '=', emailId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
}

/**
 * Takes one of the code's attempts before the code is checked, atomically (issue 7 #10):
 * returns the code's hash to check against, or undefined when there is no code, it expired or
 * its attempts are used up, so parallel guesses never check more than `max`.
 */
export async function reserveEmailVerificationAttempt(
  db: Db,
  userId: string,
  emailId: string,
  now: number,
  max: number,
): Promise<string | undefined> {
  const row = await db
    .updateTable('email_verifications')
    .set((eb) => ({ attempts: eb('attempts', '+', 1) }))
    .where('email_id', '=', emailId)
    .where('user_id', '=', userId)
    .where('attempts', '<', max)
    .where('expires_at', '>', now)
    .returning('code_hash')
    .executeTakeFirst();
  return row?.code_hash;
}

export async function deleteEmailVerification(db: Db, emailId: string): Promise<void> {
  await db.deleteFrom('email_verifications').where('email_id', '=', emailId).execute();
}

/** The addresses of a user waiting for their code (not expired). */
export async function pendingVerificationIds(db: Db, userId: string, now: number): Promise<Set<string>> {
  const rows = await db
    .selectFrom('email_verifications')
    .select('email_id')
    .where('user_id', '=', userId)
    .where('expires_at', '>', now)
    .execute();
  return new Set(rows.map((r) => r.email_id));
}

// --- authenticator enrolment ---

export async function saveTotpEnrolment(
  db: Db,
  row: { user_id: string; secret: string; created_at: number; expires_at: number },
): Promise<void> {
  await db.deleteFrom('totp_enrolments').where('user_id', '=', row.user_id).execute();
  await db
    .insertInto('totp_enrolments')
    .values({ ...row, attempts: 0 })
    .execute();
}

/** As reserveEmailVerificationAttempt, for the code that confirms an authenticator app. */
export async function reserveTotpEnrolmentAttempt(
  db: Db,
  userId: string,
  now: number,
  max: number,
): Promise<string | undefined> {
  const row = await db
    .updateTable('totp_enrolments')
    .set((eb) => ({ attempts: eb('attempts', '+', 1) }))
    .where('user_id', '=', userId)
    .where('attempts', '<', max)
    .where('expires_at', '>', now)
    .returning('secret')
    .executeTakeFirst();
  return row?.secret;
}

export async function deleteTotpEnrolment(db: Db, userId: string): Promise<void> {
  await db.deleteFrom('totp_enrolments').where('user_id', '=', userId).execute();
}

// --- own sessions ---

/**
 * The user's sessions that they can see and end: their own sign-ins. An administrator's
 * impersonation session runs in the user's name too, but it ends only through the
 * impersonation (audit and end notice), so it is not listed here.
 */
export async function listOwnSessions(db: Db, userId: string) {
  return db
    .selectFrom('sessions')
    .select(['id', 'created_at', 'last_seen_at', 'ip', 'user_agent'])
    .where('user_id', '=', userId)
    .where('impersonation_id', 'is', null)
    .where('suspended_by', 'is', null)
    .orderBy('last_seen_at', 'desc')
    .orderBy('id', 'desc')
    .execute();
}

export async function deleteOwnSession(db: Db, userId: string, sessionId: string): Promise<number> {
  const r = await db
    .deleteFrom('sessions')
    .where('id', '=', sessionId)
    .where('user_id', '=', userId)
    .where('impersonation_id', 'is', null)
    .where('suspended_by', 'is', null)
    .executeTakeFirst();
  return Number(r.numDeletedRows);
}

/** Ends every own sign-in of the user but `keepSessionId` (impersonations go their own way). */
export async function deleteOtherOwnSessions(db: Db, userId: string, keepSessionId: string): Promise<number> {
  const r = await db
    .deleteFrom('sessions')
    .where('user_id', '=', userId)
    .where('id', '!=', keepSessionId)
    .where('impersonation_id', 'is', null)
    .where('suspended_by', 'is', null)
    .executeTakeFirst();
  return Number(r.numDeletedRows);
}

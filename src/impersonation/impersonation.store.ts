import type { Selectable } from 'kysely';
import type { Db } from '../db/database.ts';
import type { ImpersonationsTable, SessionsTable } from '../db/schema.ts';

export type ImpersonationRow = Selectable<ImpersonationsTable>;

export async function insertImpersonation(db: Db, row: ImpersonationsTable): Promise<void> {
  await db.insertInto('impersonations').values(row).execute();
}

export async function findImpersonation(db: Db, id: string): Promise<ImpersonationRow | undefined> {
  return db.selectFrom('impersonations').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Active impersonations in which the user is the actor or the subject. */
export async function activeImpersonationsOf(db: Db, userId: string, as: 'actor' | 'subject') {
  return db
    .selectFrom('impersonations')
    .selectAll()
    .where(as === 'actor' ? 'actor_id' : 'subject_id', '=', userId)
    .where('ended_at', 'is', null)
    .execute();
}

/** Running impersonations past their end, or never opened and started before `unopenedBefore`. */
export async function dueImpersonations(db: Db, now: number, unopenedBefore: number, limit: number) {
  return db
    .selectFrom('impersonations')
    .select(['id', 'expires_at'])
    .where('ended_at', 'is', null)
    .where((eb) =>
      eb.or([
        eb('expires_at', '<=', now),
        eb.and([eb('handed_off_at', 'is', null), eb('started_at', '<=', unopenedBefore)]),
      ]),
    )
    .orderBy('started_at')
    .limit(limit)
    .execute();
}

export async function listImpersonations(
  db: Db,
  opts: { activeOnly: boolean; limit: number; beforeStartedAt?: number },
) {
  let q = db.selectFrom('impersonations').selectAll();
  if (opts.activeOnly) q = q.where('ended_at', 'is', null);
  if (opts.beforeStartedAt !== undefined) q = q.where('started_at', '<', opts.beforeStartedAt);
  return q.orderBy('started_at', 'desc').orderBy('id', 'desc').limit(opts.limit).execute();
}

/** Marks an impersonation ended; false when it had ended already (ending is idempotent). */
export async function markEnded(db: Db, id: string, now: number, reason: string): Promise<boolean> {
  const r = await db
    .updateTable('impersonations')
    .set({ ended_at: now, end_reason: reason })
    .where('id', '=', id)
    .where('ended_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function markHandedOff(db: Db, id: string, now: number): Promise<void> {
  await db.updateTable('impersonations').set({ handed_off_at: now }).where('id', '=', id).execute();
}

export async function insertHandoff(
  db: Db,
  row: {
    token_hash: string;
    impersonation_id: string;
    actor_session_id: string;
    expires_at: number;
    host: string | null;
  },
): Promise<void> {
  await db
    .insertInto('impersonation_handoffs')
    .values({ ...row, used_at: null })
    .execute();
}

/**
 * Claims a handoff token: marks it used if it is unused and unexpired, in one statement, so
 * two tabs racing with one URL cannot both win. Returns the claimed row or undefined.
 */
export async function claimHandoff(db: Db, tokenHash: string, now: number) {
  const r = await db
    .updateTable('impersonation_handoffs')
    .set({ used_at: now })
    .where('token_hash', '=', tokenHash)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .executeTakeFirst();
  if (Number(r.numUpdatedRows) !== 1) return undefined;
  return db
    .selectFrom('impersonation_handoffs')
    .selectAll()
    .where('token_hash', '=', tokenHash)
    .executeTakeFirst();
}

export async function deleteHandoffsOf(db: Db, impersonationId: string): Promise<void> {
  await db.deleteFrom('impersonation_handoffs').where('impersonation_id', '=', impersonationId).execute();
}

export async function findSessionByTokenHash(
  db: Db,
  tokenHash: string,
): Promise<Selectable<SessionsTable> | undefined> {
  return db.selectFrom('sessions').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
}

export async function findSessionById(db: Db, id: string): Promise<Selectable<SessionsTable> | undefined> {
  return db.selectFrom('sessions').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function suspendSession(db: Db, sessionId: string, impersonationId: string): Promise<void> {
  await db
    .updateTable('sessions')
    .set({ suspended_by: impersonationId })
    .where('id', '=', sessionId)
    .execute();
}

/**
 * Gives the actor's session back to its owner, with the token the owner's browser kept (their
 * proof), if that impersonation still suspends it. `lastSeenAt`: when the actor was last active
 * in it, which is when the impersonation ended, not when it was suspended.
 */
export async function resumeSession(
  db: Db,
  sessionId: string,
  impersonationId: string,
  lastSeenAt: number,
): Promise<void> {
  await db
    .updateTable('sessions')
    .set({ suspended_by: null, last_seen_at: lastSeenAt })
    .where('id', '=', sessionId)
    .where('suspended_by', '=', impersonationId)
    .execute();
}

export async function deleteImpersonationSessions(db: Db, impersonationId: string): Promise<void> {
  await db.deleteFrom('sessions').where('impersonation_id', '=', impersonationId).execute();
}

export async function deleteSessionRow(db: Db, sessionId: string): Promise<void> {
  await db.deleteFrom('sessions').where('id', '=', sessionId).execute();
}

export async function deleteImpersonationPreferences(db: Db, impersonationId: string): Promise<void> {
  await db.deleteFrom('impersonation_preferences').where('impersonation_id', '=', impersonationId).execute();
}

/** Issue 12, "who acted as me": the user's impersonations, newest first, keyset-paged. */
export async function impersonationsOfSubject(
  db: Db,
  subjectId: string,
  opts: { limit: number; before?: { startedAt: number; id: string } | undefined },
) {
  let q = db.selectFrom('impersonations').selectAll().where('subject_id', '=', subjectId);
  const before = opts.before;
  if (before) {
    q = q.where((eb) =>
      eb.or([
        eb('started_at', '<', before.startedAt),
        eb.and([eb('started_at', '=', before.startedAt), eb('id', '<', before.id)]),
      ]),
    );
  }
  return q.orderBy('started_at', 'desc').orderBy('id', 'desc').limit(opts.limit).execute();
}

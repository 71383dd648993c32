import type { CompiledQuery } from 'kysely';
import type { Db } from '../db/database.ts';
import type { SessionsTable } from '../db/schema.ts';

export async function insertSession(db: Db, row: SessionsTable): Promise<void> {
  await db.insertInto('sessions').values(row).execute();
}

type SessionWithUser = Awaited<ReturnType<ReturnType<typeof selectSessionWithUser>['executeTakeFirst']>>;

/** The miss query compiled once per database handle: building it cost more than running it. */
const compiledMissQuery = new WeakMap<Db, CompiledQuery<NonNullable<SessionWithUser>>>();

/** The session and its user in one round trip: this runs on every cache miss. */
export async function findSessionWithUser(db: Db, tokenHash: string): Promise<SessionWithUser> {
  let compiled = compiledMissQuery.get(db);
  if (!compiled) {
    compiled = selectSessionWithUser(db).where('sessions.token_hash', '=', '').compile();
    // The token hash must be its one parameter, or the substitution below would bind it wrong.
    if (compiled.parameters.length !== 1) throw new Error('the session miss query must take one parameter');
    compiledMissQuery.set(db, compiled);
  }
  const query: CompiledQuery<NonNullable<SessionWithUser>> = { ...compiled, parameters: [tokenHash] };
  const { rows } = await db.executeQuery(query);
  return rows[0];
}

/** At most this many token hashes per findSessionsWithUser query (its statements are cached by size). */
export const sessionBatchMax = 64;

export type SessionWithUserAndHash = NonNullable<SessionWithUser> & { token_hash: string };

/** The miss query with an `in` list, compiled once per list length and database handle. */
const compiledBatchQuery = new WeakMap<Db, Map<number, CompiledQuery<SessionWithUserAndHash>>>();

/**
 * The sessions of several token hashes with their users, in one query (one transaction on
 * SQLite, one round trip on PostgreSQL), by token hash. At most sessionBatchMax hashes.
 */
export async function findSessionsWithUser(
  db: Db,
  tokenHashes: string[],
): Promise<Map<string, SessionWithUserAndHash>> {
  if (tokenHashes.length > sessionBatchMax)
    throw new Error(`at most ${sessionBatchMax} token hashes a query`);
  let bySize = compiledBatchQuery.get(db);
  if (!bySize)
    compiledBatchQuery.set(db, (bySize = new Map<number, CompiledQuery<SessionWithUserAndHash>>()));
  let compiled = bySize.get(tokenHashes.length);
  if (!compiled) {
    compiled = selectSessionWithUser(db)
      .select('sessions.token_hash')
      .where('sessions.token_hash', 'in', tokenHashes)
      .compile();
    // The hashes must be its only parameters, in order, or the substitution below would bind wrong.
    if (compiled.parameters.length !== tokenHashes.length) {
      throw new Error('the session batch query must take one parameter per token hash');
    }
    bySize.set(tokenHashes.length, compiled);
  }
  const query: CompiledQuery<SessionWithUserAndHash> = { ...compiled, parameters: tokenHashes };
  const { rows } = await db.executeQuery(query);
  return new Map(rows.map((row) => [row.token_hash, row]));
}

/** A session whose token replaced `tokenHash` after `since` (a rotation's grace). */
export async function findSessionByPreviousToken(db: Db, tokenHash: string, since: number) {
  return selectSessionWithUser(db)
    .where('sessions.previous_token_hash', '=', tokenHash)
    .where('sessions.rotated_at', '>', since)
    .executeTakeFirst();
}

function selectSessionWithUser(db: Db) {
  return db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .select([
      'sessions.id as session_id',
      'sessions.user_id',
      'sessions.created_at',
      'sessions.last_seen_at',
      'sessions.absolute_expires_at',
      'sessions.impersonation_id',
      'sessions.suspended_by',
      'sessions.rotate_required',
      'users.first_name',
      'users.username',
      'users.primary_email',
      'users.language',
      'users.last_name',
      'users.role',
      'users.active',
      'users.general_permissions',
      'users.system_permissions',
    ]);
}

/**
 * Marks a user's own sessions (not impersonation sessions, which are re-read on every request
 * and end with their impersonation) so that each gets a new token on its next request.
 */
export async function markSessionsForRotation(db: Db, userId: string): Promise<number> {
  const r = await db
    .updateTable('sessions')
    .set({ rotate_required: true })
    .where('user_id', '=', userId)
    .where('impersonation_id', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

/**
 * Replaces a session's token hash, keeping the old one as `previous_token_hash`. With
 * `expectedHash`, only if the session still has it: of concurrent requests presenting the old
 * token, exactly one rotates.
 */
export async function replaceTokenHash(
  db: Db,
  sessionId: string,
  newHash: string,
  expectedHash: string | null,
  now: number,
): Promise<boolean> {
  let q = db
    .updateTable('sessions')
    .set((eb) => ({
      previous_token_hash: eb.ref('token_hash'),
      token_hash: newHash,
      rotate_required: false,
      rotated_at: now,
    }))
    .where('id', '=', sessionId)
    .where('suspended_by', 'is', null);
  if (expectedHash !== null) q = q.where('token_hash', '=', expectedHash);
  const r = await q.executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function touchSession(db: Db, sessionId: string, now: number): Promise<void> {
  await db.updateTable('sessions').set({ last_seen_at: now }).where('id', '=', sessionId).execute();
}

export async function deleteSession(db: Db, sessionId: string): Promise<number> {
  const r = await db.deleteFrom('sessions').where('id', '=', sessionId).executeTakeFirst();
  return Number(r.numDeletedRows);
}

export async function deleteSessionsOfUser(db: Db, userId: string): Promise<number> {
  const r = await db.deleteFrom('sessions').where('user_id', '=', userId).executeTakeFirst();
  return Number(r.numDeletedRows);
}

export async function deleteOtherSessionsOfUser(
  db: Db,
  userId: string,
  keepSessionId: string,
): Promise<number> {
  const r = await db
    .deleteFrom('sessions')
    .where('user_id', '=', userId)
    .where('id', '!=', keepSessionId)
    .executeTakeFirst();
  return Number(r.numDeletedRows);
}

export async function listSessionsOfUser(db: Db, userId: string) {
  return db
    .selectFrom('sessions')
    .select(['id', 'created_at', 'last_seen_at', 'absolute_expires_at', 'ip', 'user_agent'])
    .where('user_id', '=', userId)
    .orderBy('last_seen_at', 'desc')
    .execute();
}

/** The impersonation an impersonation session belongs to, with its actor as they are now. */
export async function findImpersonationWithActor(db: Db, impersonationId: string) {
  return db
    .selectFrom('impersonations')
    .innerJoin('users', 'users.id', 'impersonations.actor_id')
    .select([
      'impersonations.id',
      'impersonations.reason',
      'impersonations.origin',
      'impersonations.mode',
      'impersonations.started_at',
      'impersonations.expires_at',
      'impersonations.ended_at',
      'impersonations.actor_session_id',
      'users.id as actor_id',
      'users.first_name',
      'users.last_name',
      'users.username',
      'users.primary_email',
      'users.language',
      'users.role',
      'users.active',
      'users.general_permissions',
      'users.system_permissions',
    ])
    .where('impersonations.id', '=', impersonationId)
    .executeTakeFirst();
}

/** Removes sessions past their absolute end (idle ones end when next seen, or here later). */
export async function deleteSessionsEndedBefore(db: Db, cutoff: number): Promise<number> {
  const r = await db.deleteFrom('sessions').where('absolute_expires_at', '<', cutoff).executeTakeFirst();
  return Number(r.numDeletedRows);
}

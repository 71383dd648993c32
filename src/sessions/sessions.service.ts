import type { Database, Db, Tx } from '../db/database.ts';
import type { SessionsTable } from '../db/schema.ts';
import { bool } from '../db/database.ts';
import type { Clock } from '../shared/clock.ts';
import { newId } from '../shared/ids.ts';
import type { ImpersonationInfo, Principal } from '../shared/request-context.ts';
import type { SettingsService } from '../settings/settings.service.ts';
import { decodeInvalidation, encodeInvalidation, SessionCache, type CachedSession } from './session-cache.ts';
import {
  deleteSession,
  deleteSessionsEndedBefore,
  deleteSessionsOfUser,
  findImpersonationWithActor,
  findSessionByPreviousToken,
  findSessionsWithUser,
  findSessionWithUser,
  insertSession,
  markSessionsForRotation,
  replaceTokenHash,
  sessionBatchMax,
  touchSession,
  type SessionWithUserAndHash,
} from './sessions.store.ts';
import type { DomainHooks, UserChangedEvent } from '../shared/hooks.ts';
import { hashToken, looksLikeToken, newToken } from './token.ts';
import { ColdReads } from './cold-reads.ts';
import { cacheMaxAgeMs, cachedEntryOf, cachedSessionState, principalFromRow } from './cached-session.ts';

/**
 * After a rotation, the replaced token still authenticates for this long, without a new
 * cookie: requests a page sent at once all carry the old token, one of them rotates it, and
 * the others must not answer 401 (the web client takes any 401 as "signed out").
 */
export const rotationGraceMs = 10_000;

export interface ResolvedSession {
  sessionId: string;
  principal: Principal;
  impersonation: ImpersonationInfo | null;
  /** Set when this request swapped the session's token: send it in Set-Cookie. */
  newToken?: string;
}

/**
 * Fields of a user whose change is a privilege change (DESIGN.md section 5): the user's own
 * sessions get a new token. Rights and role; a power user's assigned resources (the fields of
 * that change are `users`, `groups`, `domains`); and the second factor, whose enrolment or
 * removal changes what signing in proves.
 */
const privilegeFields = new Set([
  'role',
  'systemPermissions',
  'generalPermissions',
  'twoFactorMethod',
  'users',
  'groups',
  'domains',
]);

export class SessionService {
  readonly cache = new SessionCache();
  private readonly database: Database;
  private readonly clock: Clock;
  private readonly settings: SettingsService;
  /**
   * Told of an impersonation found expired while resolving its session; the impersonation
   * service ends it (audit and notification in one transaction), wired in src/services.ts.
   */
  private readonly events: Pick<DomainHooks, 'impersonationExpired'>;
  /** warmUp's reads: those of one turn of the event loop as one query (cold-reads.ts). */
  private readonly coldReads: ColdReads<string, SessionWithUserAndHash>;

  constructor(
    database: Database,
    clock: Clock,
    settings: SettingsService,
    events: Pick<DomainHooks, 'impersonationExpired'> = { impersonationExpired: [] },
  ) {
    this.database = database;
    this.clock = clock;
    this.settings = settings;
    this.events = events;
    this.coldReads = new ColdReads((hashes) => findSessionsWithUser(database.db, hashes), sessionBatchMax);
    database.onBroadcast((message) => {
      const i = decodeInvalidation(message);
      if (!i) return;
      if (i.kind === 'all') this.cache.clear();
      else if (i.kind === 'user') this.cache.deleteUser(i.id);
      else this.cache.deleteSession(i.id);
    });
  }

  /** Creates a session (a fresh token at every login: no fixation) and returns its token. */
  /**
   * Prepares a new session (a fresh token at every login: no fixation). Separate from
   * inserting it because it reads the settings, which must not happen inside a caller's open
   * transaction (SQLite has one connection).
   */
  async prepare(
    userId: string,
    meta: { ip: string | null; userAgent: string | null },
  ): Promise<{ token: string; row: SessionsTable }> {
    const now = this.clock.now();
    const { sessions } = await this.settings.get();
    const token = newToken();
    const row: SessionsTable = {
      id: newId(now),
      token_hash: hashToken(token),
      user_id: userId,
      created_at: now,
      last_seen_at: now,
      absolute_expires_at: now + sessions.absoluteTimeoutHours * 3_600_000,
      ip: meta.ip,
      user_agent: meta.userAgent?.slice(0, 512) ?? null,
      impersonation_id: null,
      actor_id: null,
      suspended_by: null,
      rotate_required: false,
      previous_token_hash: null,
      rotated_at: null,
      // Every session starts at a sign-in: its owner has just proved who they are (issue 12 #5).
      proven_at: now,
    };
    return { token, row };
  }

  /** Prepares and stores a session in one go (outside any transaction). */
  async create(
    userId: string,
    meta: { ip: string | null; userAgent: string | null },
  ): Promise<{ token: string; sessionId: string }> {
    const { token, row } = await this.prepare(userId, meta);
    await this.insert(this.database.db, row);
    return { token, sessionId: row.id };
  }

  /** Stores a prepared session (inside the caller's transaction when `db` is one). */
  async insert(db: Db, row: SessionsTable): Promise<void> {
    await insertSession(db, row);
  }

  /**
   * Creates the session an actor's browser uses while acting as `subjectId` (inside the
   * caller's transaction). It lasts as long as the impersonation may.
   */
  async createImpersonationSession(
    db: Db,
    imp: { id: string; subjectId: string; actorId: string; expiresAt: number },
    meta: { ip: string | null; userAgent: string | null },
  ): Promise<{ token: string; sessionId: string }> {
    const now = this.clock.now();
    const token = newToken();
    const sessionId = newId(now);
    await insertSession(db, {
      id: sessionId,
      token_hash: hashToken(token),
      user_id: imp.subjectId,
      created_at: now,
      last_seen_at: now,
      absolute_expires_at: imp.expiresAt,
      ip: meta.ip,
      user_agent: meta.userAgent?.slice(0, 512) ?? null,
      impersonation_id: imp.id,
      actor_id: imp.actorId,
      suspended_by: null,
      rotate_required: false,
      previous_token_hash: null,
      rotated_at: null,
    });
    return { token, sessionId };
  }

  /** The session a cookie names, if it is still valid; ends it when it has timed out. */
  async resolve(token: string | undefined): Promise<ResolvedSession | null> {
    if (!looksLikeToken(token)) return null;
    const tokenHash = hashToken(token);
    const now = this.clock.now();
    let entry = this.cache.get(tokenHash);
    if (entry && now - entry.cachedAt > cacheMaxAgeMs) {
      this.cache.delete(tokenHash);
      entry = undefined;
    }
    if (!entry) {
      const loaded = await this.load(tokenHash, now);
      if (!loaded) return this.inGrace(tokenHash, now);
      if ('impersonation' in loaded) return loaded;
      entry = loaded;
    }

    const { sessions } = await this.settings.get();
    switch (cachedSessionState(entry, now, sessions.idleTimeoutMinutes * 60_000)) {
      case 'expired':
        await this.end(entry.sessionId);
        return null;
      case 'rotate': {
        // The first request after a privilege change gets the new token. Concurrent requests
        // that presented the same old token lose the compare-and-set and are served within the
        // grace; after it, the old token works nowhere.
        const newToken = await this.rotate(entry.sessionId, tokenHash);
        if (newToken === null) return this.inGrace(tokenHash, now);
        return { sessionId: entry.sessionId, principal: entry.principal, impersonation: null, newToken };
      }
      case 'touch':
        entry.lastSeenAt = now;
        await touchSession(this.database.db, entry.sessionId, now);
        break;
      case 'valid':
        break;
    }
    return { sessionId: entry.sessionId, principal: entry.principal, impersonation: null };
  }

  /**
   * The hash a cookie's token is looked up by, or null for a value we never issue. The fast
   * path hashes once per request and passes the hash to resolveWarm, mayWarmUp and warmUp.
   */
  tokenHashOf(token: string | undefined): string | null {
    return looksLikeToken(token) ? hashToken(token) : null;
  }

  /**
   * The warm case of resolve, synchronously: the cached, valid session a token (by its hash,
   * tokenHashOf) names when resolve would answer it with nothing to read, write, end or
   * rotate; otherwise null, and the caller takes resolve's path (null never means "not signed
   * in"). Same rule as resolve: cachedSessionState.
   */
  resolveWarm(tokenHash: string): { sessionId: string; principal: Principal } | null {
    const entry = this.cache.get(tokenHash);
    const settings = this.settings.peek();
    if (!entry || !settings) return null;
    const now = this.clock.now();
    if (now - entry.cachedAt > cacheMaxAgeMs) return null;
    if (cachedSessionState(entry, now, settings.sessions.idleTimeoutMinutes * 60_000) !== 'valid')
      return null;
    return { sessionId: entry.sessionId, principal: entry.principal };
  }

  /**
   * Gives a session a new token and returns it; the old one stops working everywhere (the
   * cached entry is dropped here and, by broadcast, on every other instance). With
   * `expectedHash`, only if the session still has that token (null otherwise).
   */
  async rotate(sessionId: string, expectedHash: string | null = null): Promise<string | null> {
    const token = newToken();
    const now = this.clock.now();
    const rotated = await replaceTokenHash(this.database.db, sessionId, hashToken(token), expectedHash, now);
    this.cache.deleteSession(sessionId);
    await this.forgetSession(sessionId);
    return rotated ? token : null;
  }

  /**
   * A token replaced by a rotation less than `rotationGraceMs` ago: the session it belonged to,
   * as it is now, without a new cookie (the request that rotated it carried that). Never
   * cached, so the grace ends on time on every instance.
   */
  private async inGrace(tokenHash: string, now: number): Promise<ResolvedSession | null> {
    const row = await findSessionByPreviousToken(this.database.db, tokenHash, now - rotationGraceMs);
    if (!row || row.suspended_by !== null || row.impersonation_id !== null || !bool(row.active)) return null;
    if (now >= row.absolute_expires_at) return null;
    return { sessionId: row.session_id, principal: principalFromRow(row.user_id, row), impersonation: null };
  }

  /**
   * In the transaction of a change to a user (the `userChanged` hook): a privilege change
   * marks the user's sessions for a new token. The change's own `forgetUser` after the commit
   * drops their cached entries, so every instance re-reads the mark on the next request.
   */
  async userChanged(trx: Db, event: UserChangedEvent): Promise<void> {
    if (event.fields.some((f) => privilegeFields.has(f))) await markSessionsForRotation(trx, event.userId);
  }

  /**
   * Reads a session from the database. Ordinary sessions go into the cache; impersonation
   * sessions never do: each of their requests re-reads the impersonation and its actor, so an
   * ended impersonation or a demoted actor is seen by the very next request on every instance.
   */
  private async load(tokenHash: string, now: number): Promise<CachedSession | ResolvedSession | undefined> {
    const epoch = this.cache.epoch;
    const row = await findSessionWithUser(this.database.db, tokenHash);
    if (!row) return undefined;
    // The actor's own session, while an impersonation stands in for it (R-IMP-06).
    if (row.suspended_by !== null) return undefined;
    if (row.impersonation_id !== null) {
      if (!bool(row.active)) return undefined;
      const impersonation = await this.loadImpersonation(row.impersonation_id, now);
      if (!impersonation) return undefined;
      return { sessionId: row.session_id, principal: principalFromRow(row.user_id, row), impersonation };
    }
    // R-ADM-05: an inactive user has no sessions; one that survived a race ends here.
    if (!bool(row.active)) {
      await this.end(row.session_id);
      return undefined;
    }
    // This request is answered with what it read; the cache keeps it only if no revocation
    // came in while the read was on its way.
    const entry = cachedEntryOf(row, now);
    this.cache.fillIfNoneSince(epoch, tokenHash, entry);
    return entry;
  }

  /** Whether warmUp could cache anything for this token hash (tokenHashOf): not cached yet. */
  mayWarmUp(tokenHash: string): boolean {
    return !this.cache.get(tokenHash);
  }

  /**
   * Reads a plain session (the user's own, active, not suspended) into the cache by its token
   * hash (tokenHashOf) and does nothing else: no session is ended, no impersonation read. The
   * fast path's first request of a session; whatever this leaves uncached, resolve decides as
   * always.
   */
  async warmUp(tokenHash: string): Promise<void> {
    if (this.cache.get(tokenHash)) return;
    const epoch = this.cache.epoch;
    const row = await this.coldReads.get(tokenHash);
    if (!row || row.suspended_by !== null || row.impersonation_id !== null || !bool(row.active)) return;
    // Two first requests of one session in one batch: the first one's entry stands. Nothing is
    // cached if a revocation came in while the read was on its way (the route then decides).
    if (!this.cache.get(tokenHash))
      this.cache.fillIfNoneSince(epoch, tokenHash, cachedEntryOf(row, this.clock.now()));
  }

  private async loadImpersonation(id: string, now: number): Promise<ImpersonationInfo | null> {
    const imp = await findImpersonationWithActor(this.database.db, id);
    if (!imp || imp.ended_at !== null || !bool(imp.active)) return null;
    if (now >= imp.expires_at) {
      for (const handler of this.events.impersonationExpired) await handler(id);
      return null;
    }
    return {
      id: imp.id,
      actor: principalFromRow(imp.actor_id, imp),
      startedAt: imp.started_at,
      expiresAt: imp.expires_at,
      reason: imp.reason,
      origin: imp.origin,
      mode: imp.mode === 'read-only' ? 'read-only' : 'act',
    };
  }

  /** Deletes a session inside the caller's transaction; call `forgetSession` after the commit. */
  async remove(trx: Tx, sessionId: string): Promise<void> {
    await deleteSession(trx, sessionId);
  }

  async end(sessionId: string): Promise<void> {
    await deleteSession(this.database.db, sessionId);
    await this.database.broadcast('invalidate', encodeInvalidation({ kind: 'session', id: sessionId }));
  }

  /**
   * Ends every session of a user (deactivation, deletion). Call after the transaction that
   * caused it has committed, or pass that transaction's db to delete inside it and then call
   * `forgetUser` after the commit.
   */
  async endAllOf(userId: string): Promise<void> {
    await deleteSessionsOfUser(this.database.db, userId);
    await this.forgetUser(userId);
  }

  /**
   * Housekeeping: deletes sessions past their absolute end. An ended impersonation's session
   * row is kept until then so the actor can still go back to their own session.
   */
  async sweep(): Promise<number> {
    return deleteSessionsEndedBefore(this.database.db, this.clock.now());
  }

  /** Drops one cached session on every instance (after its row changed). */
  async forgetSession(sessionId: string): Promise<void> {
    await this.database.broadcast('invalidate', encodeInvalidation({ kind: 'session', id: sessionId }));
  }

  /** Drops cached sessions of a user on every instance, so their next request re-reads rights. */
  async forgetUser(userId: string): Promise<void> {
    await this.database.broadcast('invalidate', encodeInvalidation({ kind: 'user', id: userId }));
  }
}

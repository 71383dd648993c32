import type { Principal } from '../shared/request-context.ts';

// Validated sessions, by token hash, so that an authenticated request costs a hash and a map
// lookup instead of a database round trip. Every revocation removes entries at once, on every
// instance (see SessionService's broadcast handling); entries also expire after `maxAgeMs` as a
// safety net should an invalidation message ever be lost.

export interface CachedSession {
  sessionId: string;
  principal: Principal;
  lastSeenAt: number;
  absoluteExpiresAt: number;
  cachedAt: number;
  /** A privilege change asked for a new token: the next request rotates it. */
  rotateRequired: boolean;
}

export class SessionCache {
  private readonly byHash = new Map<string, CachedSession>();
  /**
   * A user's token hashes: the hash itself while there is one (the usual case), a Set from the
   * second on. A Set per signed-in user would be the largest part of an entry (issue 13).
   */
  private readonly hashesByUser = new Map<string, string | Set<string>>();
  private readonly hashBySession = new Map<string, string>();
  private readonly maxEntries: number;
  /** Invalidations so far, named or not cached (see fillIfNoneSince). */
  private invalidations = 0;

  constructor(maxEntries = 200_000) {
    this.maxEntries = maxEntries;
  }

  get size(): number {
    return this.byHash.size;
  }

  get(tokenHash: string): CachedSession | undefined {
    return this.byHash.get(tokenHash);
  }

  /**
   * Taken before a session is read from the database, for fillIfNoneSince: a revocation that
   * commits while the read is on its way (a round trip on PostgreSQL) invalidates an entry
   * that is not cached yet, so the read's result must not be cached afterwards.
   */
  get epoch(): number {
    return this.invalidations;
  }

  /**
   * Caches what was read since `epoch`, unless anything was invalidated meanwhile (whatever it
   * named: a stale entry would stand until maxAge, a skipped one costs one read). Returns
   * whether it cached.
   */
  fillIfNoneSince(epoch: number, tokenHash: string, entry: CachedSession): boolean {
    if (this.invalidations !== epoch) return false;
    this.set(tokenHash, entry);
    return true;
  }

  set(tokenHash: string, entry: CachedSession): void {
    if (this.byHash.size >= this.maxEntries && !this.byHash.has(tokenHash)) {
      // Maps iterate in insertion order: drop the oldest entry (an eviction, not an invalidation).
      this.remove(this.byHash.keys().next().value!);
    }
    this.byHash.set(tokenHash, entry);
    this.hashBySession.set(entry.sessionId, tokenHash);
    const userId = entry.principal.id;
    const known = this.hashesByUser.get(userId);
    if (known === undefined || known === tokenHash) this.hashesByUser.set(userId, tokenHash);
    else if (typeof known === 'string') this.hashesByUser.set(userId, new Set([known, tokenHash]));
    else known.add(tokenHash);
  }

  delete(tokenHash: string): void {
    this.invalidations++;
    this.remove(tokenHash);
  }

  private remove(tokenHash: string): void {
    const entry = this.byHash.get(tokenHash);
    if (!entry) return;
    this.byHash.delete(tokenHash);
    this.hashBySession.delete(entry.sessionId);
    const userId = entry.principal.id;
    const known = this.hashesByUser.get(userId);
    if (known === tokenHash) this.hashesByUser.delete(userId);
    else if (typeof known === 'object') {
      known.delete(tokenHash);
      if (known.size === 1) this.hashesByUser.set(userId, known.values().next().value!);
    }
  }

  deleteSession(sessionId: string): void {
    this.invalidations++;
    const h = this.hashBySession.get(sessionId);
    if (h) this.remove(h);
  }

  deleteUser(userId: string): void {
    this.invalidations++;
    const known = this.hashesByUser.get(userId);
    if (typeof known === 'string') this.remove(known);
    else for (const h of [...(known ?? [])]) this.remove(h);
  }

  clear(): void {
    this.invalidations++;
    this.byHash.clear();
    this.hashesByUser.clear();
    this.hashBySession.clear();
  }
}

/** Invalidation messages as they travel between instances. */
export type Invalidation = { kind: 'session'; id: string } | { kind: 'user'; id: string } | { kind: 'all' };

export function encodeInvalidation(i: Invalidation): string {
  return i.kind === 'all' ? '*' : `${i.kind}:${i.id}`;
}

export function decodeInvalidation(message: string): Invalidation | null {
  if (message === '*') return { kind: 'all' };
  const [kind, id] = message.split(':', 2);
  if ((kind === 'session' || kind === 'user') && id) return { kind, id };
  return null;
}

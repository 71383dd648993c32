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
  private readonly hashesByUser = new Map<string, Set<string>>();
  private readonly hashBySession = new Map<string, string>();
  private readonly maxEntries: number;

  constructor(maxEntries = 200_000) {
    this.maxEntries = maxEntries;
  }

  get size(): number {
    return this.byHash.size;
  }

  get(tokenHash: string): CachedSession | undefined {
    return this.byHash.get(tokenHash);
  }

  set(tokenHash: string, entry: CachedSession): void {
    if (this.byHash.size >= this.maxEntries && !this.byHash.has(tokenHash)) {
      // Maps iterate in insertion order: drop the oldest entry.
      this.delete(this.byHash.keys().next().value!);
    }
    this.byHash.set(tokenHash, entry);
    this.hashBySession.set(entry.sessionId, tokenHash);
    let set = this.hashesByUser.get(entry.principal.id);
    if (!set) this.hashesByUser.set(entry.principal.id, (set = new Set()));
    set.add(tokenHash);
  }

  delete(tokenHash: string): void {
    const entry = this.byHash.get(tokenHash);
    if (!entry) return;
    this.byHash.delete(tokenHash);
    this.hashBySession.delete(entry.sessionId);
    const set = this.hashesByUser.get(entry.principal.id);
    set?.delete(tokenHash);
    if (set?.size === 0) this.hashesByUser.delete(entry.principal.id);
  }

  deleteSession(sessionId: string): void {
    const h = this.hashBySession.get(sessionId);
    if (h) this.delete(h);
  }

  deleteUser(userId: string): void {
    for (const h of [...(this.hashesByUser.get(userId) ?? [])]) this.delete(h);
  }

  clear(): void {
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

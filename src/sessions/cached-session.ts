import { bool } from '../db/database.ts';
import { roles, type GeneralPermission, type Role, type SystemPermission } from '../permissions/catalogue.ts';
import type { Principal } from '../shared/request-context.ts';
import { displayName, languages } from '../users/user.ts';
import type { CachedSession } from './session-cache.ts';
import type { findSessionWithUser } from './sessions.store.ts';

// What a cached session is made of and when it may serve a request, apart from the service's
// I/O: resolve, resolveWarm (the fast path's) and warmUp share these.

/** last_seen_at is written at most this often per session: idle timeouts need minutes, not ms. */
export const touchIntervalMs = 60_000;
/** A cached session is re-read from the database after this long, whatever else happens. */
export const cacheMaxAgeMs = 60_000;

/**
 * Pure: what a cached session needs before it may serve a request. Expired (absolute or idle
 * timeout) ends it; a privilege change rotates its token; a session not seen for a minute gets
 * its last_seen_at written (idle timeouts need minutes, not milliseconds).
 */
export function cachedSessionState(
  entry: Pick<CachedSession, 'absoluteExpiresAt' | 'lastSeenAt' | 'rotateRequired'>,
  now: number,
  idleLimitMs: number,
): 'expired' | 'rotate' | 'touch' | 'valid' {
  if (now >= entry.absoluteExpiresAt || now - entry.lastSeenAt >= idleLimitMs) return 'expired';
  if (entry.rotateRequired) return 'rotate';
  if (now - entry.lastSeenAt >= touchIntervalMs) return 'touch';
  return 'valid';
}

/** The cache entry of an ordinary session row. */
export function cachedEntryOf(row: SessionRow, now: number): CachedSession {
  return {
    sessionId: row.session_id,
    lastSeenAt: row.last_seen_at,
    absoluteExpiresAt: row.absolute_expires_at,
    cachedAt: now,
    principal: principalFromRow(row.user_id, row),
    rotateRequired: bool(row.rotate_required),
  };
}

export type SessionRow = NonNullable<Awaited<ReturnType<typeof findSessionWithUser>>>;

export type PrincipalRow = {
  first_name: string;
  last_name: string;
  username: string | null;
  primary_email: string | null;
  language: string;
  role: string;
  general_permissions: string;
  system_permissions: string;
};

// A principal is kept in the session cache for every signed-in user (issue 13: <= 1 KB per
// cached session). What most principals have alike is shared instead of copied from each row:
// the role and language as the catalogue's own strings, and no rights as one frozen empty list
// (frozen, so that a mistaken push shows at once instead of granting everyone the right).
const noRights: never[] = Object.freeze([]) as unknown as never[];

function rights<T>(json: string): T[] {
  return json === '[]' ? noRights : (JSON.parse(json) as T[]);
}

export function principalFromRow(id: string, row: PrincipalRow): Principal {
  return {
    id,
    displayName: displayName({ firstName: row.first_name, lastName: row.last_name }),
    username: row.username,
    primaryEmail: row.primary_email,
    language: languages.find((l) => l === row.language) ?? row.language,
    role: roles.find((r) => r === row.role) ?? (row.role as Role),
    systemPermissions: rights<SystemPermission>(row.system_permissions),
    generalPermissions: rights<GeneralPermission>(row.general_permissions),
  };
}

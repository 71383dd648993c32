import { createHash } from 'node:crypto';
import { AppError } from '../shared/errors.ts';
import { isId } from '../shared/ids.ts';
import type { Tag } from './user.ts';
import { foldTerm } from './search-fold.ts';

// The admin user list (R-ADM-06) as pure values: what a query may ask for, and the opaque
// cursor that carries a position in it from one page to the next. No I/O here.

export const userSorts = [
  '-createdAt',
  'createdAt',
  'lastName',
  '-lastName',
  'email',
  '-email',
  'username',
] as const;
export type UserSort = (typeof userSorts)[number];
export const statusFilters = ['active', 'inactive', 'locked'] as const;
export type StatusFilter = (typeof statusFilters)[number];
export const roleFilters = ['user', 'power-user', 'superadmin', 'system-administrator'] as const;
export type RoleFilter = (typeof roleFilters)[number];

export const maxTermLength = 200;

export interface UserQuery {
  /** Folded (search-fold.ts), trimmed substring to find; null lists everyone. */
  term: string | null;
  limit: number;
  sort: UserSort;
  status: StatusFilter | null;
  role: RoleFilter | null;
  tag: Tag | null;
  domainId: string | null;
  /** R-IMP-02: the power user whose reach bounds the list; null for administrators. */
  reachOf?: string | null;
}

/** The capped total: `{ count: 1000, capped: true }` reads "1000+". */
export interface Total {
  count: number;
  /** The count is a lower bound: more users may match. */
  capped: boolean;
}

export const countCap = 1000;

/**
 * How far the exact count an administrator asks for (GET /api/v1/admin/users/count) counts:
 * far enough for any list a person reads, and a bound on the rows one request can read.
 */
export const exactCountCap = 100_000;

/** A position in the list: the sort key and id of the row to continue after. */
export interface Position {
  key: string | number;
  id: string;
}

export interface Cursor {
  sort: UserSort;
  /** Binds the cursor to the term and filters it was made for. */
  query: string;
  after: Position;
  /** The total as counted for the first page, so later pages need not count again. */
  total: Total;
}

/** Names a query's term and filters, so a cursor cannot continue a different listing. */
export function queryFingerprint(q: UserQuery): string {
  // A power user's cursor is bound to their reach too (an administrator's fingerprint is as before).
  const basis = JSON.stringify([
    q.term,
    q.status,
    q.role,
    q.tag,
    q.domainId,
    ...(q.reachOf ? [q.reachOf] : []),
  ]);
  return createHash('sha256').update(basis).digest('base64url').slice(0, 12);
}

// Not a secret: the check catches a cursor edited by hand or cut short, which would otherwise
// seek to an arbitrary position and skip or repeat users without anyone noticing. Anyone who
// may list users may start at any position anyway, so there is nothing to authenticate.
function checksum(body: string): string {
  return createHash('sha256').update(`behalf-user-cursor:${body}`).digest('base64url').slice(0, 16);
}

export function encodeCursor(cursor: Cursor): string {
  const body = JSON.stringify({
    s: cursor.sort,
    q: cursor.query,
    k: cursor.after.key,
    i: cursor.after.id,
    t: [cursor.total.count, cursor.total.capped ? 1 : 0],
  });
  return Buffer.from(JSON.stringify({ b: body, c: checksum(body) })).toString('base64url');
}

const invalid = (detail: string) => new AppError('invalid_cursor', detail);

/** Reads a cursor for `q`; anything malformed, edited or made for another listing is a 400. */
export function decodeCursor(text: string, q: UserQuery): Cursor {
  let body: Record<string, unknown>;
  try {
    const outer = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as { b?: unknown; c?: unknown };
    if (typeof outer.b !== 'string' || outer.c !== checksum(outer.b)) throw new Error('checksum');
    body = JSON.parse(outer.b) as Record<string, unknown>;
  } catch {
    throw invalid('The cursor is not one this server issued; start again from the first page.');
  }
  const { s, q: fingerprint, k, i, t } = body;
  if (s !== q.sort)
    throw invalid('The cursor belongs to another sort order; start again from the first page.');
  if (fingerprint !== queryFingerprint(q)) {
    throw invalid('The cursor belongs to another search or filter; start again from the first page.');
  }
  const keyOk =
    q.sort === 'createdAt' || q.sort === '-createdAt' ? Number.isSafeInteger(k) : typeof k === 'string';
  const totalOk =
    Array.isArray(t) && t.length === 2 && Number.isSafeInteger(t[0]) && (t[1] === 0 || t[1] === 1);
  if (!keyOk || typeof i !== 'string' || !isId(i) || !totalOk) {
    throw invalid('The cursor is damaged; start again from the first page.');
  }
  return {
    sort: q.sort,
    query: fingerprint,
    after: { key: k as string | number, id: i },
    total: { count: t[0] as number, capped: t[1] === 1 },
  };
}

/** The search term as the index holds text: trimmed and folded like search_text (search-fold.ts). */
export function normalizeTerm(q: string | undefined): string | null {
  const term = foldTerm((q ?? '').trim()).trim();
  return term === '' ? null : term;
}

/** Trigram indexes find substrings of three characters or more; shorter ones they cannot. */
export function isIndexableTerm(term: string): boolean {
  return [...term].length >= 3;
}

import { sql, type RawBuilder } from 'kysely';
import { bool, type Dialect } from '../db/database.ts';
import { noUsernameKey } from '../db/migrations/0002_user_search.ts';
import type { Position, RoleFilter, StatusFilter, UserSort } from './user-search.ts';
import type { Tag, User } from './user.ts';
import { userFromColumns } from './users.store.ts';

// SQL fragments of the admin user list, over the alias `u` for users. They are written to
// match the indexes of migrations 0002 and 0006 text for text, which is how both planners
// recognise them; user-search.store.ts puts them together.

export type Sql = RawBuilder<unknown>;

export const columns = sql.raw(
  `u.id, u.username, u.first_name, u.last_name, u.gender, u.language, u.primary_email, u.role,
   u.general_permissions, u.system_permissions, u.active, (u.password_hash IS NOT NULL) AS has_password,
   u.two_factor_method, u.failed_logins, u.locked_until, u.created_at, u.updated_at, u.version,
   u.domain_id`,
);

export interface ListedRow {
  id: string;
  username: string | null;
  first_name: string;
  last_name: string;
  gender: string;
  language: string;
  primary_email: string | null;
  role: string;
  general_permissions: string;
  system_permissions: string;
  active: boolean | number;
  has_password: boolean | number;
  two_factor_method: string;
  failed_logins: number;
  locked_until: number | null;
  created_at: number;
  updated_at: number;
  version: number;
  domain_id: string | null;
  sort_key: string | number;
  total?: number;
}

/** A user the list shows, where it stands in the sort order, and (probePage) the matches. */
export interface Listed {
  user: User;
  position: Position;
  /** Matches from the cursor on, where the query counts them. */
  total?: number;
}

export function toListed(row: ListedRow): Listed {
  const user = userFromColumns(row, bool(row.has_password));
  const listed: Listed = { user, position: { key: row.sort_key, id: row.id } };
  if (row.total !== undefined) listed.total = Number(row.total);
  return listed;
}

/** The filters of one request. */
export interface Filters {
  status: StatusFilter | null;
  role: RoleFilter | null;
  tag: Tag | null;
  domainId: string | null;
  now: number;
  passwordLoginEnabled: boolean;
}

export interface Predicate {
  sql: Sql;
  /** Few users match and a partial index lists them: read them all and sort. */
  selective: boolean;
  /** An index on (this, created_at, id) lists the matches newest first: walk it. */
  ordered: boolean;
  /** The index that lists the matches, if any (named to SQLite when it drives a query). */
  index?: string;
}

const plain = (s: Sql): Predicate => ({ sql: s, selective: false, ordered: false });
// The WHERE texts of the partial indexes of migration 0002, verbatim over alias u.
const partial = (s: Sql, index: string): Predicate => ({ sql: s, selective: true, ordered: true, index });

function tagPredicate(tag: Tag, f: Filters): Predicate {
  switch (tag) {
    case 'active':
      return plain(sql`u.active = true`);
    case 'inactive':
      return partial(sql`u.active = false`, 'users_inactive');
    case 'locked':
      // Implies the index's `locked_until IS NOT NULL`, which both planners prove.
      return partial(sql`u.locked_until > ${f.now}`, 'users_lockable');
    case 'superadmin':
      return partial(sql`u.role = 'superadmin'`, 'users_superadmin');
    case 'power-user':
      return partial(sql`u.role = 'power-user'`, 'users_power_user');
    case 'system-administrator':
      return partial(sql`u.system_permissions <> '[]'`, 'users_system_admin');
    case 'cannot-log-in': {
      // R-ADM-04 as SQL, the same rule as cannotLogIn() in user.ts: no way in by password and
      // no link at a service shown on the sign-in page (read now, so switching a service
      // changes the filter at once). Many users may lack a password (single sign-on only), so
      // it is walked; the EXISTS probes the index on linked_accounts.user_id per candidate.
      const noLink = sql`NOT EXISTS (SELECT 1 FROM linked_accounts la JOIN login_services ls ON ls.id = la.service_id WHERE la.user_id = u.id AND ls.show_on_sign_in = true)`;
      return plain(f.passwordLoginEnabled ? sql`u.password_hash IS NULL AND ${noLink}` : noLink);
    }
  }
}

export function predicatesOf(f: Filters): Predicate[] {
  const out: Predicate[] = [];
  if (f.status) out.push(tagPredicate(f.status, f));
  // "user" is the role without system permissions: a system administrator is not listed twice.
  if (f.role === 'user') out.push(plain(sql`u.role = 'user' AND u.system_permissions = '[]'`));
  else if (f.role) out.push(tagPredicate(f.role, f));
  if (f.tag) out.push(tagPredicate(f.tag, f));
  // Index users_domain (domain_id, created_at, id) of migration 0006.
  if (f.domainId) {
    out.push({
      sql: sql`u.domain_id = ${f.domainId}`,
      selective: false,
      ordered: true,
      index: 'users_domain',
    });
  }
  return out;
}

export const and = (parts: Sql[]): Sql => (parts.length === 0 ? sql`1 = 1` : sql.join(parts, sql` AND `));

export interface SortSql {
  /** The expression a sort index is built on (0001 users_created, 0002 users_sort_*). */
  key: Sql;
  /** The same value in a form no index matches, so that a planner reads matches and sorts. */
  opaque: Sql;
  desc: boolean;
  byCreation: boolean;
}

export function sortSql(dialect: Dialect, sort: UserSort): SortSql {
  const desc = sort.startsWith('-');
  const field = sort.replace('-', '') as 'createdAt' | 'lastName' | 'email' | 'username';
  if (field === 'createdAt') {
    return { key: sql`u.created_at`, opaque: sql`(u.created_at + 0)`, desc, byCreation: true };
  }
  const text = {
    lastName: sql`lower(u.last_name)`,
    email: sql`coalesce(lower(u.primary_email), '')`,
    username: sql`coalesce(u.username_lower, ${sql.lit(noUsernameKey)})`,
  }[field];
  // Byte order in both engines, whatever the server's locale (see migration 0002).
  const key = dialect === 'postgres' ? sql`(${text} COLLATE "C")` : text;
  return { key, opaque: sql`(${key} || '')`, desc, byCreation: false };
}

/** Rows after `after` in the sort order, compared on `key` (indexable or opaque). */
export function afterSql(s: SortSql, key: Sql, after: Position | null): Sql {
  if (!after) return sql`1 = 1`;
  return s.desc
    ? sql`${key} <= ${after.key} AND (${key} < ${after.key} OR u.id < ${after.id})`
    : sql`${key} >= ${after.key} AND (${key} > ${after.key} OR u.id > ${after.id})`;
}

export const orderSql = (s: SortSql, key: Sql, id: Sql): Sql =>
  s.desc ? sql`${key} DESC, ${id} DESC` : sql`${key} ASC, ${id} ASC`;

/** Exact substring test: what every plan checks each candidate with. */
export function containsSql(dialect: Dialect, text: Sql, term: string | null): Sql {
  if (term === null) return sql`1 = 1`;
  return dialect === 'postgres' ? sql`strpos(${text}, ${term}) > 0` : sql`instr(${text}, ${term}) > 0`;
}

/**
 * The candidates of a trigram lookup of `probe` (rows holding every one of these trigrams),
 * or with `probe` empty the rows a filter's index lists (a selective filter's first).
 */
export function candidatesSql(
  dialect: Dialect,
  probe: string[],
  predicates: Predicate[],
): { from: Sql; where: Sql } {
  if (probe.length === 0) {
    const index = (predicates.find((p) => p.selective) ?? predicates.find((p) => p.ordered))?.index;
    // SQLite's statistics count the users without a domain as one value shared by a million
    // rows, which makes `domain_id = ?` look unselective; name the index instead.
    if (dialect === 'sqlite' && index)
      return { from: sql`users u INDEXED BY ${sql.id(index)}`, where: sql`1 = 1` };
    return { from: sql`users u`, where: sql`1 = 1` };
  }
  if (dialect === 'postgres') {
    return { from: sql`users u`, where: and(probe.map((t) => sql`u.search_text LIKE ${`%${t}%`}`)) };
  }
  return {
    from: sql`users_fts f JOIN users u ON u.search_rowid = f.rowid`,
    where: sql`users_fts MATCH ${probe.map((t) => `"${t}"`).join(' AND ')}`,
  };
}

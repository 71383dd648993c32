import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../database.ts';

// Frozen in time. The admin user list (R-ADM-06) at a million users: a trigram index over
// users.search_text for rare terms, one b-tree per sort key (with id as the keyset tiebreak),
// and partial indexes for the filters that select few users. How the list uses them is
// explained in src/users/user-search.store.ts and docs/decisions.md.

/**
 * The sort keys as SQL. Text keys compare byte-wise (COLLATE "C" on PostgreSQL, BINARY on
 * SQLite) so that both engines order alike and independently of the server's locale. A user
 * without a username sorts last: U+10FFFF is above every character a username may hold.
 * src/users/user-search.store.ts repeats these expressions; they must stay identical, or the
 * list stops using these indexes.
 */
export const noUsernameKey = '\u{10FFFF}';

export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  if (dialect === 'postgres') await postgres(db);
  else await sqlite(db);

  // Rare filters: few rows each, so the list reads them all through these and sorts them. The
  // newest-first default walks them in order. Each WHERE equals the list's filter predicate
  // text, which is what lets both planners use them.
  const partial: Array<[string, string]> = [
    ['users_inactive', 'active = false'],
    ['users_superadmin', "role = 'superadmin'"],
    ['users_power_user', "role = 'power-user'"],
    ['users_system_admin', "system_permissions <> '[]'"],
    ['users_lockable', 'locked_until IS NOT NULL'],
  ];
  for (const [name, where] of partial) {
    await sql`CREATE INDEX ${sql.id(name)} ON users (created_at, id) WHERE ${sql.raw(where)}`.execute(db);
  }
}

async function postgres(db: Kysely<unknown>): Promise<void> {
  // pg_trgm is a trusted extension (PostgreSQL 13+): the database owner may create it.
  await sql`CREATE EXTENSION IF NOT EXISTS pg_trgm`.execute(db);
  await sql`CREATE INDEX users_search_trgm ON users USING gin (search_text gin_trgm_ops)`.execute(db);
  await sql`CREATE INDEX users_sort_last_name ON users ((lower(last_name) COLLATE "C"), id)`.execute(db);
  await sql`CREATE INDEX users_sort_email ON users ((coalesce(lower(primary_email), '') COLLATE "C"), id)`.execute(
    db,
  );
  await sql`CREATE INDEX users_sort_username ON users ((coalesce(username_lower, ${sql.lit(noUsernameKey)}) COLLATE "C"), id)`.execute(
    db,
  );
  // The planner's view of LIKE '%term%' comes from these samples; more of them make its
  // estimate for common terms (a surname, a domain) good enough to walk an index in order.
  await sql`ALTER TABLE users ALTER COLUMN search_text SET STATISTICS 1000`.execute(db);
}

async function sqlite(db: Kysely<unknown>): Promise<void> {
  // The newest-first walk reads search_text from this index alone: one index page holds dozens
  // of rows, where a lookup per row in the table costs ~15x more (measured at 1M users).
  await sql`CREATE INDEX users_created_search ON users (created_at, id, search_text)`.execute(db);
  await sql`CREATE INDEX users_sort_last_name ON users (lower(last_name), id)`.execute(db);
  await sql`CREATE INDEX users_sort_email ON users (coalesce(lower(primary_email), ''), id)`.execute(db);
  await sql`CREATE INDEX users_sort_username ON users (coalesce(username_lower, ${sql.lit(noUsernameKey)}), id)`.execute(
    db,
  );

  // The FTS index needs an integer key per user that never changes. The implicit rowid of
  // `users` (its primary key is text) is not one: VACUUM may renumber it and a dump/restore
  // does, which would silently point the index at other users. So users get their own stable
  // number, assigned by a trigger, and the FTS table (external content: it stores only the
  // index, not a second copy of the text) is keyed by it.
  await sql`ALTER TABLE users ADD COLUMN search_rowid INTEGER`.execute(db);
  await sql`UPDATE users SET search_rowid = rowid`.execute(db);
  await sql`CREATE UNIQUE INDEX users_search_rowid ON users (search_rowid)`.execute(db);
  await sql`CREATE VIRTUAL TABLE users_fts USING fts5(
    search_text, content = 'users', content_rowid = 'search_rowid', tokenize = 'trigram'
  )`.execute(db);
  await sql`INSERT INTO users_fts (users_fts) VALUES ('rebuild')`.execute(db);

  // Kept in step by triggers, so every writer of users (other modules, the seeder, a manual
  // fix in the sqlite3 shell) updates the index in the same transaction without knowing of it.
  await sql`CREATE TRIGGER users_search_insert AFTER INSERT ON users BEGIN
    UPDATE users SET search_rowid = (SELECT coalesce(max(search_rowid), 0) + 1 FROM users)
      WHERE rowid = new.rowid AND new.search_rowid IS NULL;
    INSERT INTO users_fts (rowid, search_text)
      SELECT search_rowid, search_text FROM users WHERE rowid = new.rowid;
  END`.execute(db);
  // An external-content FTS table forgets a row only when told its old text exactly.
  await sql`CREATE TRIGGER users_search_delete AFTER DELETE ON users BEGIN
    INSERT INTO users_fts (users_fts, rowid, search_text) VALUES ('delete', old.search_rowid, old.search_text);
  END`.execute(db);
  await sql`CREATE TRIGGER users_search_update AFTER UPDATE OF search_text ON users BEGIN
    INSERT INTO users_fts (users_fts, rowid, search_text) VALUES ('delete', old.search_rowid, old.search_text);
    INSERT INTO users_fts (rowid, search_text) VALUES (new.search_rowid, new.search_text);
  END`.execute(db);
}

import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../database.ts';

// Frozen in time. Usernames compare by a PRECIS key (issue 7 #19, src/users/username.ts):
// NFKC, lower case, NFKC again, so that "ＳＡｄｍｉｎ", "ﬀoo" and "FFOO" are the same names as
// "sadmin" and "ffoo". Neither engine can compute it in SQL alike (SQLite has no NFKC), so the
// key of every existing username is computed here, in JavaScript, with a copy of the function
// as it was when this migration was written (a later change to the rule must not change what
// this migration did).
//
// Existing rows that collide under the new key (e.g. "ffoo" and "ﬀoo", or "Straße" typed in
// fullwidth) cannot both keep their name: the oldest account (by creation, then ID) keeps it,
// the others lose their username (they still sign in with their e-mail address and can pick a
// new name in My Profile). Each such change is reported as a process warning naming the user
// ID and the removed name, so the operator can tell the people concerned; the migration does
// not fail, so that an upgrade cannot be blocked by names nobody can rename otherwise
// (administrators cannot change usernames, R-ADM-02).

const keyOf = (username: string) => username.normalize('NFKC').toLowerCase().normalize('NFKC');
const page = 5000;

interface Row {
  id: string;
  username: string;
  created_at: number | string;
}

export async function up(db: Kysely<unknown>, _dialect: Dialect): Promise<void> {
  await db.schema.alterTable('users').addColumn('username_key', 'text').execute();

  const owners = new Map<string, string>();
  let after: { created_at: number | string; id: string } | null = null;
  for (;;) {
    const rows: Row[] = (
      await sql<Row>`SELECT id, username, created_at FROM users
        WHERE username IS NOT NULL
        ${after ? sql`AND (created_at > ${after.created_at} OR (created_at = ${after.created_at} AND id > ${after.id}))` : sql``}
        ORDER BY created_at, id LIMIT ${page}`.execute(db)
    ).rows;
    for (const row of rows) {
      const key = keyOf(row.username);
      const owner = owners.get(key);
      if (owner === undefined) {
        owners.set(key, row.id);
        await sql`UPDATE users SET username_key = ${key} WHERE id = ${row.id}`.execute(db);
      } else {
        await sql`UPDATE users SET username = NULL, username_lower = NULL WHERE id = ${row.id}`.execute(db);
        process.emitWarning(
          `user ${row.id} lost the username ${JSON.stringify(row.username)}: it looks the same as ` +
            `the username of the older user ${owner} (PRECIS key ${JSON.stringify(key)})`,
          { code: 'BEHALF_USERNAME_COLLISION' },
        );
      }
    }
    if (rows.length < page) break;
    const last = rows[rows.length - 1]!;
    after = { created_at: last.created_at, id: last.id };
  }

  await sql`CREATE UNIQUE INDEX users_username_key ON users (username_key)`.execute(db);
}

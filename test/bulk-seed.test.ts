import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { freshDatabase, dialect } from './harness.ts';
import { migrateToLatest, openDatabase, type Database } from '../src/db/database.ts';
import { systemClock } from '../src/shared/clock.ts';
import { SettingsService } from '../src/settings/settings.service.ts';
import { UserSearchService } from '../src/users/user-search.service.ts';
import { searchTextOf } from '../src/users/user.ts';
import { bulkSeedUsers } from '../bench/bulk-seed.ts';
import { seedUsers } from '../bench/seed-users.ts';

// Issue 13 (search at 10,000,000 users): the benchmark's bulk load drops indexes, foreign keys
// and (SQLite) the search triggers while it loads, then puts them back. What it leaves must be
// what the users service and the migrations would have left: the same schema objects, rows in
// the service's shape, and a search index that finds bulk-loaded and later users alike.

/** The indexes, triggers and constraints on the two tables, with their definitions. */
async function schemaOf(database: Database): Promise<string[]> {
  const q =
    dialect === 'sqlite'
      ? sql<{ d: string }>`SELECT type || ' ' || name || ': ' || coalesce(sql, '') AS d FROM sqlite_master
          WHERE tbl_name IN ('users', 'user_emails', 'users_fts') ORDER BY type, name`
      : sql<{ d: string }>`SELECT indexname || ': ' || indexdef AS d FROM pg_indexes
          WHERE tablename IN ('users', 'user_emails')
          UNION ALL SELECT conname || ': ' || pg_get_constraintdef(oid) FROM pg_constraint
          WHERE conrelid IN ('users'::regclass, 'user_emails'::regclass) ORDER BY 1`;
  return (await q.execute(database.db)).rows.map((r) => r.d);
}

describe('issue 13: the bulk seed of the search benchmark', () => {
  let fresh: { url: string; drop: () => Promise<void> };
  let database: Database;
  let schemaBefore: string[];
  const seeded = 300;

  before(async () => {
    fresh = await freshDatabase();
    database = await openDatabase(fresh.url);
    await migrateToLatest(database);
    schemaBefore = await schemaOf(database);
    await database.close();
    await bulkSeedUsers(fresh.url, { users: seeded });
    database = await openDatabase(fresh.url);
  });
  after(async () => {
    await database.close();
    await fresh.drop();
  });

  it('issue 13: leaves every index, trigger and constraint as the migrations made it', async () => {
    assert.ok(schemaBefore.length > 10, schemaBefore.join('\n'));
    assert.deepEqual(await schemaOf(database), schemaBefore);
  });

  it("issue 13: writes the users service's shape: search_text from searchTextOf, one primary address", async () => {
    const users = await database.db.selectFrom('users').selectAll().orderBy('created_at').execute();
    assert.equal(users.length, seeded);
    const emails = await database.db.selectFrom('user_emails').selectAll().execute();
    assert.equal(emails.length, seeded);
    for (const [i, u] of users.entries()) {
      assert.equal(u.primary_email, `user${i}@peer.test`);
      const expected = searchTextOf(
        { id: u.id, firstName: u.first_name, lastName: u.last_name, username: null },
        [u.primary_email],
      );
      assert.equal(u.search_text, expected);
      const own = emails.filter((e) => e.user_id === u.id);
      assert.equal(own.length, 1);
      assert.equal(Boolean(own[0]!.is_primary), true);
      assert.equal(own[0]!.address_lower, u.primary_email);
    }
  });

  it('issue 13: the search index finds bulk-loaded users and users written afterwards', async () => {
    // One more through the ordinary path: the triggers (SQLite) must be back to index it.
    await seedUsers(database, { users: 1, from: seeded });
    const search = new UserSearchService({
      database,
      clock: systemClock,
      settings: new SettingsService(database, systemClock),
    });
    for (const i of [7, 123, seeded]) {
      const page = await search.list({ q: `user${i}@peer.test`, limit: 50, sort: '-createdAt' });
      assert.deepEqual(
        page.items.map((u) => u.primaryEmail),
        [`user${i}@peer.test`],
      );
    }
    // A term only the trigram index answers quickly; its answer must be exact all the same.
    const page = await search.list({ q: 'example42', limit: 50, sort: '-createdAt' });
    const expected = (await database.db.selectFrom('users').select('search_text').execute()).filter((r) =>
      r.search_text.includes('example42'),
    ).length;
    assert.equal(page.items.length, expected);
    assert.ok(expected > 0);
  });
});

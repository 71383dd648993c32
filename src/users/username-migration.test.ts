// Issue 7 #19: migration 0014 computes the PRECIS key of every existing username; rows that
// collide under it keep the oldest owner's name and report the others (on both dialects).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Migrator, sql, type Migration } from 'kysely';
import { freshDatabase } from '../../test/harness.ts';
import { migrateToLatest, openDatabase } from '../db/database.ts';
import { migrations } from '../db/migrations/index.ts';

describe('issue 7 #19: usernames of existing rows get their key', () => {
  it('issue 7 #19: migration 0014 keys existing usernames; look-alike collisions keep the oldest and are reported', async () => {
    const { url, drop } = await freshDatabase();
    const database = await openDatabase(url);
    const warnings: Error[] = [];
    const onWarning = (w: Error) => warnings.push(w);
    process.on('warning', onWarning);
    try {
      // The schema as it was before 0014, with usernames the old rules allowed.
      const before: Record<string, Migration> = {};
      for (const [name, m] of Object.entries(migrations)) {
        if (name < '0014') before[name] = { up: (db) => m.up(db, database.dialect) };
      }
      const migrator = new Migrator({ db: database.db, provider: { getMigrations: async () => before } });
      assert.equal((await migrator.migrateToLatest()).error, undefined);
      const users: Array<[string, string | null, number]> = [
        ['u1', 'ffoo', 1],
        ['u2', 'ﬀoo', 2], // ligature: the same name as ffoo
        ['u3', 'ＦＦＯＯ', 3], // fullwidth: again the same
        ['u4', 'Admin', 4],
        ['u5', null, 5],
        ['u6', 'Straße', 6],
      ];
      for (const [id, username, at] of users) {
        await sql`INSERT INTO users (id, username, username_lower, first_name, last_name, gender, language,
          primary_email, role, general_permissions, system_permissions, active, two_factor_method,
          failed_logins, search_text, created_at, updated_at, version)
          VALUES (${id}, ${username}, ${username?.toLowerCase() ?? null}, 'A', 'B', 'unspecified', 'en',
          ${`${id}@example.test`}, 'user', '[]', '[]', ${sql.lit(true)}, 'none', 0, ${id}, ${at}, ${at}, 1)`.execute(
          database.db,
        );
      }

      await migrateToLatest(database);
      await new Promise((resolve) => setImmediate(resolve)); // warnings are emitted on the next tick

      const rows = await database.db
        .selectFrom('users')
        .select(['id', 'username', 'username_key'])
        .orderBy('id')
        .execute();
      assert.deepEqual(
        rows.map((r) => ({ ...r })),
        [
          { id: 'u1', username: 'ffoo', username_key: 'ffoo' },
          { id: 'u2', username: null, username_key: null },
          { id: 'u3', username: null, username_key: null },
          { id: 'u4', username: 'Admin', username_key: 'admin' },
          { id: 'u5', username: null, username_key: null },
          { id: 'u6', username: 'Straße', username_key: 'straße' },
        ],
      );
      const reported = warnings.filter(
        (w) => (w as Error & { code?: string }).code === 'BEHALF_USERNAME_COLLISION',
      );
      assert.equal(reported.length, 2);
      assert.match(reported[0]!.message, /user u2 lost the username "ﬀoo".*older user u1/);

      // The unique index now holds the key: a look-alike cannot be written past it either.
      await assert.rejects(
        database.db.updateTable('users').set({ username_key: 'admin' }).where('id', '=', 'u6').execute(),
      );
    } finally {
      process.off('warning', onWarning);
      await database.close();
      await drop();
    }
  });
});

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { sql, type Kysely } from 'kysely';
import { startServer, type Client, type TestServer } from '../../test/harness.ts';
import { seedUsers } from '../../bench/seed-users.ts';
import { up as foldMigration } from '../db/migrations/0021_search_fold.ts';
import { probeCount } from './user-search.store.ts';

// R-ADM-06, issue 10 #15: "Schroeder" and "schroder" find the 140 users named "Schröder",
// through both plans (walk and trigram lookup) on both databases; the index follows renames,
// and migration 0021 folds the search text of users created before it.

const list = (c: Client, q: string, limit = 200) =>
  c.get(`/api/v1/admin/users?${new URLSearchParams({ q, limit: String(limit) }).toString()}`);

describe('R-ADM-06: search folds accents and umlauts (issue 10 #15)', () => {
  let s: TestServer;
  const schroeders: string[] = [];
  const named: Record<string, string> = {};

  before(async () => {
    s = await startServer();
    // Enough other users that a rare name is looked up through the trigram index, not walked.
    await seedUsers(s.services.database, { users: 1100 });
    for (let i = 0; i < 140; i++) {
      const u = await s.createUser({ firstName: `Person${i}`, lastName: 'Schröder' });
      schroeders.push(u.id);
    }
    for (const [first, last] of [
      ['Hans', 'Schroeder'],
      ['Jörg', 'Müller'],
      ['Jan', 'Mueller'],
      ['Jean', 'Muller'],
      ['Gisela', 'Großmann'],
      ['José', 'Núñez'],
      ['Søren', 'Ørsted'],
    ] as const) {
      named[last] = (await s.createUser({ firstName: first, lastName: last })).id;
    }
  });
  after(() => s.close());

  const found = async (q: string) => {
    const res = await list(s.admin, q);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return new Set<string>(res.body.items.map((u: any) => u.id));
  };

  it('R-ADM-06: "Schroeder", "schroder" and "Schröder" all find the 140 Schröders', async () => {
    for (const q of ['Schroeder', 'schroder', 'Schröder', 'SCHRÖDER', 'schro\u0308der']) {
      const ids = await found(q);
      for (const id of schroeders) assert.ok(ids.has(id), `${q} finds every Schröder`);
      const res = await list(s.admin, q, 10);
      assert.ok(res.body.total.count >= 140, `${q}: total ${JSON.stringify(res.body.total)}`);
    }
    assert.ok((await found('schroeder')).has(named.Schroeder!), 'and the Schroeder');
    assert.ok(!(await found('schroder')).has(named.Schroeder!), '"schroder" is not "Schroeder"');
  });

  it('R-ADM-06: the folding table through the API (trigram lookup of a rare name)', async () => {
    const table: Array<[q: string, finds: string[], not: string[]]> = [
      ['müller', ['Müller', 'Mueller'], ['Muller']],
      ['mueller', ['Müller', 'Mueller'], ['Muller']],
      ['muller', ['Müller', 'Muller'], ['Mueller']],
      ['jorg m', ['Müller'], []],
      ['grossmann', ['Großmann'], []],
      ['großmann', ['Großmann'], []],
      ['jose nunez', ['Núñez'], []],
      ['soren orsted', ['Ørsted'], []],
      ['oersted', ['Ørsted'], []],
      ['schrader', [], ['Schroeder']],
    ];
    for (const [q, yes, no] of table) {
      const ids = await found(q);
      for (const last of yes) assert.ok(ids.has(named[last]!), `${q} finds ${last}`);
      for (const last of no) assert.ok(!ids.has(named[last]!), `${q} does not find ${last}`);
    }
    // The same through the index itself, as the lookup plan reads it.
    assert.equal(
      await probeCount(s.services.database, { term: 'groessmann', predicates: [], cap: 10 }, []),
      0,
    );
    assert.equal(
      await probeCount(s.services.database, { term: 'grossmann', predicates: [], cap: 10 }, ['gro', 'ssm']),
      1,
    );
  });

  it('R-ADM-06: a rename is found by its folded spellings at once', async () => {
    const id = named.Muller!;
    const res = await s.admin.patch(`/api/v1/admin/users/${id}`, { firstName: 'Zoë', lastName: 'Käßbohrer' });
    assert.equal(res.status, 200);
    for (const q of ['kassbohrer', 'kaessbohrer', 'Käßbohrer', 'zoe kass']) {
      assert.ok((await found(q)).has(id), q);
    }
    assert.ok(!(await found('jean muller')).has(id), 'the old name is gone');
  });

  it('R-ADM-06: migration 0021 folds the text of users created before it', async () => {
    const db = s.services.database.db as unknown as Kysely<unknown>;
    const id = named.Núñez!;
    // The text as the search stored it before 0021: the fields lower-cased, nothing folded.
    await sql`UPDATE users SET search_text = ${'josé núñez ' + id} WHERE id = ${id}`.execute(db);
    assert.ok(!(await found('nunez')).has(id), 'unfolded text is not found by the plain spelling');
    await foldMigration(db, s.services.database.dialect);
    assert.ok((await found('jose nunez')).has(id));
    assert.ok((await found('núñez')).has(id));
    assert.equal(
      await probeCount(s.services.database, { term: 'nunez', predicates: [], cap: 10 }, ['nun', 'une']),
      1,
      'the trigram index holds the folded text',
    );
  });
});

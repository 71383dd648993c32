import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { dialect, startServer, strongPassword, type Client, type TestServer } from '../../test/harness.ts';
import { seedUsers } from '../../bench/seed-users.ts';
import { probeCount } from './user-search.store.ts';
import { UserSearchService } from './user-search.service.ts';

// R-ADM-06: the admin user list over HTTP: search, filters, every sort in both directions,
// cursor pages, the capped total, and the trigram index in step with the users table.

type Params = Record<string, string | number | undefined>;
const list = (c: Client, params: Params) => {
  const query = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined) query.set(k, String(v));
  return c.get(`/api/v1/admin/users?${query.toString()}`);
};

/** Every page of a listing, asserting that no user comes twice. */
async function readAll(c: Client, params: Params): Promise<any[]> {
  const items: any[] = [];
  let cursor: string | null = null;
  do {
    const res = await list(c, cursor ? { ...params, cursor } : params);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    items.push(...res.body.items);
    cursor = res.body.nextCursor;
  } while (cursor);
  assert.equal(new Set(items.map((u) => u.id)).size, items.length, 'no user twice');
  return items;
}

const surnames = ['Adler', 'Bauer', 'Bauer', 'Cramer', 'Dorn', 'Engel', 'Fuchs', 'Graf', 'Haas', 'Igel'];
const byKey = (key: (u: any) => string | number, desc: boolean) => (a: any, b: any) => {
  const [ka, kb] = [key(a), key(b)];
  const c = ka < kb ? -1 : ka > kb ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
  return desc ? -c : c;
};
const orders: Record<string, (a: any, b: any) => number> = {
  '-createdAt': byKey((u) => u.createdAt, true),
  createdAt: byKey((u) => u.createdAt, false),
  lastName: byKey((u) => u.lastName.toLowerCase(), false),
  '-lastName': byKey((u) => u.lastName.toLowerCase(), true),
  email: byKey((u) => (u.primaryEmail ?? '').toLowerCase(), false),
  '-email': byKey((u) => (u.primaryEmail ?? '').toLowerCase(), true),
  // Users without a username come last.
  username: byKey((u) => u.username?.toLowerCase() ?? '\u{10FFFF}', false),
};

/** What the search should find, computed from the list's own fields. */
const matches = (u: any, q: string) =>
  [u.firstName, u.lastName, u.username ?? '', u.id, u.primaryEmail ?? '']
    .join(' ')
    .toLowerCase()
    .includes(q.toLowerCase());

describe('R-ADM-06: admin user list', () => {
  let s: TestServer;
  let everyone: any[];
  const made: any[] = [];
  const search = async (q: string) => readAll(s.admin, { q, limit: 200 });
  const ids = (users: any[]) => users.map((u) => u.id).sort();

  before(async () => {
    s = await startServer();
    for (let i = 0; i < 30; i++) {
      // Three users share a millisecond, so the id decides their order.
      if (i % 10 !== 1 && i % 10 !== 2) s.clock.advance(1000);
      made.push(
        await s.createUser({
          firstName: ['Anna', 'Bert', 'Clara', 'Dirk', 'Eva'][i % 5]!,
          lastName: `${surnames[i % 10]!}${i >= 20 ? '' : 'mann'}`,
          email: `Person${i}@${i % 3 === 0 ? 'alpha' : 'beta'}.example`,
          ...(i % 2 === 0 ? { username: `member_${String(30 - i).padStart(2, '0')}` } : {}),
        }),
      );
    }
    s.clock.advance(1000);
    made.push(
      await s.createUser({
        firstName: 'Bartholomäus',
        lastName: 'Wunderlich',
        email: 'o.wunder@mail.example',
        username: 'otti',
      }),
    );
    everyone = await readAll(s.admin, { limit: 200 });
  });
  after(() => s.close());

  it('R-ADM-06: lists everyone newest first by default, 50 to a page, with the exact total', async () => {
    const res = await list(s.admin, {});
    assert.equal(res.status, 200);
    assert.equal(res.body.items.length, everyone.length);
    assert.equal(res.body.nextCursor, null);
    assert.deepEqual(res.body.total, { count: everyone.length, capped: false });
    assert.deepEqual(
      res.body.items.map((u: any) => u.id),
      [...everyone].sort(orders['-createdAt']).map((u) => u.id),
    );
    const otti = res.body.items[0];
    assert.deepEqual(Object.keys(otti).sort(), [
      'active',
      'createdAt',
      'displayName',
      'domainId', // issue 10 #2: the list's domain column
      'firstName',
      'id',
      'lastName',
      'primaryEmail',
      'role',
      'tags',
      'username',
    ]);
    assert.equal(otti.displayName, 'Bartholomäus Wunderlich');
    assert.deepEqual(otti.tags, ['active', 'cannot-log-in']);
  });

  for (const sort of Object.keys(orders)) {
    it(`R-ADM-06: sort ${sort} pages through every user exactly once, in order`, async () => {
      const pages = await readAll(s.admin, { sort, limit: 7 });
      assert.deepEqual(
        pages.map((u) => u.id),
        [...everyone].sort(orders[sort]).map((u) => u.id),
      );
    });
  }

  it('R-ADM-06: searches first name, last name, e-mail, username and id, as substrings', async () => {
    const otti = made.at(-1);
    for (const q of ['tholo', 'wunderl', 'o.wunder@mail', 'otti', otti.id, otti.id.slice(-12)]) {
      assert.ok(ids(await search(q)).includes(otti.id), `"${q}" finds Bartholomäus`);
    }
    assert.deepEqual(ids(await search('mail.example')), [otti.id]);
    for (const q of ['bert', 'bauermann', 'beta.example', 'member_0', 'a bau', 'person1']) {
      const expected = everyone.filter((u) => matches(u, q));
      assert.ok(expected.length > 0, q);
      assert.deepEqual(ids(await search(q)), ids(expected), q);
    }
  });

  it('R-ADM-06: search ignores case, also beyond ASCII', async () => {
    const otti = made.at(-1);
    assert.deepEqual(ids(await search('BARTHOLOMÄUS')), [otti.id]);
    assert.deepEqual(ids(await search('  WunderLICH ')), [otti.id]);
    assert.deepEqual(
      ids(await search('PERSON1@')),
      ids(made.filter((u) => u.primaryEmail === 'Person1@beta.example')),
    );
  });

  it('R-ADM-06: two-letter terms match as substrings too; no match is an empty first page', async () => {
    for (const q of ['va', 'A', 'e_'])
      assert.deepEqual(ids(await search(q)), ids(everyone.filter((u) => matches(u, q))));
    const none = await list(s.admin, { q: 'nobody-has-this' });
    assert.deepEqual(
      [none.body.items, none.body.nextCursor, none.body.total],
      [[], null, { count: 0, capped: false }],
    );
    const noneShort = await list(s.admin, { q: 'zq' });
    assert.deepEqual([noneShort.body.items, noneShort.body.nextCursor], [[], null]);
  });

  it('R-ADM-06: filters by status, role, tag and domain', async () => {
    const [a, b, c, d] = made.slice(3, 7);
    for (const u of [a, b])
      assert.equal((await s.admin.patch(`/api/v1/admin/users/${u.id}`, { active: false })).status, 200);
    const grant = await s.admin.put(`/api/v1/admin/users/${c.id}/permissions`, {
      general: [],
      system: ['users.read'],
    });
    assert.equal(grant.status, 200);
    const db = s.services.database.db;
    await db
      .updateTable('users')
      .set({ locked_until: s.clock.now() + 60_000 })
      .where('id', '=', d.id)
      .execute();
    const withPassword = await s.createUser({ password: strongPassword });
    const domain = await s.admin.post('/api/v1/admin/domains', { name: 'Filiale Nord' });
    assert.equal(domain.status, 201);
    await s.admin.patch(`/api/v1/admin/users/${b.id}`, { domainId: domain.body.id });
    const all = await readAll(s.admin, { limit: 200 });
    const filtered = async (params: Record<string, string>) =>
      ids(await readAll(s.admin, { ...params, limit: 5 }));

    assert.deepEqual(await filtered({ status: 'inactive' }), ids([a, b]));
    assert.deepEqual(await filtered({ status: 'active' }), ids(all.filter((u) => u.active)));
    assert.deepEqual(await filtered({ status: 'locked' }), [d.id]);
    assert.deepEqual(await filtered({ role: 'system-administrator' }), [c.id]);
    const admins = all.filter((u) => u.role === 'superadmin');
    assert.deepEqual(await filtered({ role: 'superadmin' }), ids(admins));
    assert.deepEqual(
      await filtered({ role: 'user' }),
      ids(all.filter((u) => !admins.includes(u) && u.id !== c.id)),
    );
    assert.deepEqual(await filtered({ role: 'power-user' }), []);
    assert.deepEqual(await filtered({ tag: 'locked', sort: 'lastName' }), [d.id]);
    assert.deepEqual(await filtered({ tag: 'inactive', q: made[3].lastName.toUpperCase() }), [a.id]);
    const cannot = await filtered({ tag: 'cannot-log-in' });
    assert.ok(!cannot.includes(withPassword.id) && cannot.includes(a.id));
    assert.deepEqual(await filtered({ domain: domain.body.id }), [b.id]);
    assert.deepEqual(await filtered({ domain: domain.body.id, sort: 'email' }), [b.id]);
    const inactive = (await list(s.admin, { status: 'inactive' })).body;
    assert.deepEqual(inactive.total, { count: 2, capped: false });
    assert.ok(inactive.items.every((u: any) => u.tags.includes('inactive') && !u.active));
  });

  it('R-ADM-06: a cursor of another sort, search or filter, or a changed one, gets 400 invalid_cursor', async () => {
    const first = await list(s.admin, { sort: 'lastName', limit: 3 });
    const cursor: string = first.body.nextCursor;
    assert.equal((await list(s.admin, { sort: 'lastName', limit: 3, cursor })).status, 200);
    const wrong: Params[] = [
      { sort: '-lastName', cursor },
      { sort: 'lastName', q: 'anna', cursor },
      { sort: 'lastName', status: 'active', cursor },
      { sort: 'lastName', cursor: cursor.slice(0, -4) },
      { sort: 'lastName', cursor: 'not-a-cursor' },
    ];
    // A well-formed position of another user, keeping the original check: an edit by hand.
    const outer = JSON.parse(Buffer.from(cursor, 'base64url').toString());
    const body = JSON.parse(outer.b);
    const edited = {
      ...outer,
      b: JSON.stringify({ ...body, i: body.i === made[0].id ? made[1].id : made[0].id }),
    };
    wrong.push({ sort: 'lastName', cursor: Buffer.from(JSON.stringify(edited)).toString('base64url') });
    for (const params of wrong) {
      const res = await list(s.admin, params);
      assert.equal(res.status, 400, JSON.stringify(params));
      assert.equal(res.body.code, 'invalid_cursor');
    }
  });

  it('R-ADM-06: bad parameters get 422; listing needs users.read', async () => {
    const bad: Params[] = [
      { limit: 0 },
      { limit: 201 },
      { sort: 'name' },
      { status: 'gone' },
      { role: 'x' },
      { tag: 'x' },
      { domain: 'x' },
      { page: 2 },
      { q: 'x'.repeat(201) },
    ];
    for (const params of bad) {
      const res = await list(s.admin, params);
      assert.equal(res.status, 422, JSON.stringify(params));
      assert.equal(res.body.code, 'validation_failed');
    }
    const { client: creator } = await s.signedInWith(['users.create']);
    assert.equal((await list(creator, {})).body.code, 'missing_permission');
    const { client: reader } = await s.signedInWith(['users.read']);
    assert.equal((await list(reader, { limit: 1 })).status, 200);
  });
});

describe('R-ADM-06: user list at scale', () => {
  let s: TestServer;
  const seeded = 1100;

  before(async () => {
    s = await startServer();
    await seedUsers(s.services.database, { users: seeded });
  });
  after(() => s.close());

  it('R-ADM-06: the total is capped at 1000 ("1000+"), a narrow search counts exactly', async () => {
    const all = await list(s.admin, {});
    assert.deepEqual([all.body.items.length, all.body.total], [50, { count: 1000, capped: true }]);
    assert.equal(all.body.items[0].primaryEmail, 'sadmin@example.test', 'newest first');
    const domain = await list(s.admin, { q: 'PEER.test', limit: 10 });
    assert.deepEqual(domain.body.total, { count: 1000, capped: true });
    const page2 = await list(s.admin, { q: 'PEER.test', limit: 10, cursor: domain.body.nextCursor });
    assert.deepEqual(page2.body.total, { count: 1000, capped: true }, 'later pages keep the total');
    const exact = await list(s.admin, { q: 'user1050@peer.test' });
    assert.deepEqual(
      exact.body.items.map((u: any) => u.displayName),
      ['User 1050 Example73'],
    );
    assert.deepEqual(exact.body.total, { count: 1, capped: false });
    // Example42 is i % 977 = 42, and Example420..429 contain it too.
    const surname = await readAll(s.admin, { q: 'example42', limit: 5 });
    const expected = Array.from({ length: seeded }, (_, i) => i).filter((i) =>
      `example${i % 977}`.includes('example42'),
    );
    assert.deepEqual(
      surname.map((u) => u.primaryEmail).sort(),
      expected.map((i) => `user${i}@peer.test`).sort(),
    );
    const two = await list(s.admin, { q: 'us', limit: 10 });
    assert.deepEqual([two.body.items.length, two.body.total], [10, { count: 1000, capped: true }]);
  });

  it("R-ADM-06: the trigram index follows a user's new name and address, and forgets a deleted user", async () => {
    const found = (await list(s.admin, { q: 'user77@peer.test' })).body.items;
    assert.equal(found.length, 1);
    const id = found[0].id;
    const viaIndex = (term: string, probe: string[]) =>
      probeCount(s.services.database, { term, predicates: [], cap: 10 }, probe);
    const renamed = await s.admin.patch(`/api/v1/admin/users/${id}`, {
      firstName: 'Quirinus',
      lastName: 'Zwettler',
    });
    assert.equal(renamed.status, 200);
    assert.deepEqual(
      (await list(s.admin, { q: 'quirinus zwett' })).body.items.map((u: any) => u.id),
      [id],
    );
    assert.equal(
      (await list(s.admin, { q: 'user 77 example77' })).body.items.length,
      0,
      'the old name is gone',
    );
    assert.equal(await viaIndex('quirinus', ['qui', 'uir', 'rin']), 1);
    assert.equal(await viaIndex('user 77 example77', ['e77', 'r77']), 0);
    const added = await s.admin.post(`/api/v1/admin/users/${id}/emails`, {
      address: 'Q.Zwettler@Neu.example',
    });
    assert.equal(added.status, 201);
    assert.deepEqual(
      (await list(s.admin, { q: 'q.zwettler@neu' })).body.items.map((u: any) => u.id),
      [id],
    );
    assert.equal(await viaIndex('q.zwettler@neu', ['zwe', 'wet', 'neu']), 1);
    assert.equal((await s.admin.delete(`/api/v1/admin/users/${id}?confirm=${id}`)).status, 204);
    assert.equal((await list(s.admin, { q: 'quirinus' })).body.items.length, 0);
    assert.equal(await viaIndex('quirinus', ['qui', 'uir', 'rin']), 0);
    if (dialect === 'sqlite') {
      // FTS5 compares its index with the users table and throws on any difference.
      await sql`INSERT INTO users_fts (users_fts, rank) VALUES ('integrity-check', 1)`.execute(
        s.services.database.db,
      );
    }
  });

  it('R-ADM-06: a term too short for trigrams reads a bounded stretch per page, and the pages go on from there', async () => {
    // The bound shrunk from 50,000 rows to 100, so that 1,100 users take several stretches.
    const bounded = new UserSearchService({
      database: s.services.database,
      clock: s.clock,
      settings: s.services.settings,
      budget: () => ({
        walkRows: 100,
        blindWalkRows: 100,
        walkCost: 1,
        probeCost: 1,
        countRows: 100,
        probeRows: 100,
      }),
    });
    const rows = await s.services.database.db.selectFrom('users').select(['id', 'search_text']).execute();
    const expected = rows.filter((r) => r.search_text.includes('99')).map((r) => r.id);
    const seen: string[] = [];
    const sizes: number[] = [];
    let cursor: string | undefined;
    let first = true;
    do {
      const page = await bounded.list({
        q: '99',
        limit: 50,
        sort: '-createdAt',
        ...(cursor ? { cursor } : {}),
      });
      if (first)
        assert.equal(page.total.capped, true, 'a lower bound: the first stretch did not see everyone');
      first = false;
      seen.push(...page.items.map((u) => u.id));
      sizes.push(page.items.length);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    assert.deepEqual([...seen].sort(), [...expected].sort());
    assert.equal(new Set(seen).size, seen.length, 'no user twice');
    assert.ok(
      sizes.length > 10 && sizes.some((n) => n < 50),
      `short pages that continue (${sizes.join(', ')})`,
    );
  });
});

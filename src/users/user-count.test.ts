import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, type TestServer } from '../../test/harness.ts';
import { seedUsers } from '../../bench/seed-users.ts';
import { UserSearchService } from './user-search.service.ts';

// R-ADM-06, issue 10 #17: the list's total stops at 1000 ("more than 1,000"); an administrator
// asks for the exact count on demand (GET /api/v1/admin/users/count), bounded at 100,000.

describe('R-ADM-06: the exact count on demand', () => {
  let s: TestServer;
  const seeded = 1100;
  const count = (params: Record<string, string>) =>
    s.admin.get(`/api/v1/admin/users/count?${new URLSearchParams(params).toString()}`);
  /** What the database holds, to compare with. */
  const matching = async (part: string) =>
    (await s.services.database.db.selectFrom('users').select('search_text').execute()).filter((r) =>
      r.search_text.includes(part),
    ).length;

  before(async () => {
    s = await startServer();
    await seedUsers(s.services.database, { users: seeded });
  });
  after(() => s.close());

  it("R-ADM-06: beyond the list's cap of 1000 the count is exact: everyone, a search, a short term, a filter", async () => {
    const list = await s.admin.get('/api/v1/admin/users?limit=1');
    assert.deepEqual(list.body.total, { count: 1000, capped: true }, 'the list stops at 1000');
    const everyone = await count({});
    assert.equal(everyone.status, 200, JSON.stringify(everyone.body));
    assert.deepEqual(everyone.body, { count: seeded + 1, capped: false }, 'the seeded users and SAdmin');
    assert.deepEqual((await count({ q: 'PEER.test' })).body, { count: seeded, capped: false });
    assert.deepEqual((await count({ q: 'example42' })).body, {
      count: await matching('example42'),
      capped: false,
    });
    // Too short for trigrams: counted without the index, still exactly.
    assert.deepEqual((await count({ q: '99' })).body, { count: await matching('99'), capped: false });
    assert.deepEqual((await count({ role: 'superadmin' })).body, { count: 1, capped: false });
    assert.deepEqual((await count({ q: 'nobody-has-this' })).body, { count: 0, capped: false });
  });

  it('R-ADM-06: the exact count has a bound, and says when it reached it', async () => {
    const bounded = new UserSearchService({
      database: s.services.database,
      clock: s.clock,
      settings: s.services.settings,
      exactCap: 500,
    });
    assert.deepEqual(await bounded.exactCount({}), { count: 500, capped: true });
    assert.deepEqual(await bounded.exactCount({ q: 'user105' }), {
      count: await matching('user105'),
      capped: false,
    });
  });

  it("R-ADM-06, R-OPS-03: the count takes the list's filters and permission, nothing else", async () => {
    const bads: Record<string, string>[] = [
      { sort: 'lastName' },
      { limit: '5' },
      { status: 'gone' },
      { q: 'x'.repeat(201) },
    ];
    for (const bad of bads) {
      const res = await count(bad);
      assert.equal(res.status, 422, JSON.stringify(bad));
      assert.equal(res.body.errors[0].in, 'query');
    }
    const { client: creator } = await s.signedInWith(['users.create']);
    assert.equal((await creator.get('/api/v1/admin/users/count')).body.code, 'missing_permission');
    const { client: reader } = await s.signedInWith(['users.read']);
    assert.equal((await reader.get('/api/v1/admin/users/count?q=peer.test')).body.count, seeded);
  });
});

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, type TestServer } from '../../test/harness.ts';
import { searchTextOf } from '../users/user.ts';
import { foldTerm } from '../users/search-fold.ts';
import { seedRows } from './seed-data.ts';
import { seed } from './seed.ts';

// Issue 10 #16: `npm run seed` writes consistent, searchable people (R-ADM-06 by the folded
// spellings), power users with a reach (R-IMP-02), and leaves the audit trail intact.

describe('issue 10 #16: the seeding command', () => {
  let s: TestServer;
  const seeded = 600;

  before(async () => {
    s = await startServer();
    const first = await seed(s.services.database, { users: 400, now: s.clock.now(), seed: 5 });
    // A second run continues the numbering and reuses the domains and groups.
    const second = await seed(s.services.database, { users: 200, now: s.clock.now(), seed: 6 });
    assert.equal(first.users + second.users, seeded);
    assert.deepEqual([first.domainsCreated, first.groupsCreated], [3, 8]);
    assert.deepEqual([second.domainsCreated, second.groupsCreated], [0, 0]);
  });
  after(() => s.close());

  it('is reproducible: the same seed makes the same people', () => {
    const input = {
      users: 20,
      from: 0,
      createdFrom: 0,
      createdTo: 1e9,
      seed: 9,
      passwordHash: null,
      existingDomains: new Map(),
      existingGroups: new Map(),
    };
    const names = (rows: ReturnType<typeof seedRows>) =>
      rows.users.map((u) => `${u.first_name} ${u.last_name}`);
    assert.deepEqual(names(seedRows(input)), names(seedRows(input)));
  });

  it('R-ADM-06: every seeded user is consistent: primary address, folded search text, unique username', async () => {
    const db = s.services.database.db;
    const users = await db.selectFrom('users').selectAll().where('role', '<>', 'superadmin').execute();
    assert.equal(users.length, seeded);
    const emails = await db.selectFrom('user_emails').selectAll().where('is_primary', '=', true).execute();
    const primary = new Map(emails.map((e) => [e.user_id, e.address]));
    for (const u of users) {
      assert.equal(primary.get(u.id), u.primary_email, 'the primary address row matches');
      const expected = searchTextOf(
        { id: u.id, firstName: u.first_name, lastName: u.last_name, username: u.username },
        [u.primary_email!],
      );
      assert.equal(u.search_text, expected);
    }
    const keys = users.filter((u) => u.username_key !== null).map((u) => u.username_key);
    assert.equal(new Set(keys).size, keys.length);
    assert.ok(
      users.some((u) => /[äöüß]/i.test(u.last_name)),
      'names with umlauts',
    );
    assert.ok(users.some((u) => u.language === 'en') && users.some((u) => u.language === 'de'));
  });

  it('R-ADM-06: seeded people are found by the folded spellings of their names', async () => {
    const db = s.services.database.db;
    const umlaut = await db
      .selectFrom('users')
      .select(['id', 'first_name', 'last_name'])
      .where('last_name', 'in', ['Müller', 'Schröder', 'Köhler', 'Krüger', 'Schäfer'])
      .executeTakeFirstOrThrow();
    const plain = umlaut.last_name.replace(/ä/g, 'a').replace(/ö/g, 'o').replace(/ü/g, 'u');
    const withE = umlaut.last_name.replace(/ä/g, 'ae').replace(/ö/g, 'oe').replace(/ü/g, 'ue');
    for (const q of [umlaut.last_name, plain, withE, `${umlaut.first_name} ${withE}`]) {
      const ids: string[] = [];
      let cursor: string | null = null;
      do {
        const params = new URLSearchParams({ q, limit: '200', ...(cursor ? { cursor } : {}) });
        const res = await s.admin.get(`/api/v1/admin/users?${params.toString()}`);
        assert.equal(res.status, 200);
        ids.push(...res.body.items.map((u: any) => u.id));
        cursor = res.body.nextCursor;
      } while (cursor);
      assert.ok(
        ids.includes(umlaut.id),
        `${q} (${foldTerm(q)}) finds ${umlaut.first_name} ${umlaut.last_name}`,
      );
    }
  });

  it('R-IMP-02: power users, domains and groups hang together', async () => {
    const db = s.services.database.db;
    const power = await db
      .selectFrom('users')
      .select(['id', 'role'])
      .where('role', '=', 'power-user')
      .execute();
    assert.ok(power.length >= 2, `${power.length} power users`);
    const resources = await db.selectFrom('power_user_resources').selectAll().execute();
    const powerIds = new Set(power.map((p) => p.id));
    for (const r of resources) assert.ok(powerIds.has(r.power_user_id), 'only power users have a reach');
    const domains = new Set((await db.selectFrom('domains').select('id').execute()).map((d) => d.id));
    const groups = new Set((await db.selectFrom('groups').select('id').execute()).map((g) => g.id));
    const userIds = new Set((await db.selectFrom('users').select('id').execute()).map((u) => u.id));
    for (const r of resources) {
      const known = { domain: domains, group: groups, user: userIds }[r.kind];
      assert.ok(known.has(r.resource_id), `${r.kind} ${r.resource_id} exists`);
    }
    const members = await db.selectFrom('group_members').selectAll().execute();
    assert.ok(members.length > seeded / 2, 'most people are in a group');
    const inDomain = await db.selectFrom('users').select('id').where('domain_id', 'is not', null).execute();
    assert.ok(inDomain.length > 0);
    const reach = await s.admin.get(`/api/v1/admin/users/${resources[0]!.power_user_id}`);
    assert.equal(reach.status, 200);
  });

  it('leaves the audit trail intact', async () => {
    const report = await s.services.auditIntegrity.verify();
    assert.equal(report.ok, true, JSON.stringify(report.firstBroken));
  });
});

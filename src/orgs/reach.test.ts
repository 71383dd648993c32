// R-IMP-02: a power user's reach (assigned users + members of assigned groups + users of
// assigned domains), as the impersonation rule reads it (services.orgs, real database) and as
// the admin API applies it: a power user reads the users in reach and nothing else.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, type Client, type Reply, type TestServer } from '../../test/harness.ts';
import { concretePath, routesUnder, unknownId } from '../../test/routes.ts';
import {
  assign,
  createDomain,
  createGroup,
  makeRole,
  setDomainOf,
  signedInPowerUser,
  uniqueName,
} from '../../test/orgs.ts';

/** Admin routes that power users may reach past the guard (each tested on its own). */
const openToPowerUsers = new Set([
  // Guarded by the impersonation module itself, which decides by the rule (R-IMP-02).
  'POST /api/v1/admin/users/:id/impersonation',
  'GET /api/v1/admin/users/:id/impersonation/preview',
  'HEAD /api/v1/admin/users/:id/impersonation/preview',
  // Lists the power user's reach only (tested below).
  'GET /api/v1/admin/users',
  'HEAD /api/v1/admin/users',
  // The exact count of that list (issue 10 #17), through the same reach.
  'GET /api/v1/admin/users/count',
  'HEAD /api/v1/admin/users/count',
  // Issue 12 #3, #4: asking before a start, and deciding four-eyes requests for users the
  // approver could act as themselves; both decided by the impersonation rule.
  'POST /api/v1/admin/users/:id/impersonation/approvals',
  'GET /api/v1/admin/impersonation-approvals',
  'HEAD /api/v1/admin/impersonation-approvals',
  'POST /api/v1/admin/impersonation-approvals/:id/decision',
]);

describe('reach of power users', () => {
  let s: TestServer;
  before(async () => {
    s = await startServer();
  });
  after(() => s.close());
  const db = () => s.services.database.db;

  it('R-IMP-02: domains are in use once one exists; findDomain names it', async () => {
    assert.equal(await s.services.orgs.domainsInUse(db()), false);
    const domain = await createDomain(s, uniqueName('First'), 'first.example');
    assert.equal(await s.services.orgs.domainsInUse(db()), true);
    assert.deepEqual(await s.services.orgs.findDomain(db(), domain.id), {
      id: domain.id,
      name: domain.name,
      hostName: 'first.example',
    });
    assert.equal(await s.services.orgs.findDomain(db(), unknownId), undefined);
  });

  it('R-IMP-02: reachOf sees direct, group and domain assignment, and nothing else', async () => {
    const pu = await s.createUser();
    await makeRole(s, pu.id, 'power-user');
    const [direct, member, inDomain, outsider, elsewhere] = [
      await s.createUser(),
      await s.createUser(),
      await s.createUser(),
      await s.createUser(),
      await s.createUser(),
    ];
    const group = await createGroup(s, uniqueName('Reach'), [member.id]);
    const [mine, theirs] = [
      await createDomain(s, uniqueName('Mine')),
      await createDomain(s, uniqueName('Theirs')),
    ];
    await setDomainOf(s, inDomain.id, mine.id);
    await setDomainOf(s, elsewhere.id, theirs.id);
    await setDomainOf(s, direct.id, theirs.id);
    await assign(s, pu.id, { users: [direct.id], groups: [group.id], domains: [mine.id] });

    const reach = (subjectId: string) => s.services.orgs.reachOf(db(), pu.id, subjectId);
    assert.deepEqual(await reach(direct.id), {
      assigned: true,
      assignedDomainIds: [mine.id],
      subjectDomainId: theirs.id,
    });
    assert.deepEqual(await reach(member.id), {
      assigned: true,
      assignedDomainIds: [mine.id],
      subjectDomainId: null,
    });
    assert.deepEqual(await reach(inDomain.id), {
      assigned: true,
      assignedDomainIds: [mine.id],
      subjectDomainId: mine.id,
    });
    assert.deepEqual(await reach(outsider.id), {
      assigned: false,
      assignedDomainIds: [mine.id],
      subjectDomainId: null,
    });
    assert.deepEqual(await reach(elsewhere.id), {
      assigned: false,
      assignedDomainIds: [mine.id],
      subjectDomainId: theirs.id,
    });
    assert.deepEqual(await reach(unknownId), {
      assigned: false,
      assignedDomainIds: [mine.id],
      subjectDomainId: null,
    });

    // Another power user's resources are not this one's.
    const other = await s.createUser();
    await makeRole(s, other.id, 'power-user');
    assert.deepEqual(await s.services.orgs.reachOf(db(), other.id, direct.id), {
      assigned: false,
      assignedDomainIds: [],
      subjectDomainId: theirs.id,
    });

    // The list filter selects exactly the same users.
    const listed = await db()
      .selectFrom('users')
      .select('id')
      .where(s.services.orgs.reachableUsers(pu.id))
      .execute();
    assert.deepEqual(listed.map((r) => r.id).sort(), [direct.id, member.id, inDomain.id].sort());
    const aliased = await db()
      .selectFrom('users as u')
      .select('u.id')
      .where(s.services.orgs.reachableUsers(pu.id, 'u'))
      .execute();
    assert.equal(aliased.length, 3);

    // Membership and domain changes count from the next read on.
    await s.admin.put(`/api/v1/admin/groups/${group.id}/members`, { users: [outsider.id] });
    assert.equal((await reach(member.id)).assigned, false);
    assert.equal((await reach(outsider.id)).assigned, true);
    await setDomainOf(s, inDomain.id, null);
    assert.equal((await reach(inDomain.id)).assigned, false);
  });

  it('R-IMP-02: a power user reads the users in reach (200) and no one else (403, existing or not)', async () => {
    const pu = await signedInPowerUser(s);
    const [direct, member, inDomain, outsider] = [
      await s.createUser(),
      await s.createUser(),
      await s.createUser(),
      await s.createUser(),
    ];
    const group = await createGroup(s, uniqueName('Read'), [member.id]);
    const domain = await createDomain(s, uniqueName('Read'));
    await setDomainOf(s, inDomain.id, domain.id);
    await assign(s, pu.user.id, { users: [direct.id], groups: [group.id], domains: [domain.id] });

    for (const user of [direct, member, inDomain]) {
      const res = await pu.client.get(`/api/v1/admin/users/${user.id}`);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.equal(res.body.id, user.id);
      assert.match(res.headers.get('etag') ?? '', /^"user-\d+"$/);
    }
    for (const id of [outsider.id, unknownId, pu.user.id]) {
      const res = await pu.client.get(`/api/v1/admin/users/${id}`);
      assert.equal(res.status, 403, id);
      assert.equal(res.body.code, 'missing_permission');
    }
  });

  it('R-IMP-02: a power user cannot call any other admin route (403 missing_permission, before the body)', async () => {
    const pu = await signedInPowerUser(s);
    const assigned = await s.createUser();
    await assign(s, pu.user.id, { users: [assigned.id] });
    const etag = (await s.admin.get(`/api/v1/admin/users/${assigned.id}`)).headers.get('etag');
    const routes = routesUnder(s.app.routeIndex.list(), '/api/v1/admin', true);
    assert.ok(routes.length > 20, 'the admin routes were found');
    const refusedFor = async (client: Client, method: string, url: string, id: string): Promise<Reply> => {
      const body = method === 'GET' || method === 'HEAD' ? undefined : {};
      return client.request(method, concretePath(url, id), body);
    };
    for (const route of routes) {
      const name = `${route.method} ${route.url}`;
      if (openToPowerUsers.has(name)) continue;
      if ((route.method === 'GET' || route.method === 'HEAD') && route.url === '/api/v1/admin/users/:id')
        continue;
      // With the ID of a user in reach: being assigned opens nothing but reading.
      const res = await refusedFor(pu.client, route.method, route.url, assigned.id);
      assert.equal(res.status, 403, `${name}: ${JSON.stringify(res.body)}`);
      if (route.method !== 'HEAD') assert.equal(res.body.code, 'missing_permission', name);
    }
    const now = await s.admin.get(`/api/v1/admin/users/${assigned.id}`);
    assert.equal(now.headers.get('etag'), etag, 'the assigned user was not changed by any of it');
  });

  it('R-IMP-02: a power user demoted, or their group emptied, loses the reading at the next request', async () => {
    const pu = await signedInPowerUser(s);
    const member = await s.createUser();
    const group = await createGroup(s, uniqueName('Short'), [member.id]);
    await assign(s, pu.user.id, { groups: [group.id] });
    assert.equal((await pu.client.get(`/api/v1/admin/users/${member.id}`)).status, 200);
    await s.admin.put(`/api/v1/admin/groups/${group.id}/members`, { users: [] });
    assert.equal((await pu.client.get(`/api/v1/admin/users/${member.id}`)).status, 403);
    await s.admin.put(`/api/v1/admin/groups/${group.id}/members`, { users: [member.id] });
    assert.equal((await pu.client.get(`/api/v1/admin/users/${member.id}`)).status, 200);
    await makeRole(s, pu.user.id, 'user');
    const after = await pu.client.get(`/api/v1/admin/users/${member.id}`);
    assert.equal(after.status, 403);
    assert.equal(after.body.code, 'forbidden', 'no longer a power user: no admin route at all');
  });

  it('R-IMP-02, R-ADM-06: a power user lists only the users in their reach, with search, filters and pages', async () => {
    const pu = await signedInPowerUser(s);
    const list = async (query = '') => {
      const res = await pu.client.get(`/api/v1/admin/users${query}`);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      return res.body;
    };
    assert.deepEqual((await list()).items, [], 'nothing assigned, nobody listed');
    assert.deepEqual((await list()).total, { count: 0, capped: false });

    const tag = `reach${Date.now().toString(36)}`;
    // A second apart, so that "newest first" has one answer (the test clock stands still).
    const created = async (lastName: string) => {
      s.clock.advance(1000);
      return s.createUser({ lastName });
    };
    const direct = await created(`${tag}Direct`);
    const member = await created(`${tag}Member`);
    const inDomain = await created(`${tag}Domain`);
    const outsider = await s.createUser({ lastName: `${tag}Outsider` });
    const group = await createGroup(s, uniqueName('Listed'), [member.id]);
    const domain = await createDomain(s, uniqueName('Listed'));
    await setDomainOf(s, inDomain.id, domain.id);
    await assign(s, pu.user.id, { users: [direct.id], groups: [group.id], domains: [domain.id] });

    const all = await list();
    const reach = [direct.id, member.id, inDomain.id];
    assert.deepEqual(all.items.map((u: any) => u.id).sort(), [...reach].sort());
    assert.deepEqual(all.total, { count: 3, capped: false });
    assert.deepEqual(
      all.items.map((u: any) => u.id),
      [inDomain.id, member.id, direct.id],
      'newest first, like every list',
    );
    const searched = await list(`?q=${tag}`);
    assert.ok(
      !searched.items.some((u: any) => u.id === outsider.id),
      'a search finds no one outside the reach',
    );
    assert.equal(searched.items.length, 3);
    assert.deepEqual(
      (await list(`?domain=${domain.id}`)).items.map((u: any) => u.id),
      [inDomain.id],
    );
    assert.deepEqual((await list('?q=outsider')).items, []);

    // Pages: one user each, all three, then the end; an administrator's cursor is not theirs.
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: any = await list(`?limit=1${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...page.items.map((u: any) => u.id));
      cursor = page.nextCursor;
    } while (cursor);
    assert.deepEqual([...seen].sort(), [...reach].sort());
    const adminPage = await s.admin.get('/api/v1/admin/users?limit=1');
    assert.ok(adminPage.body.nextCursor);
    const foreign = await pu.client.get(`/api/v1/admin/users?limit=1&cursor=${adminPage.body.nextCursor}`);
    assert.equal(foreign.status, 400);
    assert.equal(foreign.body.code, 'invalid_cursor');

    // The administrators' list is unchanged by any of it.
    const everyone = await s.admin.get(`/api/v1/admin/users?q=${tag}`);
    assert.equal(everyone.body.items.length, 4);
  });

  it('R-ADM-07: a power user who also holds users.read reads everyone, like any system administrator', async () => {
    const pu = await signedInPowerUser(s);
    const stranger = await s.createUser();
    const grant = await s.admin.put(`/api/v1/admin/users/${pu.user.id}/permissions`, {
      general: [],
      system: ['users.read'],
    });
    assert.equal(grant.status, 200);
    assert.equal((await pu.client.get(`/api/v1/admin/users/${stranger.id}`)).status, 200);
  });
});

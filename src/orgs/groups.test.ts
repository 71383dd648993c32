// Groups and their members (R-IMP-02: a group assigned to a power user puts its members in
// reach), who may manage and read them (R-ADM-07), concurrency and bad input (R-OPS-03).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, type TestServer } from '../../test/harness.ts';
import { unknownId } from '../../test/routes.ts';
import { assign, auditOf, createGroup, makeRole, uniqueName } from '../../test/orgs.ts';

describe('groups', () => {
  let s: TestServer;
  before(async () => {
    s = await startServer();
  });
  after(() => s.close());

  it('R-IMP-02: create, read, list and rename a group, each change audited', async () => {
    const name = uniqueName('Support');
    const created = await s.admin.post('/api/v1/admin/groups', { name: `  ${name}  ` });
    assert.equal(created.status, 201);
    assert.equal(created.body.name, name, 'names are trimmed');
    assert.equal(created.body.memberCount, 0);
    assert.equal(created.headers.get('etag'), '"group-1"');
    assert.equal(created.headers.get('location'), `/api/v1/admin/groups/${created.body.id}`);
    const id = created.body.id;

    const read = await s.admin.get(`/api/v1/admin/groups/${id}`);
    assert.deepEqual(read.body, created.body);
    const list = await s.admin.get('/api/v1/admin/groups');
    assert.ok(list.body.items.some((g: any) => g.id === id));

    const renamed = await s.admin.patch(
      `/api/v1/admin/groups/${id}`,
      { name: `${name} 2` },
      { 'if-match': '"group-1"' },
    );
    assert.equal(renamed.status, 200);
    assert.equal(renamed.body.name, `${name} 2`);
    assert.equal(renamed.headers.get('etag'), '"group-2"');
    const stale = await s.admin.patch(
      `/api/v1/admin/groups/${id}`,
      { name: 'Other' },
      { 'if-match': '"group-1"' },
    );
    assert.equal(stale.status, 412);
    assert.equal(stale.body.code, 'precondition_failed');

    const events = await auditOf(s, id);
    assert.deepEqual(
      events.map((e) => e.action),
      ['group.updated', 'group.created'],
    );
    assert.equal(events[1].target.type, 'group');
  });

  it('R-OPS-03: group names are unique whatever their case; bad names and unknown IDs are refused', async () => {
    const name = uniqueName('Sales');
    await createGroup(s, name);
    const dup = await s.admin.post('/api/v1/admin/groups', { name: name.toUpperCase() });
    assert.equal(dup.status, 409);
    assert.equal(dup.body.code, 'group_name_taken');
    assert.equal(dup.body.errors[0].field, 'name');
    const other = await createGroup(s, uniqueName('Marketing'));
    const renameDup = await s.admin.patch(`/api/v1/admin/groups/${other.id}`, { name: name.toLowerCase() });
    assert.equal(renameDup.status, 409);
    assert.equal(renameDup.body.code, 'group_name_taken');
    assert.equal((await s.admin.post('/api/v1/admin/groups', { name: '   ' })).status, 422);
    assert.equal((await s.admin.post('/api/v1/admin/groups', { name: 'x'.repeat(101) })).status, 422);
    assert.equal((await s.admin.post('/api/v1/admin/groups', { name: 'ok', id: unknownId })).status, 422);
    const missing = await s.admin.get(`/api/v1/admin/groups/${unknownId}`);
    assert.equal(missing.status, 404);
    assert.equal(missing.body.code, 'group_not_found');
    assert.equal((await s.admin.get('/api/v1/admin/groups/not-an-id')).status, 404);
  });

  it('R-IMP-02: members are replaced as a whole, the group version moves, unknown users are named', async () => {
    const [a, b, c] = [await s.createUser(), await s.createUser(), await s.createUser()];
    const group = await createGroup(s, uniqueName('Team'));
    const path = `/api/v1/admin/groups/${group.id}/members`;
    const empty = await s.admin.get(path);
    assert.deepEqual(empty.body, { users: [] });
    assert.equal(empty.headers.get('etag'), '"group-1"');

    const set = await s.admin.put(path, { users: [a.id, b.id, a.id] }, { 'if-match': '"group-1"' });
    assert.equal(set.status, 200);
    assert.deepEqual(set.body.users.map((u: any) => u.id).sort(), [a.id, b.id].sort());
    assert.equal(set.body.users[0].displayName.startsWith('Test'), true);
    assert.equal(set.headers.get('etag'), '"group-2"');
    assert.equal((await s.admin.get(`/api/v1/admin/groups/${group.id}`)).body.memberCount, 2);

    const stale = await s.admin.put(path, { users: [] }, { 'if-match': '"group-1"' });
    assert.equal(stale.status, 412);
    const unknown = await s.admin.put(path, { users: [c.id, unknownId] });
    assert.equal(unknown.status, 422);
    assert.equal(unknown.body.code, 'validation_failed');
    assert.deepEqual(unknown.body.errors, [
      { field: 'users.1', message: 'no user has this ID', kind: 'not_found', params: { what: 'user' } },
    ]);
    assert.equal((await s.admin.put(path, { users: ['nope'] })).status, 422);
    assert.equal((await s.admin.get(path)).body.users.length, 2, 'refused changes changed nothing');

    const replaced = await s.admin.put(path, { users: [c.id] });
    assert.deepEqual(
      replaced.body.users.map((u: any) => u.id),
      [c.id],
    );
    const [event] = await auditOf(s, group.id);
    assert.equal(event.action, 'group.members_changed');
    assert.deepEqual(event.details, { added: [c.id], removed: [a.id, b.id].sort() });

    const same = await s.admin.put(path, { users: [c.id] });
    assert.equal(same.headers.get('etag'), replaced.headers.get('etag'), 'the same list is no change');
  });

  it('R-IMP-02: deleting a group ends its memberships and its assignments; its users stay', async () => {
    const member = await s.createUser();
    const group = await createGroup(s, uniqueName('Temporary'), [member.id]);
    const pu = await s.createUser();
    await makeRole(s, pu.id, 'power-user');
    await assign(s, pu.id, { groups: [group.id] });
    const stale = await s.admin.delete(`/api/v1/admin/groups/${group.id}`, { 'if-match': '"group-1"' });
    assert.equal(stale.status, 412, 'setting the members moved the version');
    const res = await s.admin.delete(`/api/v1/admin/groups/${group.id}`, { 'if-match': '"group-2"' });
    assert.equal(res.status, 204);
    assert.equal((await s.admin.get(`/api/v1/admin/groups/${group.id}`)).status, 404);
    assert.equal((await s.admin.get(`/api/v1/admin/users/${member.id}`)).status, 200);
    const resources = await s.admin.get(`/api/v1/admin/users/${pu.id}/power-user-resources`);
    assert.deepEqual(resources.body.groups, []);
    const [event] = await auditOf(s, group.id);
    assert.equal(event.action, 'group.deleted');
    assert.deepEqual(event.changes.members, { before: [member.id], after: null });
    assert.equal((await s.admin.delete(`/api/v1/admin/groups/${group.id}`)).status, 404);
  });

  it('R-ADM-07: groups.manage manages groups; users.read reads them; nothing else does', async () => {
    const group = await createGroup(s, uniqueName('Guarded'));
    const manager = await s.signedInWith(['groups.manage']);
    const made = await manager.client.post('/api/v1/admin/groups', { name: uniqueName('Managed') });
    assert.equal(made.status, 201);
    const renamed = await manager.client.patch(`/api/v1/admin/groups/${made.body.id}`, {
      name: uniqueName('Renamed'),
    });
    assert.equal(renamed.status, 200);
    const blind = await manager.client.put(`/api/v1/admin/groups/${made.body.id}/members`, { users: [] });
    assert.equal(blind.status, 403, 'choosing members is choosing among users: it needs users.read too');
    const both = await s.signedInWith(['groups.manage', 'users.read']);
    assert.equal(
      (await both.client.put(`/api/v1/admin/groups/${made.body.id}/members`, { users: [] })).status,
      200,
    );
    assert.equal((await manager.client.delete(`/api/v1/admin/groups/${made.body.id}`)).status, 204);
    const cannotRead = await manager.client.get('/api/v1/admin/groups');
    assert.equal(cannotRead.status, 403, 'reading needs users.read');
    assert.equal(cannotRead.body.code, 'missing_permission');

    const reader = await s.signedInWith(['users.read']);
    assert.equal((await reader.client.get('/api/v1/admin/groups')).status, 200);
    assert.equal((await reader.client.get(`/api/v1/admin/groups/${group.id}`)).status, 200);
    assert.equal((await reader.client.get(`/api/v1/admin/groups/${group.id}/members`)).status, 200);
    for (const res of [
      await reader.client.post('/api/v1/admin/groups', { name: uniqueName('No') }),
      await reader.client.patch(`/api/v1/admin/groups/${group.id}`, { name: uniqueName('No') }),
      await reader.client.put(`/api/v1/admin/groups/${group.id}/members`, { users: [] }),
      await reader.client.delete(`/api/v1/admin/groups/${group.id}`),
    ]) {
      assert.equal(res.status, 403);
      assert.equal(res.body.code, 'missing_permission');
    }
    assert.equal((await s.admin.get(`/api/v1/admin/groups/${group.id}`)).body.name, group.name);
  });
});

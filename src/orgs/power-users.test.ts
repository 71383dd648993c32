// R-IMP-02 (power users and their resources), R-ADM-07/08 (who may set them), over HTTP.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, type TestServer } from '../../test/harness.ts';
import { systemPermissions } from '../permissions/catalogue.ts';
import { unknownId } from '../../test/routes.ts';
import {
  assign,
  auditOf,
  createDomain,
  createGroup,
  makeRole,
  signedInPowerUser,
  uniqueName,
} from '../../test/orgs.ts';

describe('roles and power users resources', () => {
  let s: TestServer;
  before(async () => {
    s = await startServer();
  });
  after(() => s.close());

  const roleOf = async (id: string) => (await s.admin.get(`/api/v1/admin/users/${id}`)).body.role;

  it('R-IMP-02: a superadmin makes a user a power user and back, audited, with a new ETag', async () => {
    const user = await s.createUser();
    const before = await s.admin.get(`/api/v1/admin/users/${user.id}`);
    const res = await s.admin.put(`/api/v1/admin/users/${user.id}/role`, { role: 'power-user' });
    assert.equal(res.status, 200);
    assert.equal(res.body.role, 'power-user');
    assert.ok(res.body.tags.includes('power-user'));
    assert.notEqual(res.headers.get('etag'), before.headers.get('etag'));
    const [event] = await auditOf(s, user.id);
    assert.equal(event.action, 'user.role_changed');
    assert.deepEqual(event.changes.role, { before: 'user', after: 'power-user' });

    const back = await s.admin.put(`/api/v1/admin/users/${user.id}/role`, { role: 'user' });
    assert.equal(back.status, 200);
    assert.equal(back.body.role, 'user');
    assert.ok(!back.body.tags.includes('power-user'));
    const same = await s.admin.put(`/api/v1/admin/users/${user.id}/role`, { role: 'user' });
    assert.equal(same.status, 200);
    assert.equal(same.headers.get('etag'), back.headers.get('etag'), 'no change, no new version');
  });

  it('R-IMP-02: a superadmin may promote to superadmin and demote another superadmin', async () => {
    const user = await s.createUser();
    assert.equal((await makeRole(s, user.id, 'superadmin')).role, 'superadmin');
    assert.equal((await makeRole(s, user.id, 'user')).role, 'user');
  });

  it('R-ADM-07: only superadmins change roles; every other caller is refused and nothing changes', async () => {
    const target = await s.createUser();
    const everything = await s.signedInWith([...systemPermissions]);
    const res = await everything.client.put(`/api/v1/admin/users/${target.id}/role`, { role: 'superadmin' });
    assert.equal(res.status, 403);
    assert.equal(res.body.code, 'missing_permission');
    const own = await everything.client.put(`/api/v1/admin/users/${everything.user.id}/role`, {
      role: 'superadmin',
    });
    assert.equal(own.status, 403, 'not even for their own account');
    const pu = await signedInPowerUser(s);
    const byPowerUser = await pu.client.put(`/api/v1/admin/users/${target.id}/role`, { role: 'power-user' });
    assert.equal(byPowerUser.status, 403);
    assert.equal(byPowerUser.body.code, 'missing_permission');
    const plain = await s.signedInWith([]);
    const byPlain = await plain.client.put(`/api/v1/admin/users/${target.id}/role`, { role: 'power-user' });
    assert.equal(byPlain.status, 403);
    assert.equal(byPlain.body.code, 'forbidden');
    assert.equal(await roleOf(target.id), 'user');
  });

  it('R-ADM-08: nobody changes their own role, not even a superadmin', async () => {
    const me = (await s.admin.get('/api/v1/session')).body.user;
    const res = await s.admin.put(`/api/v1/admin/users/${me.id}/role`, { role: 'user' });
    assert.equal(res.status, 403);
    assert.equal(res.body.code, 'self_administration');
    assert.equal(await roleOf(me.id), 'superadmin');
  });

  it('R-OPS-03: a role change with a stale If-Match, an unknown role or extra fields changes nothing', async () => {
    const user = await s.createUser();
    const current = await s.admin.get(`/api/v1/admin/users/${user.id}`);
    await makeRole(s, user.id, 'power-user');
    const stale = await s.admin.put(
      `/api/v1/admin/users/${user.id}/role`,
      { role: 'superadmin' },
      { 'if-match': current.headers.get('etag')! },
    );
    assert.equal(stale.status, 412);
    assert.equal(stale.body.code, 'precondition_failed');
    const unknown = await s.admin.put(`/api/v1/admin/users/${user.id}/role`, { role: 'root' });
    assert.equal(unknown.status, 422);
    assert.equal(unknown.body.errors[0].field, 'role');
    const extra = await s.admin.put(`/api/v1/admin/users/${user.id}/role`, {
      role: 'user',
      systemPermissions: ['users.delete'],
    });
    assert.equal(extra.status, 422);
    const missing = await s.admin.put(`/api/v1/admin/users/${unknownId}/role`, { role: 'user' });
    assert.equal(missing.status, 404);
    assert.equal(missing.body.code, 'user_not_found');
    assert.equal(await roleOf(user.id), 'power-user');
  });

  it('R-IMP-02: resources replace the whole set, with names, under the user ETag', async () => {
    const pu = await s.createUser();
    await makeRole(s, pu.id, 'power-user');
    const [u1, u2] = [await s.createUser(), await s.createUser()];
    const group = await createGroup(s, uniqueName('Support'), [u2.id]);
    const domain = await createDomain(s, uniqueName('Tenant'));
    const path = `/api/v1/admin/users/${pu.id}/power-user-resources`;

    const empty = await s.admin.get(path);
    assert.equal(empty.status, 200);
    assert.deepEqual(empty.body, { users: [], groups: [], domains: [] });

    const set = await s.admin.put(
      path,
      { users: [u1.id, u1.id], groups: [group.id], domains: [domain.id] },
      { 'if-match': empty.headers.get('etag')! },
    );
    assert.equal(set.status, 200);
    assert.deepEqual(set.body.users, [
      { id: u1.id, displayName: u1.displayName, primaryEmail: u1.primaryEmail },
    ]);
    assert.deepEqual(set.body.groups, [{ id: group.id, name: group.name }]);
    assert.deepEqual(set.body.domains, [{ id: domain.id, name: domain.name, hostName: null }]);
    assert.notEqual(set.headers.get('etag'), empty.headers.get('etag'), "the user's version moved");
    const read = await s.admin.get(path);
    assert.deepEqual(read.body, set.body);
    assert.equal(read.headers.get('etag'), set.headers.get('etag'));

    const [event] = await auditOf(s, pu.id);
    assert.equal(event.action, 'user.power_user_resources_changed');
    assert.deepEqual(event.changes.users, { before: [], after: [u1.id] });

    const stale = await s.admin.put(
      path,
      { users: [], groups: [], domains: [] },
      { 'if-match': empty.headers.get('etag')! },
    );
    assert.equal(stale.status, 412);
    const replaced = await s.admin.put(path, { users: [u2.id], groups: [], domains: [] });
    assert.equal(replaced.status, 200);
    assert.deepEqual(
      replaced.body.users.map((u: any) => u.id),
      [u2.id],
    );
    assert.deepEqual(replaced.body.groups, []);
    assert.deepEqual(replaced.body.domains, []);
  });

  it('R-IMP-02: resources are refused for a user who is not a power user, and for unknown IDs, naming each', async () => {
    const plain = await s.createUser();
    const notPu = await s.admin.put(`/api/v1/admin/users/${plain.id}/power-user-resources`, {
      users: [],
      groups: [],
      domains: [],
    });
    assert.equal(notPu.status, 422);
    assert.equal(notPu.body.code, 'not_a_power_user');

    const pu = await s.createUser();
    await makeRole(s, pu.id, 'power-user');
    const user = await s.createUser();
    const path = `/api/v1/admin/users/${pu.id}/power-user-resources`;
    const unknown = await s.admin.put(path, {
      users: [user.id, unknownId],
      groups: [unknownId],
      domains: [],
    });
    assert.equal(unknown.status, 422);
    assert.equal(unknown.body.code, 'validation_failed');
    assert.deepEqual(
      unknown.body.errors.map((e: any) => e.field),
      ['users.1', 'groups.0'],
    );
    const malformed = await s.admin.put(path, { users: ['not-an-id'], groups: [], domains: [] });
    assert.equal(malformed.status, 422);
    assert.equal(malformed.body.errors[0].field, 'users.0');
    const partial = await s.admin.put(path, { users: [user.id] });
    assert.equal(partial.status, 422, 'all three lists are required: a missing one would silently empty it');
    assert.deepEqual(
      (await s.admin.get(path)).body,
      { users: [], groups: [], domains: [] },
      'nothing changed',
    );
  });

  it('R-ADM-07: only superadmins assign resources; system administrators read them with users.read', async () => {
    const pu = await s.createUser();
    await makeRole(s, pu.id, 'power-user');
    const path = `/api/v1/admin/users/${pu.id}/power-user-resources`;
    const everything = await s.signedInWith([...systemPermissions]);
    const put = await everything.client.put(path, { users: [], groups: [], domains: [] });
    assert.equal(put.status, 403);
    assert.equal(put.body.code, 'missing_permission');
    const reader = await s.signedInWith(['users.read']);
    assert.equal((await reader.client.get(path)).status, 200);
    const updater = await s.signedInWith(['users.update']);
    const denied = await updater.client.get(path);
    assert.equal(denied.status, 403);
    assert.equal(denied.body.code, 'missing_permission');
    const me = (await s.admin.get('/api/v1/session')).body.user;
    const own = await s.admin.put(`/api/v1/admin/users/${me.id}/power-user-resources`, {
      users: [],
      groups: [],
      domains: [],
    });
    assert.equal(own.status, 403);
    assert.equal(own.body.code, 'self_administration');
  });

  it('R-IMP-02: a demoted power user keeps nothing assigned, also when promoted again', async () => {
    const pu = await s.createUser();
    await makeRole(s, pu.id, 'power-user');
    const user = await s.createUser();
    const group = await createGroup(s, uniqueName('Team'));
    await assign(s, pu.id, { users: [user.id], groups: [group.id] });
    const demoted = await makeRole(s, pu.id, 'user');
    assert.equal(demoted.role, 'user');
    const path = `/api/v1/admin/users/${pu.id}/power-user-resources`;
    assert.deepEqual((await s.admin.get(path)).body, { users: [], groups: [], domains: [] });
    const [event] = await auditOf(s, pu.id);
    assert.equal(event.action, 'user.role_changed');
    assert.deepEqual(event.details.unassigned, { users: [user.id], groups: [group.id], domains: [] });
    await makeRole(s, pu.id, 'power-user');
    assert.deepEqual((await s.admin.get(path)).body, { users: [], groups: [], domains: [] });
  });

  it('R-IMP-02: a deleted user, group or domain leaves the resources of every power user', async () => {
    const pu = await s.createUser();
    await makeRole(s, pu.id, 'power-user');
    const user = await s.createUser();
    const group = await createGroup(s, uniqueName('Gone'));
    const domain = await createDomain(s, uniqueName('Gone'));
    await assign(s, pu.id, { users: [user.id], groups: [group.id], domains: [domain.id] });
    assert.equal((await s.admin.delete(`/api/v1/admin/users/${user.id}?confirm=${user.id}`)).status, 204);
    assert.equal((await s.admin.delete(`/api/v1/admin/groups/${group.id}`)).status, 204);
    assert.equal((await s.admin.delete(`/api/v1/admin/domains/${domain.id}`)).status, 204);
    const rows = await s.services.database.db
      .selectFrom('power_user_resources')
      .selectAll()
      .where('power_user_id', '=', pu.id)
      .execute();
    assert.deepEqual(rows, [], 'no row names what is gone');
  });
});

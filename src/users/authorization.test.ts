import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, strongPassword, type Client, type Reply, type TestServer } from '../../test/harness.ts';

// Who may administer whom, proven on every per-user admin endpoint: nobody administers
// themselves (R-ADM-08), only superadmins administer superadmins, and a system administrator
// administers and grants only within their own rights (R-ADM-07, no escalation).

const allSystem = [
  'users.read',
  'users.create',
  'users.update',
  'users.credentials',
  'users.permissions',
  'users.delete',
  'users.impersonate',
  'settings.read',
  'settings.manage',
  'notifications.manage',
  'audit.read',
];

/** Every state-changing per-user endpoint, as one client would call it on one target. */
function everyChange(c: Client, id: string, emailId: string): Array<[string, () => Promise<Reply>]> {
  const u = `/api/v1/admin/users/${id}`;
  return [
    ['PATCH profile', () => c.patch(u, { firstName: 'Changed' })],
    ['PATCH deactivate', () => c.patch(u, { active: false })],
    ['PUT permissions', () => c.put(`${u}/permissions`, { general: [], system: [] })],
    ['POST password/generate', () => c.post(`${u}/password/generate`)],
    ['PUT password', () => c.put(`${u}/password`, { password: 'Brand-New-Secret-77' })],
    ['POST emails', () => c.post(`${u}/emails`, { address: `new-${id}@example.test` })],
    ['POST emails primary', () => c.post(`${u}/emails/${emailId}/primary`)],
    ['POST emails verify', () => c.post(`${u}/emails/${emailId}/verify`)],
    ['DELETE email', () => c.delete(`${u}/emails/${emailId}`)],
    ['PUT two-factor', () => c.put(`${u}/two-factor`, { method: 'email' })],
    ['DELETE login-attempts', () => c.delete(`${u}/login-attempts`)],
    ['DELETE user', () => c.delete(`${u}?confirm=${id}`)],
  ];
}

describe('admin: who may administer whom (R-ADM-07, R-ADM-08)', () => {
  let s: TestServer;
  const view = (id: string) => s.admin.get(`/api/v1/admin/users/${id}`);

  /** Runs every change and expects each to be refused with `code`, leaving the target as it was. */
  async function expectAllRefused(c: Client, targetId: string, code: string) {
    const before = await view(targetId);
    for (const [label, call] of everyChange(c, targetId, before.body.emails[0].id)) {
      const res = await call();
      assert.equal(res.status, 403, `${label}: ${JSON.stringify(res.body)}`);
      assert.equal(res.body.code, code, label);
    }
    const after = await view(targetId);
    assert.deepEqual(after.body, before.body);
    assert.equal(after.headers.get('etag'), before.headers.get('etag'));
  }

  before(async () => {
    s = await startServer();
  });
  after(() => s.close());

  it('R-ADM-08: a superadmin cannot administer their own account through any endpoint', async () => {
    const me = (await s.admin.get('/api/v1/session')).body.user;
    await expectAllRefused(s.admin, me.id, 'self_administration');
    assert.equal((await view(me.id)).status, 200, 'reading oneself is fine');
  });

  it('R-ADM-08: a system administrator holding every permission cannot administer themselves either', async () => {
    const { client, user } = await s.signedInWith(allSystem);
    await expectAllRefused(client, user.id, 'self_administration');
    assert.equal((await client.get('/api/v1/session')).status, 200, 'and is still signed in');
  });

  it('R-ADM-08: only superadmins administer a superadmin', async () => {
    const { client } = await s.signedInWith(allSystem);
    const me = (await s.admin.get('/api/v1/session')).body.user;
    await expectAllRefused(client, me.id, 'target_is_superadmin');
    assert.equal((await client.get(`/api/v1/admin/users/${me.id}`)).status, 200, 'reading one is allowed');

    const other = await s.createUser({ password: strongPassword });
    // Roles other than "user" are not granted through this API yet; set it where it lives.
    await s.services.database.db
      .updateTable('users')
      .set({ role: 'superadmin' })
      .where('id', '=', other.id)
      .execute();
    await expectAllRefused(client, other.id, 'target_is_superadmin');
    const bySuperadmin = await s.admin.patch(`/api/v1/admin/users/${other.id}`, { firstName: 'Peer' });
    assert.equal(bySuperadmin.status, 200, 'a superadmin administers another superadmin');
  });

  it('R-ADM-07: no escalation: a system administrator administers nobody with rights they lack', async () => {
    const admin = await s.signedInWith([
      'users.read',
      'users.update',
      'users.credentials',
      'users.permissions',
      'users.delete',
    ]);
    const mightier = await s.signedInWith(['users.impersonate']);
    await expectAllRefused(admin.client, mightier.user.id, 'escalation');

    const plain = await s.createUser();
    const ok = await admin.client.patch(`/api/v1/admin/users/${plain.id}`, { firstName: 'Allowed' });
    assert.equal(ok.status, 200, 'a user with fewer rights is fine');
    const grant = await admin.client.put(`/api/v1/admin/users/${plain.id}/permissions`, {
      general: [],
      system: ['settings.manage'],
    });
    assert.equal(grant.status, 403);
    assert.equal(grant.body.code, 'escalation', 'nor grants what they do not hold');
    assert.deepEqual((await view(plain.id)).body.permissions.system, []);
    const within = await admin.client.put(`/api/v1/admin/users/${plain.id}/permissions`, {
      general: [],
      system: ['users.read'],
    });
    assert.equal(within.status, 200);
    assert.ok(within.body.tags.includes('system-administrator'));
  });

  it('issue 7 #5: R-ADM-07 general permissions count too: no password reset of a supporter, no granting support, without holding it', async () => {
    const admin = await s.signedInWith([
      'users.read',
      'users.update',
      'users.credentials',
      'users.permissions',
      'users.delete',
    ]);
    const supporter = await s.createUser();
    assert.equal(
      (
        await s.admin.put(`/api/v1/admin/users/${supporter.id}/permissions`, {
          general: ['support'],
          system: [],
        })
      ).status,
      200,
    );
    // Resetting the supporter's password would let the administrator sign in with "support".
    await expectAllRefused(admin.client, supporter.id, 'escalation');
    // Nor may they hand "support" to an account whose password they set themselves.
    const puppet = await s.createUser();
    const grant = await admin.client.put(`/api/v1/admin/users/${puppet.id}/permissions`, {
      general: ['support'],
      system: [],
    });
    assert.equal(grant.status, 403);
    assert.equal(grant.body.code, 'escalation');
    assert.deepEqual((await view(puppet.id)).body.permissions.general, []);
    // Holding it themselves, they may.
    const helper = await s.signedInWith(['users.read', 'users.permissions']);
    await s.admin.put(`/api/v1/admin/users/${helper.user.id}/permissions`, {
      general: ['support'],
      system: ['users.read', 'users.permissions'],
    });
    const allowed = await helper.client.put(`/api/v1/admin/users/${puppet.id}/permissions`, {
      general: ['support'],
      system: [],
    });
    assert.equal(allowed.status, 200, JSON.stringify(allowed.body));
  });

  it('R-ADM-07: each change needs its own system permission', async () => {
    const target = await s.createUser();
    const reader = await s.signedInWith(['users.read']);
    await expectAllRefused(reader.client, target.id, 'missing_permission');

    const editor = await s.signedInWith(['users.read', 'users.update']);
    const u = `/api/v1/admin/users/${target.id}`;
    assert.equal((await editor.client.patch(u, { lastName: 'Edited' })).status, 200);
    for (const res of [
      await editor.client.put(`${u}/two-factor`, { method: 'email' }),
      await editor.client.delete(`${u}/login-attempts`),
      await editor.client.put(`${u}/permissions`, { general: [], system: [] }),
    ]) {
      assert.equal(res.status, 403);
      assert.equal(res.body.code, 'missing_permission');
    }
  });

  it('R-ADM-07: a user without system permissions reaches no admin endpoint; nobody signed out does', async () => {
    const plain = await s.signedInWith([]);
    const target = await s.createUser();
    for (const [label, call] of everyChange(plain.client, target.id, target.emails[0].id)) {
      const res = await call();
      assert.equal(res.status, 403, label);
    }
    for (const [label, call] of everyChange(s.client(), target.id, target.emails[0].id)) {
      const res = await call();
      assert.equal(res.status, 401, label);
      assert.equal(res.body.code, 'not_authenticated');
    }
    assert.equal((await view(target.id)).headers.get('etag'), '"user-1"');
  });

  it('R-ADM-07: unknown permissions are refused naming the field; changed rights apply from the next request', async () => {
    const { client, user } = await s.signedInWith(['users.read']);
    const target = await s.createUser();
    const unknown = await s.admin.put(`/api/v1/admin/users/${user.id}/permissions`, {
      general: ['support'],
      system: ['users.read', 'users.everything'],
    });
    assert.equal(unknown.status, 422);
    assert.equal(unknown.body.code, 'unknown_permission');
    assert.deepEqual(unknown.body.errors, [
      {
        field: 'system.1',
        message: 'unknown permission "users.everything"',
        kind: 'unknown_permission',
        params: { name: 'users.everything' },
      },
    ]);

    assert.equal((await client.get(`/api/v1/admin/users/${target.id}`)).status, 200);
    await s.admin.put(`/api/v1/admin/users/${user.id}/permissions`, { general: [], system: [] });
    const revoked = await client.get(`/api/v1/admin/users/${target.id}`);
    assert.equal(revoked.status, 403, 'no re-login needed for a revocation to bite');
  });
});

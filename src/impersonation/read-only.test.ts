import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  adminEmail,
  adminPassword,
  startServer,
  strongPassword,
  type TestServer,
} from '../../test/harness.ts';
import { actAs, auditEvents, startImpersonation } from '../../test/impersonation-helpers.ts';

// Issue 12 #2, read-only impersonation over HTTP: the actor picks "look only" or "act"; a
// look-only session reads what the user sees and changes nothing but going back or signing out.

describe('issue 12 #2: read-only impersonation', () => {
  let s: TestServer;
  before(async () => {
    s = await startServer();
  });
  after(() => s.close());

  async function superadmin() {
    const c = s.client();
    assert.equal((await c.login(adminEmail, adminPassword)).status, 200);
    return c;
  }

  it('issue 12 #2: a read-only session reads, is refused every change, and goes back', async () => {
    const user = await s.createUser({ password: strongPassword, firstName: 'Ruth' });
    const admin = await superadmin();
    const started = await actAs(admin, user.id, { mode: 'read-only' });
    const session = await admin.get('/api/v1/session');
    assert.equal(session.status, 200);
    assert.equal(session.body.impersonation.mode, 'read-only');
    assert.equal((await admin.get('/api/v1/account/profile')).status, 200, 'reading works');

    const before = (await admin.get('/api/v1/account/profile')).body;
    for (const [method, path, body] of [
      ['PATCH', '/api/v1/account/profile', { firstName: 'Changed' }],
      ['PUT', '/api/v1/account/preferences/theme', { value: 'dark' }],
      ['POST', '/api/v1/account/notifications/00000000-0000-7000-8000-000000000000/read', {}],
      ['DELETE', '/api/v1/account/sessions', undefined],
    ] as const) {
      const res = await admin.request(method, path, body);
      assert.equal(res.status, 403, `${method} ${path}: ${JSON.stringify(res.body)}`);
      assert.equal(res.body.code, 'read_only_impersonation', `${method} ${path}`);
    }
    assert.deepEqual((await admin.get('/api/v1/account/profile')).body, before, 'nothing changed');

    const events = await auditEvents(
      s,
      `impersonationId=${started.impersonationId}&action=impersonation.started`,
    );
    assert.equal(events[0].details.mode, 'read-only', 'the mode is in the trail');

    const back = await admin.delete('/api/v1/impersonation');
    assert.equal(back.status, 200, JSON.stringify(back.body));
    assert.equal((await admin.get('/api/v1/session')).body.impersonation, null, 'the own session again');
  });

  it('issue 12 #2: an act session changes what the user may change; without a pick the default mode holds', async () => {
    const user = await s.createUser({ password: strongPassword });
    const admin = await superadmin();
    await actAs(admin, user.id);
    assert.equal((await admin.get('/api/v1/session')).body.impersonation.mode, 'act');
    assert.equal((await admin.patch('/api/v1/account/profile', { firstName: 'Changed' })).status, 200);
    assert.ok((await admin.delete('/api/v1/impersonation')).status < 400);

    const set = await s.admin.patch('/api/v1/admin/settings', {
      impersonation: { defaultMode: 'read-only' },
    });
    assert.equal(set.status, 200, JSON.stringify(set.body));
    try {
      const preview = await admin.get(`/api/v1/admin/users/${user.id}/impersonation/preview`);
      assert.equal(preview.body.defaultMode, 'read-only');
      assert.equal(preview.body.actAllowed, true);
      await actAs(admin, user.id);
      assert.equal((await admin.get('/api/v1/session')).body.impersonation.mode, 'read-only');
      assert.ok((await admin.delete('/api/v1/impersonation')).status < 400);
    } finally {
      await s.admin.patch('/api/v1/admin/settings', { impersonation: { defaultMode: 'act' } });
    }
  });

  it('issue 12 #2: actors the setting does not let act may only look; a pick of "act" is refused and starts nothing', async () => {
    const user = await s.createUser({ password: strongPassword });
    const set = await s.admin.patch('/api/v1/admin/settings', {
      impersonation: { actAllowedFor: ['power-users'] },
    });
    assert.equal(set.status, 200, JSON.stringify(set.body));
    try {
      const admin = await superadmin();
      const refused = await startImpersonation(admin, user.id, { mode: 'act' });
      assert.equal(refused.status, 403, JSON.stringify(refused.body));
      assert.equal(refused.body.code, 'act_not_allowed');
      const listed = await s.admin.get('/api/v1/admin/impersonations');
      assert.ok(!listed.body.items.some((i: any) => i.subject.id === user.id), 'nothing started');

      const preview = await admin.get(`/api/v1/admin/users/${user.id}/impersonation/preview`);
      assert.equal(preview.body.actAllowed, false);
      assert.equal(preview.body.defaultMode, 'read-only');
      await actAs(admin, user.id);
      assert.equal((await admin.get('/api/v1/session')).body.impersonation.mode, 'read-only');
      assert.ok((await admin.delete('/api/v1/impersonation')).status < 400);
    } finally {
      await s.admin.patch('/api/v1/admin/settings', {
        impersonation: { actAllowedFor: ['system-administrators', 'power-users'] },
      });
    }
  });

  it('issue 12 #2: a bad mode or a bad setting is refused with field errors and changes nothing', async () => {
    const user = await s.createUser({ password: strongPassword });
    const admin = await superadmin();
    const bad = await startImpersonation(admin, user.id, { mode: 'watch' });
    assert.equal(bad.status, 422);
    assert.equal(bad.body.errors[0].field, 'mode');
    const badSetting = await s.admin.patch('/api/v1/admin/settings', {
      impersonation: { actAllowedFor: ['everyone'] },
    });
    assert.equal(badSetting.status, 422);
    assert.deepEqual((await s.admin.get('/api/v1/admin/settings')).body.impersonation.actAllowedFor, [
      'system-administrators',
      'power-users',
    ]);
  });

  it('issue 12 #2: signing out ends a read-only impersonation', async () => {
    const user = await s.createUser({ password: strongPassword });
    const admin = await superadmin();
    const started = await actAs(admin, user.id, { mode: 'read-only' });
    assert.equal((await admin.post('/api/v1/auth/logout', {})).status, 204);
    const ended = await auditEvents(
      s,
      `impersonationId=${started.impersonationId}&action=impersonation.ended`,
    );
    assert.equal(ended[0].details.reason, 'logout');
  });
});

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

describe('impersonation: start, act, back', () => {
  let s: TestServer;
  before(async () => {
    s = await startServer();
  });
  after(() => s.close());

  it('R-IMP-01, R-IMP-05, R-IMP-14: a superadmin opens the user in the same browser; the session names both people', async () => {
    const subject = await s.createUser({ password: strongPassword });
    const admin = s.client();
    await admin.login(adminEmail, adminPassword);
    const started = await startImpersonation(admin, subject.id, { durationMinutes: 20 });
    assert.equal(started.status, 201);
    assert.match(started.body.handoffUrl, /^\/api\/v1\/impersonation\/handoff\?token=/);
    assert.equal(Date.parse(started.body.expiresAt), s.clock.now() + 20 * 60_000);
    const opened = await admin.get(started.body.handoffUrl);
    assert.equal(opened.status, 303);
    assert.equal(opened.headers.get('location'), '/', "the user's start page");
    const session = await admin.get('/api/v1/session');
    assert.equal(session.status, 200);
    assert.equal(session.body.user.id, subject.id, 'the browser now runs as the subject');
    assert.equal(session.body.impersonation.id, started.body.impersonationId);
    assert.equal(session.body.impersonation.actor.displayName, 'Super Admin');
    assert.equal(session.body.impersonation.reason, 'Ticket 4711: cannot find the course');
    assert.equal(session.body.impersonation.origin, 'users');
    assert.deepEqual(session.body.permissions.system, [], "the subject's rights, not the actor's");
  });

  it('R-IMP-03: admin routes are unavailable and nothing can be nested while acting', async () => {
    const subject = await s.createUser();
    const other = await s.createUser();
    const admin = s.client();
    await admin.login(adminEmail, adminPassword);
    await actAs(admin, subject.id);
    const read = await admin.get(`/api/v1/admin/users/${other.id}`);
    assert.equal(read.status, 403);
    assert.equal(read.body.code, 'admin_unavailable_while_impersonating');
    const nested = await startImpersonation(admin, other.id);
    assert.equal(nested.status, 403);
    assert.equal(nested.body.code, 'nested_impersonation');
  });

  it('R-IMP-04: blocked capabilities are refused with a clear code and listed in the session; the list is a setting', async () => {
    const subject = await s.createUser({ password: strongPassword });
    const admin = s.client();
    await admin.login(adminEmail, adminPassword);
    const current = await s.admin.get('/api/v1/admin/settings');
    const blocked = [...current.body.impersonation.blockedCapabilities, 'crm.export'];
    assert.equal(
      (await s.admin.patch('/api/v1/admin/settings', { impersonation: { blockedCapabilities: blocked } }))
        .status,
      200,
    );
    await actAs(admin, subject.id);
    const session = await admin.get('/api/v1/session');
    for (const cap of [
      'password.change',
      'two_factor.change',
      'emails.change',
      'payments',
      'esignature',
      'telephony',
      'crm.export',
    ]) {
      assert.ok(session.body.blockedCapabilities.includes(cap), cap);
    }
    const change = await admin.put('/api/v1/account/password', {
      currentPassword: strongPassword,
      newPassword: 'Brand-New-Password-77',
    });
    assert.equal(change.status, 403);
    assert.equal(change.body.code, 'blocked_during_impersonation');
    assert.equal(change.body.capability, 'password.change');
    const subjectLogin = await s.client().login(subject.primaryEmail, strongPassword);
    assert.equal(subjectLogin.status, 200, 'the password is unchanged');
  });

  it('R-IMP-06: back to your account ends it on the server and restores the actor without a new login', async () => {
    const subject = await s.createUser();
    const admin = s.client();
    await admin.login(adminEmail, adminPassword);
    const ownCookie = admin.cookieHeader;
    const { impersonationId } = await actAs(admin, subject.id, { origin: 'power-users' });
    const impersonationCookie = admin.cookieHeader;
    const suspended = await fetch(`${s.url}/api/v1/session`, { headers: { cookie: ownCookie } });
    assert.equal(suspended.status, 401, "the actor's own session is suspended while acting");
    const back = await admin.delete('/api/v1/impersonation');
    assert.equal(back.status, 200);
    assert.deepEqual(back.body, { returnTo: '/admin/power-users', restored: true });
    const session = await admin.get('/api/v1/session');
    assert.equal(session.body.user.primaryEmail, adminEmail);
    assert.equal(session.body.impersonation, null);
    assert.equal((await admin.get(`/api/v1/admin/users/${subject.id}`)).status, 200, 'admin rights are back');
    assert.equal(admin.cookieHeader, ownCookie, 'the very same session is back, under its own token');
    const stale = await fetch(`${s.url}/api/v1/session`, { headers: { cookie: impersonationCookie } });
    assert.equal(stale.status, 401, 'the impersonation token is dead');
    const ended = await auditEvents(s, `impersonationId=${impersonationId}&action=impersonation.ended`);
    assert.equal(ended.length, 1);
    assert.equal(ended[0].details.reason, 'back');
  });

  it('R-IMP-06: a session that is not impersonating cannot go "back", and the subject\'s own login cannot end it', async () => {
    const subject = await s.createUser({ password: strongPassword });
    const admin = s.client();
    await admin.login(adminEmail, adminPassword);
    const plain = await s.admin.delete('/api/v1/impersonation');
    assert.equal(plain.status, 409);
    assert.equal(plain.body.code, 'not_impersonating');
    await actAs(admin, subject.id);
    const own = s.client();
    assert.equal((await own.login(subject.primaryEmail, strongPassword)).status, 200);
    const ownSession = await own.get('/api/v1/session');
    assert.equal(ownSession.body.impersonation, null, 'the subject gets an ordinary session');
    assert.equal((await own.delete('/api/v1/impersonation')).body.code, 'not_impersonating');
    assert.equal((await admin.get('/api/v1/session')).body.user.id, subject.id, 'the impersonation goes on');
  });

  it('R-IMP-01: the handoff URL is single-use, expires after 60 s, and belongs to the starting browser', async () => {
    const subject = await s.createUser();
    const admin = s.client();
    await admin.login(adminEmail, adminPassword);
    const started = await startImpersonation(admin, subject.id);
    const stranger = s.client();
    await stranger.login(adminEmail, adminPassword);
    const shared = await stranger.get(started.body.handoffUrl);
    assert.equal(shared.status, 403);
    assert.equal(shared.body.code, 'handoff_not_yours');
    const anonymous = await s.client().get(started.body.handoffUrl);
    assert.equal(anonymous.status, 403);
    assert.equal((await admin.get(started.body.handoffUrl)).status, 303, 'the refusals did not use it up');
    const replay = await admin.get(started.body.handoffUrl);
    assert.equal(replay.status, 410);
    assert.equal(replay.body.code, 'handoff_invalid');

    await admin.delete('/api/v1/impersonation');
    const late = await startImpersonation(admin, subject.id);
    s.clock.advance(61_000);
    assert.equal((await admin.get(late.body.handoffUrl)).status, 410);
  });

  it('R-IMP-11: reason and duration are checked; extra fields and wrong requests change nothing', async () => {
    const subject = await s.createUser();
    const noReason = await startImpersonation(s.admin, subject.id, { reason: '   ' });
    assert.equal(noReason.status, 422);
    assert.equal(noReason.body.code, 'reason_required');
    const tooLong = await startImpersonation(s.admin, subject.id, { durationMinutes: 61 });
    assert.equal(tooLong.status, 422);
    assert.equal(tooLong.body.code, 'duration_too_long');
    for (const extra of [{ actor: 'x' }, { impersonatedBy: 'x' }, { role: 'superadmin' }]) {
      const res = await s.admin.post(`/api/v1/admin/users/${subject.id}/impersonation`, {
        reason: 'r',
        durationMinutes: 5,
        ...extra,
      });
      assert.equal(res.status, 422, JSON.stringify(extra));
    }
    const viaGet = await s.admin.get(`/api/v1/admin/users/${subject.id}/impersonation`);
    assert.equal(viaGet.status, 405);
    const noOrigin = await fetch(`${s.url}/api/v1/admin/users/${subject.id}/impersonation`, {
      method: 'POST',
      headers: { cookie: s.admin.cookieHeader, 'content-type': 'application/json' },
      body: JSON.stringify({ reason: 'r', durationMinutes: 5 }),
    });
    assert.equal(noOrigin.status, 403);
    const form = await s.admin.post(`/api/v1/admin/users/${subject.id}/impersonation`, 'reason=r', {
      'content-type': 'application/x-www-form-urlencoded',
    });
    assert.equal(form.status, 415);
    const started = await auditEvents(s, `targetId=${subject.id}&action=impersonation.started`);
    assert.equal(started.length, 0, 'nothing was started');
  });

  it('R-IMP-02: nobody impersonates themselves, a superadmin, or an inactive user; plain users cannot at all', async () => {
    const me = await s.admin.get('/api/v1/session');
    assert.equal((await startImpersonation(s.admin, me.body.user.id)).body.code, 'self');
    const other = await s.createUser();
    const promoted = await s.admin.put(`/api/v1/admin/users/${other.id}/role`, { role: 'superadmin' });
    assert.equal(promoted.status, 200, JSON.stringify(promoted.body));
    assert.equal((await startImpersonation(s.admin, other.id)).body.code, 'subject_is_superadmin');
    const inactive = await s.createUser();
    await s.admin.patch(`/api/v1/admin/users/${inactive.id}`, { active: false });
    assert.equal((await startImpersonation(s.admin, inactive.id)).body.code, 'subject_inactive');
    const { client } = await s.signedInWith([]);
    const plain = await startImpersonation(client, inactive.id);
    assert.equal(plain.status, 403);
    assert.equal(plain.body.code, 'missing_permission');
  });

  it('R-IMP-02: a system administrator needs the impersonate permission and cannot reach beyond their rights', async () => {
    const { client } = await s.signedInWith(['users.read', 'users.impersonate']);
    const plain = await s.createUser();
    const mightier = await s.createUser();
    await s.admin.put(`/api/v1/admin/users/${mightier.id}/permissions`, {
      general: [],
      system: ['users.delete'],
    });
    assert.equal((await startImpersonation(client, plain.id)).status, 201);
    await client.delete('/api/v1/impersonation').catch(() => undefined);
    const esc = await startImpersonation(client, mightier.id);
    assert.equal(esc.body.code, 'escalation');
    const { client: without } = await s.signedInWith(['users.read']);
    assert.equal((await startImpersonation(without, plain.id)).body.code, 'missing_permission');
  });

  it('R-IMP-01: the start dialog learns beforehand whether and how the actor may act as a user', async () => {
    const subject = await s.createUser();
    const ok = await s.admin.get(`/api/v1/admin/users/${subject.id}/impersonation/preview`);
    assert.equal(ok.status, 200);
    assert.equal(ok.body.allowed, true);
    assert.equal(ok.body.reasonRequired, true);
    assert.equal(ok.body.maxDurationMinutes, 60);
    const me = await s.admin.get('/api/v1/session');
    const self = await s.admin.get(`/api/v1/admin/users/${me.body.user.id}/impersonation/preview`);
    assert.deepEqual([self.body.allowed, self.body.code], [false, 'self']);
    assert.ok(self.body.message.length > 0, 'a readable reason for the disabled button');
    const { client } = await s.signedInWith(['users.read']);
    assert.equal((await client.get(`/api/v1/admin/users/${subject.id}/impersonation/preview`)).status, 403);
    const started = await auditEvents(s, `targetId=${subject.id}&action=impersonation.started`);
    assert.equal(started.length, 0, 'a preview starts nothing');
  });
});

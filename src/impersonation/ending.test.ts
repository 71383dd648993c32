import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import {
  adminEmail,
  adminPassword,
  startServer,
  strongPassword,
  type TestServer,
} from '../../test/harness.ts';
import { actAs, auditEvents, notificationsOf, startImpersonation } from '../../test/impersonation-helpers.ts';

/** A GET as a browser on another host name would send it (fetch may not set Host). */
function getWithHost(url: string, host: string): Promise<{ status: number }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: { host } }, (res) => {
      res.resume();
      resolve({ status: res.statusCode ?? 0 });
    });
    req.on('error', reject);
    req.end();
  });
}

/**
 * What the page showing the impersonation asks: after an end it gets 401 (and shows the end),
 * where a plain visit of the actor's browser would get the actor's own session back (issue 7 #4).
 */
const actingPage = '/api/v1/session?acting=true';

async function adminBrowser(s: TestServer) {
  const c = s.client();
  assert.equal((await c.login(adminEmail, adminPassword)).status, 200);
  return c;
}

async function endReason(s: TestServer, impersonationId: string): Promise<string | undefined> {
  const ended = await auditEvents(s, `impersonationId=${impersonationId}&action=impersonation.ended`);
  assert.ok(ended.length <= 1, 'an impersonation ends once');
  return ended[0]?.details.reason;
}

describe('impersonation: ending, notifications, audit, terms, preferences', () => {
  let s: TestServer;
  before(async () => {
    s = await startServer();
  });
  after(() => s.close());

  it('R-IMP-10: past its end time the next request is refused, the end is recorded and "back" still works', async () => {
    const subject = await s.createUser();
    const admin = await adminBrowser(s);
    const { impersonationId } = await actAs(admin, subject.id, { durationMinutes: 5 });
    s.clock.advance(5 * 60_000 + 1);
    assert.equal((await admin.get(actingPage)).status, 401);
    assert.equal(await endReason(s, impersonationId), 'expired');
    const back = await admin.delete('/api/v1/impersonation');
    assert.equal(back.status, 200, 'the administrator returns without a new login');
    assert.equal((await admin.get('/api/v1/session')).body.user.primaryEmail, adminEmail);
  });

  it('R-IMP-10: the expiry job ends impersonations nobody touches, and the end notification is sent', async () => {
    const subject = await s.createUser({ password: strongPassword });
    const admin = await adminBrowser(s);
    const { impersonationId } = await actAs(admin, subject.id, { durationMinutes: 10 });
    s.clock.advance(11 * 60_000);
    assert.ok((await s.services.impersonation.expireDue()) >= 1);
    assert.equal(await endReason(s, impersonationId), 'expired');
    const { items } = await notificationsOf(s, subject.primaryEmail, strongPassword);
    assert.deepEqual(
      items.map((n) => n.type),
      ['impersonation.ended', 'impersonation.started'],
    );
    const outbox = await s.services.database.db
      .selectFrom('outbox')
      .select(['recipient', 'subject'])
      .where('recipient', '=', subject.primaryEmail)
      .execute();
    assert.equal(outbox.length, 2, 'start and end also go out by e-mail');
  });

  it('R-IMP-09: the subject finds start and end notifications unread, with actor, reason and duration', async () => {
    const subject = await s.createUser({ password: strongPassword });
    const admin = await adminBrowser(s);
    await actAs(admin, subject.id, { durationMinutes: 25, reason: 'Kurs nicht sichtbar' });
    const inside = await admin.get('/api/v1/account/notifications');
    const start = inside.body.items.find((n: any) => n.type === 'impersonation.started');
    assert.equal(start.read, false);
    const mark = await admin.post(`/api/v1/account/notifications/${start.id}/read`);
    assert.equal(mark.status, 403, 'the impersonated session cannot mark it read');
    await admin.delete('/api/v1/impersonation');
    const { items, unreadCount } = await notificationsOf(s, subject.primaryEmail, strongPassword);
    assert.equal(unreadCount, 2);
    const started = items.find((n) => n.type === 'impersonation.started')!;
    assert.match(started.body, /Super Admin/);
    assert.match(started.body, /Kurs nicht sichtbar/);
    assert.match(started.body, /25/);
  });

  it('R-IMP-09: impersonation needs the notifications switched on', async () => {
    const subject = await s.createUser();
    await s.admin.patch('/api/v1/admin/settings', { notifications: { enabled: false } });
    const res = await startImpersonation(s.admin, subject.id);
    assert.equal(res.status, 403);
    assert.equal(res.body.code, 'notifications_disabled');
    await s.admin.patch('/api/v1/admin/settings', { notifications: { enabled: true } });
  });

  it("R-IMP-08: what is done while acting is recorded as the subject's, with actor, impersonation and reason", async () => {
    const subject = await s.createUser();
    const admin = await adminBrowser(s);
    const { impersonationId } = await actAs(admin, subject.id, { reason: 'Support case 99' });
    assert.equal(
      (await admin.put('/api/v1/account/preferences/users.columns', { value: ['name'] })).status,
      204,
    );
    const [event] = await auditEvents(s, `impersonationId=${impersonationId}&action=preference.set`);
    assert.equal(event.user.id, subject.id);
    assert.equal(event.actor.label, 'Super Admin');
    assert.equal(event.impersonationId, impersonationId);
    assert.equal(event.impersonationReason, 'Support case 99');
    const [start] = await auditEvents(s, `targetId=${subject.id}&action=impersonation.started`);
    assert.equal(start.details.reason, 'Support case 99');
    assert.equal(start.details.plannedMinutes, 30);
    await admin.delete('/api/v1/impersonation');
    const [end] = await auditEvents(s, `impersonationId=${impersonationId}&action=impersonation.ended`);
    assert.equal(end.user.id, subject.id);
    assert.equal(end.details.reason, 'back');
    assert.equal((await s.admin.get('/api/v1/admin/audit-events/verify')).body.ok, true);
  });

  it('R-IMP-13: preferences changed while acting are gone afterwards, for the subject and for the actor', async () => {
    const subject = await s.createUser({ password: strongPassword });
    const own = s.client();
    await own.login(subject.primaryEmail, strongPassword);
    await own.put('/api/v1/account/preferences/users.columns', { value: ['name', 'email'] });
    const admin = await adminBrowser(s);
    await admin.put('/api/v1/account/preferences/users.columns', { value: ['id'] });
    await actAs(admin, subject.id);
    assert.deepEqual((await admin.get('/api/v1/account/preferences')).body.preferences, {
      'users.columns': ['name', 'email'],
    });
    await admin.put('/api/v1/account/preferences/users.columns', { value: ['tags'] });
    await admin.put('/api/v1/account/preferences/theme', { value: 'dark' });
    assert.deepEqual((await admin.get('/api/v1/account/preferences')).body.preferences, {
      theme: 'dark',
      'users.columns': ['tags'],
    });
    await admin.delete('/api/v1/impersonation');
    assert.deepEqual((await own.get('/api/v1/account/preferences')).body.preferences, {
      'users.columns': ['name', 'email'],
    });
    assert.deepEqual((await admin.get('/api/v1/account/preferences')).body.preferences, {
      'users.columns': ['id'],
    });
  });

  it("R-IMP-10: logging out while acting ends the impersonation and the actor's session", async () => {
    const subject = await s.createUser();
    const admin = await adminBrowser(s);
    const { impersonationId } = await actAs(admin, subject.id);
    assert.equal((await admin.post('/api/v1/auth/logout')).status, 204);
    assert.equal(await endReason(s, impersonationId), 'logout');
    assert.equal((await admin.delete('/api/v1/impersonation')).status, 409);
    assert.equal((await admin.get('/api/v1/session')).status, 401);
  });

  it('R-IMP-10: deactivating or deleting the subject ends the impersonation at once', async () => {
    const a = await s.createUser();
    const b = await s.createUser();
    const admin1 = await adminBrowser(s);
    // Two actors: one actor runs one impersonation at a time (issue 7 #7b).
    const { client: admin2 } = await s.signedInWith(['users.read', 'users.impersonate']);
    const first = await actAs(admin1, a.id);
    const second = await actAs(admin2, b.id);
    assert.equal((await s.admin.patch(`/api/v1/admin/users/${a.id}`, { active: false })).status, 200);
    assert.equal((await admin1.get(actingPage)).status, 401);
    assert.equal(await endReason(s, first.impersonationId), 'subject_deactivated');
    assert.equal((await s.admin.delete(`/api/v1/admin/users/${b.id}?confirm=${b.id}`)).status, 204);
    assert.equal((await admin2.get(actingPage)).status, 401);
    assert.equal(await endReason(s, second.impersonationId), 'subject_deleted');
  });

  it("R-IMP-10: revoking the actor's permission mid-session ends it on the next request", async () => {
    const { client: actor, user } = await s.signedInWith(['users.read', 'users.impersonate']);
    const subject = await s.createUser();
    const { impersonationId } = await actAs(actor, subject.id);
    assert.equal((await actor.get('/api/v1/session')).status, 200);
    const demote = await s.admin.put(`/api/v1/admin/users/${user.id}/permissions`, {
      general: [],
      system: ['users.read'],
    });
    assert.equal(demote.status, 200);
    assert.equal((await actor.get(actingPage)).status, 401);
    assert.equal(await endReason(s, impersonationId), 'actor_demoted');
  });

  it('an administrator ends another\'s impersonation with "end now"', async () => {
    const subject = await s.createUser();
    const admin = await adminBrowser(s);
    const { impersonationId } = await actAs(admin, subject.id);
    const list = await s.admin.get('/api/v1/admin/impersonations');
    assert.ok(list.body.items.some((i: any) => i.id === impersonationId && i.openedAt !== null));
    assert.equal((await s.admin.delete(`/api/v1/admin/impersonations/${impersonationId}`)).status, 204);
    assert.equal((await admin.get(actingPage)).status, 401);
    assert.equal(await endReason(s, impersonationId), 'revoked');
    assert.equal((await s.admin.delete(`/api/v1/admin/impersonations/${impersonationId}`)).status, 409);
    const { client } = await s.signedInWith(['users.read']);
    assert.equal((await client.get('/api/v1/admin/impersonations')).status, 403);
  });

  it("R-IMP-12: pending terms need a superadmin's acceptance on behalf; revoking them while acting ends it", async () => {
    const policy = await s.admin.post('/api/v1/admin/policies', { kind: 'terms', title: 'Terms of use' });
    assert.equal(policy.status, 201, JSON.stringify(policy.body));
    const version = await s.admin.post(`/api/v1/admin/policies/${policy.body.id}/versions`, {
      body: 'Be nice.',
      publish: true,
    });
    assert.equal(version.status, 201, JSON.stringify(version.body));
    const subject = await s.createUser({ password: strongPassword });
    const refused = await startImpersonation(s.admin, subject.id);
    assert.equal(refused.status, 403);
    assert.equal(refused.body.code, 'terms_not_accepted');
    const admin = await adminBrowser(s);
    const { impersonationId } = await actAs(admin, subject.id, { acceptTermsOnBehalf: true });
    const terms = await admin.get('/api/v1/account/terms');
    assert.equal(terms.body.pending.length, 0);
    assert.equal(terms.body.accepted[0].onBehalf, true, 'recorded as accepted on behalf');
    const revoke = await admin.delete(`/api/v1/account/terms/${policy.body.id}`);
    assert.equal(revoke.status, 204);
    assert.equal((await admin.get(actingPage)).status, 401, 'the impersonation ended at once');
    assert.equal(await endReason(s, impersonationId), 'terms_revoked');
    const own = s.client();
    const login = await own.login(subject.primaryEmail, strongPassword);
    assert.equal(login.body.pendingTerms.length, 1, 'the subject is asked to accept at the next login');
    await s.admin.post(`/api/v1/admin/policies/${policy.body.id}/archive`);
  });

  it('R-IMP-07: what the actor does is real and stored as done by the subject', async () => {
    const subject = await s.createUser({ password: strongPassword });
    const admin = await adminBrowser(s);
    const { impersonationId } = await actAs(admin, subject.id);
    const policy = await s.admin.post('/api/v1/admin/policies', { kind: 'privacy', title: 'Datenschutz' });
    try {
      const version = await s.admin.post(`/api/v1/admin/policies/${policy.body.id}/versions`, {
        body: 'v1',
        publish: true,
      });
      // A policy published meanwhile, accepted while acting: stored for the subject (marked as
      // accepted on their behalf, since the subject did not read it themselves).
      const accept = await admin.post('/api/v1/account/terms/accept', { versionIds: [version.body.id] });
      assert.equal(accept.status, 204, JSON.stringify(accept.body));
      await admin.delete('/api/v1/impersonation');
      const own = s.client();
      await own.login(subject.primaryEmail, strongPassword);
      const terms = await own.get('/api/v1/account/terms');
      assert.ok(
        terms.body.accepted.some((a: any) => a.versionId === version.body.id),
        'the subject sees it',
      );
      const [event] = await auditEvents(
        s,
        `impersonationId=${impersonationId}&action=terms.accepted_on_behalf`,
      );
      assert.equal(event.user.id, subject.id, "recorded as the subject's");
      assert.equal(event.actor.label, 'Super Admin', 'with the actor');
    } finally {
      await s.admin.post(`/api/v1/admin/policies/${policy.body.id}/archive`);
    }
  });

  it('R-IMP-02: a power user acts only as assigned users, never as another power user', async () => {
    const { client: power, user } = await s.signedInWith([]);
    assert.equal(
      (await s.admin.put(`/api/v1/admin/users/${user.id}/role`, { role: 'power-user' })).status,
      200,
    );
    const assigned = await s.createUser();
    const unassigned = await s.createUser();
    const otherPower = await s.createUser();
    await s.admin.put(`/api/v1/admin/users/${otherPower.id}/role`, { role: 'power-user' });
    const set = await s.admin.put(`/api/v1/admin/users/${user.id}/power-user-resources`, {
      users: [assigned.id, otherPower.id],
      groups: [],
      domains: [],
    });
    assert.equal(set.status, 200, JSON.stringify(set.body));
    assert.equal((await power.login(user.primaryEmail, strongPassword)).status, 200);
    assert.equal((await startImpersonation(power, unassigned.id)).body.code, 'not_assigned');
    assert.equal((await startImpersonation(power, otherPower.id)).body.code, 'subject_is_power_user');
    await actAs(power, assigned.id, { origin: 'power-users' });
    assert.equal((await power.delete('/api/v1/impersonation')).body.returnTo, '/admin/power-users');
  });

  it('R-IMP-02: with domains in use a power user picks the domain, and the session runs on its host name', async () => {
    const domain = await s.admin.post('/api/v1/admin/domains', {
      name: 'Filiale Nord',
      hostName: 'nord.example.test',
    });
    assert.equal(domain.status, 201, JSON.stringify(domain.body));
    const other = await s.admin.post('/api/v1/admin/domains', { name: 'Filiale Süd' });
    const { client: power, user } = await s.signedInWith([]);
    await s.admin.put(`/api/v1/admin/users/${user.id}/role`, { role: 'power-user' });
    await s.admin.put(`/api/v1/admin/users/${user.id}/power-user-resources`, {
      users: [],
      groups: [],
      domains: [domain.body.id],
    });
    await power.login(user.primaryEmail, strongPassword);
    const member = await s.createUser();
    const outsider = await s.createUser();
    assert.equal(
      (await s.admin.patch(`/api/v1/admin/users/${member.id}`, { domainId: domain.body.id })).status,
      200,
    );
    assert.equal(
      (await s.admin.patch(`/api/v1/admin/users/${outsider.id}`, { domainId: other.body.id })).status,
      200,
    );
    const preview = await power.get(`/api/v1/admin/users/${member.id}/impersonation/preview`);
    assert.equal(preview.body.domainRequired, true);
    assert.deepEqual(
      preview.body.domains.map((d: any) => d.name),
      ['Filiale Nord'],
      'the domain to pick',
    );
    assert.equal(preview.body.allowed, true);
    assert.equal((await startImpersonation(power, member.id)).body.code, 'domain_required');
    assert.equal(
      (await startImpersonation(power, outsider.id, { domainId: other.body.id })).body.code,
      'outside_domain',
    );
    const started = await startImpersonation(power, member.id, { domainId: domain.body.id });
    assert.equal(started.status, 201, JSON.stringify(started.body));
    assert.match(
      started.body.handoffUrl,
      // The platform's scheme and port come along (issue 7 #2; the test server's URL has a port).
      /^http:\/\/nord\.example\.test:\d+\/api\/v1\/impersonation\/handoff\?token=/,
    );
    // On the domain's host the actor's cookie cannot come along: the single-use token is the proof.
    const path = new URL(started.body.handoffUrl);
    const opened = await getWithHost(`${s.url}${path.pathname}${path.search}`, path.host);
    assert.equal(opened.status, 303);
    await s.admin.delete(`/api/v1/admin/domains/${other.body.id}`).catch(() => undefined);
  });
});

// Issue 10, impersonation and domains over HTTP: domains restrict only the power users assigned
// to one (#1); the subject is told when the handoff opens the session, and a start never opened
// ends silently after the handoff's lifetime, audited (#3).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  adminEmail,
  adminPassword,
  startServer,
  strongPassword,
  type TestServer,
} from '../../test/harness.ts';
import { actAs, auditEvents, notificationsOf, startImpersonation } from '../../test/impersonation-helpers.ts';
import { assign, createDomain, setDomainOf, signedInPowerUser, uniqueName } from '../../test/orgs.ts';

/** Another browser of the superadmin, so that acting in it leaves `s.admin` administering. */
async function adminBrowser(s: TestServer) {
  const c = s.client();
  assert.equal((await c.login(adminEmail, adminPassword)).status, 200);
  return c;
}

describe('issue 10: impersonation and domains', () => {
  let s: TestServer;
  before(async () => {
    s = await startServer();
  });
  after(() => s.close());

  it('issue 10 #1 (R-IMP-02): a domain on the platform restricts neither superadmins nor power users without domains', async () => {
    const domain = await createDomain(s, uniqueName('Nord'));
    const inDomain = await s.createUser();
    await setDomainOf(s, inDomain.id, domain.id);
    const outside = await s.createUser();

    // A superadmin acts as a user outside every domain without picking one.
    const bySuperadmin = await startImpersonation(s.admin, outside.id);
    assert.equal(bySuperadmin.status, 201, JSON.stringify(bySuperadmin.body));

    // A power user assigned users (not domains) acts as them, in a domain or not.
    const { client: power, user } = await signedInPowerUser(s);
    await assign(s, user.id, { users: [outside.id, inDomain.id] });
    for (const subject of [outside, inDomain]) {
      const preview = await power.get(`/api/v1/admin/users/${subject.id}/impersonation/preview`);
      assert.equal(preview.status, 200);
      assert.deepEqual(
        [preview.body.allowed, preview.body.code, preview.body.domainRequired],
        [true, null, false],
        'the button is enabled, no domain to pick',
      );
      const started = await startImpersonation(power, subject.id);
      assert.equal(started.status, 201, JSON.stringify(started.body));
    }
    // Unassigned users stay out of reach.
    const stranger = await s.createUser();
    assert.equal((await startImpersonation(power, stranger.id)).body.code, 'not_assigned');
  });

  it('issue 10 #1 (R-IMP-02, seed 002): a power user assigned a domain acts only in their domains', async () => {
    const [mine, other] = [
      await createDomain(s, uniqueName('Mine')),
      await createDomain(s, uniqueName('Other')),
    ];
    const member = await s.createUser();
    await setDomainOf(s, member.id, mine.id);
    const direct = await s.createUser();
    const { client: power, user } = await signedInPowerUser(s);
    await assign(s, user.id, { users: [direct.id], domains: [mine.id] });

    const preview = await power.get(`/api/v1/admin/users/${member.id}/impersonation/preview`);
    assert.equal(preview.body.domainRequired, true);
    assert.deepEqual(
      preview.body.domains.map((d: any) => d.id),
      [mine.id],
    );
    assert.equal((await startImpersonation(power, member.id)).body.code, 'domain_required');
    const refused = await startImpersonation(power, direct.id, { domainId: mine.id });
    assert.equal(refused.body.code, 'outside_domain', 'a directly assigned user outside the domains');
    const wrong = await startImpersonation(power, member.id, { domainId: other.id });
    assert.equal(wrong.body.code, 'outside_domain');
    assert.equal((await startImpersonation(power, member.id, { domainId: mine.id })).status, 201);
  });

  it('issue 10 #3 (R-IMP-09): the start notification goes out when the handoff is opened, not at the start', async () => {
    const actor = await adminBrowser(s);
    const subject = await s.createUser({ password: strongPassword });
    const started = await startImpersonation(actor, subject.id);
    assert.equal(started.status, 201);
    const before = await notificationsOf(s, subject.primaryEmail, strongPassword);
    assert.deepEqual(
      before.items.map((n) => n.type),
      [],
      'not yet opened: nobody acts as the subject yet',
    );
    assert.equal((await actor.get(started.body.handoffUrl)).status, 303);
    const afterOpen = await notificationsOf(s, subject.primaryEmail, strongPassword);
    assert.deepEqual(
      afterOpen.items.map((n) => n.type),
      ['impersonation.started'],
    );
    assert.match(afterOpen.items[0]!.body, /Ticket 4711/, 'with the reason (R-IMP-11)');
  });

  it('issue 10 #3 (R-IMP-09, R-IMP-10): a start never opened ends silently after 60 s, audited as not_opened', async () => {
    const actor = await adminBrowser(s);
    const subject = await s.createUser({ password: strongPassword });
    const started = await startImpersonation(actor, subject.id, { durationMinutes: 30 });
    assert.equal(started.status, 201);
    const id = started.body.impersonationId;
    s.clock.advance(59_000);
    await s.services.impersonation.expireDue();
    assert.equal((await auditEvents(s, `impersonationId=${id}&action=impersonation.ended`)).length, 0);
    s.clock.advance(2_000);
    await s.services.impersonation.expireDue();
    const ended = await auditEvents(s, `impersonationId=${id}&action=impersonation.ended`);
    assert.equal(ended.length, 1);
    assert.equal(ended[0].details.reason, 'not_opened');
    assert.equal((await actor.get(started.body.handoffUrl)).body.code, 'handoff_invalid');
    const seen = await notificationsOf(s, subject.primaryEmail, strongPassword);
    assert.deepEqual(seen.items, [], 'neither a start nor an end notification');

    // An opened one still announces its start and its end (R-IMP-10).
    const other = await s.createUser({ password: strongPassword });
    await actAs(actor, other.id, { durationMinutes: 1 });
    s.clock.advance(61_000);
    await s.services.impersonation.expireDue();
    const told = await notificationsOf(s, other.primaryEmail, strongPassword);
    assert.deepEqual(told.items.map((n) => n.type).sort(), ['impersonation.ended', 'impersonation.started']);
  });

  it('issue 10 #3: superseding or ending a start that was never opened notifies nobody', async () => {
    const actor = await adminBrowser(s);
    const first = await s.createUser({ password: strongPassword });
    const second = await s.createUser({ password: strongPassword });
    assert.equal((await startImpersonation(actor, first.id)).status, 201);
    const again = await startImpersonation(actor, second.id);
    assert.equal(again.status, 201);
    assert.equal(
      (await actor.delete(`/api/v1/admin/impersonations/${again.body.impersonationId}`)).status,
      204,
    );
    for (const u of [first, second]) {
      assert.deepEqual((await notificationsOf(s, u.primaryEmail, strongPassword)).items, [], u.id);
    }
  });

  it("issue 10 #3 (R-IMP-02): a domain's handoff keeps the scheme and port of PUBLIC_URL", async () => {
    const domain = await createDomain(s, uniqueName('Port'), `port-${Date.now() % 1e6}.localhost`);
    const subject = await s.createUser();
    await setDomainOf(s, subject.id, domain.id);
    const { client: power, user } = await signedInPowerUser(s);
    await assign(s, user.id, { domains: [domain.id] });
    const started = await startImpersonation(power, subject.id, { domainId: domain.id });
    assert.equal(started.status, 201, JSON.stringify(started.body));
    const publicUrl = new URL(s.services.config.publicUrl);
    const handoff = new URL(started.body.handoffUrl);
    assert.equal(handoff.protocol, publicUrl.protocol);
    assert.equal(handoff.hostname, domain.hostName);
    assert.equal(handoff.port, publicUrl.port);
  });

  it("issue 10 #4 (R-IMP-03, R-IMP-02): acting as a power user opens the console with the power user's reach, never the actor's", async () => {
    const mine = await s.createUser();
    const notMine = await s.createUser();
    const { user: power } = await signedInPowerUser(s);
    await assign(s, power.id, { users: [mine.id] });
    const actor = await adminBrowser(s);
    await actAs(actor, power.id, { origin: 'power-users' });

    const session = await actor.get('/api/v1/session');
    assert.equal(session.body.user.id, power.id);
    assert.equal(session.body.user.role, 'power-user');
    const list = await actor.get('/api/v1/admin/users');
    assert.equal(list.status, 200, JSON.stringify(list.body));
    assert.deepEqual(
      list.body.items.map((u: any) => u.id),
      [mine.id],
      "the power user's reach, not the superadmin's whole list",
    );
    assert.equal((await actor.get(`/api/v1/admin/users/${mine.id}`)).status, 200);
    const outside = await actor.get(`/api/v1/admin/users/${notMine.id}`);
    assert.equal(outside.status, 403);
    // The superadmin's own rights are not there: no settings, no edits, no trail, no domains.
    for (const path of ['/api/v1/admin/settings', '/api/v1/admin/audit-events', '/api/v1/admin/domains']) {
      const refused = await actor.get(path);
      assert.equal(refused.status, 403, path);
      assert.equal(refused.body.code, 'missing_permission', path);
    }
    const edit = await actor.patch(`/api/v1/admin/users/${mine.id}`, { firstName: 'Changed' });
    assert.equal(edit.status, 403);
    // No nesting (R-IMP-02), even on a user in the power user's reach.
    const nested = await startImpersonation(actor, mine.id);
    assert.equal(nested.status, 403);
    assert.equal(nested.body.code, 'nested_impersonation');
    const preview = await actor.get(`/api/v1/admin/users/${mine.id}/impersonation/preview`);
    assert.equal(preview.body.code, 'nested_impersonation');
  });

  it("issue 10 #4 (R-IMP-03, R-ADM-08): acting as a system administrator, their rights apply, never on the actor's own account", async () => {
    const rights = ['users.read', 'users.update', 'users.credentials'];
    const { client: actor, user: actorUser } = await s.signedInWith([...rights, 'users.impersonate']);
    const { user: subject } = await s.signedInWith(rights);
    const plain = await s.createUser();
    await actAs(actor, subject.id);

    const edited = await actor.patch(`/api/v1/admin/users/${plain.id}`, { firstName: 'Edited' });
    assert.equal(edited.status, 200, JSON.stringify(edited.body));
    const [event] = await auditEvents(s, `targetId=${plain.id}&action=user.updated`);
    assert.equal(event.user.id, subject.id, 'done as the subject');
    assert.equal(event.actor.id, actorUser.id, 'by the actor (R-IMP-08)');

    // Through the subject the actor must not administer themselves (R-ADM-08).
    for (const [method, path, body] of [
      ['PATCH', `/api/v1/admin/users/${actorUser.id}`, { firstName: 'Self' }],
      ['POST', `/api/v1/admin/users/${actorUser.id}/password/generate`, {}],
    ] as const) {
      const res = await actor.request(method, path, body);
      assert.equal(res.status, 403, `${method} ${path}`);
      assert.equal(res.body.code, 'self_administration', `${method} ${path}`);
    }
    // Rights the subject lacks stay refused though the actor holds them.
    assert.equal((await actor.get('/api/v1/admin/impersonations')).status, 403);
  });

  it('issue 10 #4 (R-IMP-03): acting as a user without administrator rights, the console stays closed', async () => {
    const subject = await s.createUser();
    const actor = await adminBrowser(s);
    await actAs(actor, subject.id);
    const res = await actor.get('/api/v1/admin/users');
    assert.equal(res.status, 403);
    assert.equal(res.body.code, 'admin_unavailable_while_impersonating');
  });

  it("issue 10 #6 (R-IMP-05): the session names the actor's language, in which the banner speaks to them", async () => {
    const { client: actor } = await s.signedInWith(['users.read', 'users.impersonate'], { language: 'de' });
    const subject = await s.createUser({ language: 'en' });
    await actAs(actor, subject.id);
    const session = await actor.get('/api/v1/session');
    assert.equal(session.body.user.language, 'en', "the page speaks the subject's language");
    assert.equal(session.body.impersonation.actor.language, 'de', "the banner the actor's");
  });

  it("issue 10 #5 (R-IMP-06, R-IMP-10): after an expiry, the administrator's tab gets their session back and is told what ended", async () => {
    const subject = await s.createUser({ firstName: 'Erika', lastName: 'Mustermann' });
    const actor = await adminBrowser(s);
    // The original tab's calls while the impersonation runs are the subject's (shared cookie).
    const { impersonationId } = await actAs(actor, subject.id, { durationMinutes: 5, origin: 'power-users' });
    s.clock.advance(6 * 60_000);
    // The original tab's next admin request meets the ended session: 401, not the sign-in page yet.
    assert.equal((await actor.get('/api/v1/admin/users?limit=1')).status, 401);
    const me = await actor.get('/api/v1/session');
    assert.equal(me.status, 200, JSON.stringify(me.body));
    assert.equal(me.body.user.primaryEmail, adminEmail, 'their own account again');
    assert.deepEqual(
      {
        impersonationId: me.body.resumedAfter.impersonationId,
        subject: me.body.resumedAfter.subject,
        endReason: me.body.resumedAfter.endReason,
        origin: me.body.resumedAfter.origin,
      },
      { impersonationId, subject: 'Erika Mustermann', endReason: 'expired', origin: 'power-users' },
    );
    const again = await actor.get('/api/v1/session');
    assert.equal(again.body.resumedAfter ?? null, null, 'told once');
    assert.equal((await actor.get('/api/v1/admin/users?limit=1')).status, 200);
  });

  it('issue 10 #3 (R-IMP-09): 20 parallel opens of one handoff open it once and notify the subject once', async () => {
    const subject = await s.createUser({ password: strongPassword });
    const actor = await adminBrowser(s);
    const started = await startImpersonation(actor, subject.id);
    assert.equal(started.status, 201);
    const answers = await Promise.all(Array.from({ length: 20 }, () => actor.get(started.body.handoffUrl)));
    assert.equal(answers.filter((a) => a.status === 303).length, 1, 'single use');
    for (const a of answers.filter((x) => x.status !== 303)) assert.ok(a.status >= 400 && a.status < 500);
    const seen = await notificationsOf(s, subject.primaryEmail, strongPassword);
    assert.deepEqual(
      seen.items.map((n) => n.type),
      ['impersonation.started'],
    );
  });

  it("issue 10 #4 (R-ADM-08): 20 parallel attempts of the acting session on the actor's own account change nothing", async () => {
    const rights = ['users.read', 'users.update', 'users.credentials', 'users.delete'];
    const { client: actor, user: actorUser } = await s.signedInWith([...rights, 'users.impersonate']);
    const { user: subject } = await s.signedInWith(rights);
    await actAs(actor, subject.id);
    const before = (await s.admin.get(`/api/v1/admin/users/${actorUser.id}`)).body;
    const attempts = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        i % 4 === 0
          ? actor.patch(`/api/v1/admin/users/${actorUser.id}`, { firstName: `Self ${i}` })
          : i % 4 === 1
            ? actor.post(`/api/v1/admin/users/${actorUser.id}/password/generate`, {})
            : i % 4 === 2
              ? actor.patch(`/api/v1/admin/users/${actorUser.id}`, { active: false })
              : actor.delete(`/api/v1/admin/users/${actorUser.id}`),
      ),
    );
    for (const a of attempts) {
      assert.equal(a.status, 403, JSON.stringify(a.body));
      assert.equal(a.body.code, 'self_administration');
    }
    const after = (await s.admin.get(`/api/v1/admin/users/${actorUser.id}`)).body;
    assert.deepEqual(
      [after.firstName, after.active, after.hasPassword, after.updatedAt],
      [before.firstName, before.active, before.hasPassword, before.updatedAt],
    );
  });
});

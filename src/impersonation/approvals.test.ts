import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, strongPassword, type Client, type TestServer } from '../../test/harness.ts';
import { actAs, auditEvents, startImpersonation } from '../../test/impersonation-helpers.ts';
import {
  assign,
  createDomain,
  createGroup,
  setDomainOf,
  signedInPowerUser,
  uniqueName,
} from '../../test/orgs.ts';

// Issue 12 #3 (consent) and #4 (four eyes), R-IMP-17, over HTTP on the configured database.

describe('R-IMP-17: consent and four eyes before acting', () => {
  let s: TestServer;
  before(async () => {
    s = await startServer();
  });
  after(() => s.close());

  const setApproval = async (approval: object) => {
    const res = await s.admin.patch('/api/v1/admin/settings', { approval });
    assert.equal(res.status, 200, JSON.stringify(res.body));
  };
  const preview = async (c: Client, id: string) =>
    (await c.get(`/api/v1/admin/users/${id}/impersonation/preview`)).body.approvals;
  const ask = (c: Client, id: string, kind: string, durationMinutes = 30) =>
    c.post(`/api/v1/admin/users/${id}/impersonation/approvals`, {
      kind,
      reason: 'Ticket 7',
      durationMinutes,
    });
  const signIn = async (user: { primaryEmail: string }) => {
    const c = s.client();
    assert.equal((await c.login(user.primaryEmail, strongPassword)).status, 200);
    return c;
  };
  const consentLink = async (address: string) => {
    const mails = await s.services.database.db
      .selectFrom('outbox')
      .selectAll()
      .where('recipient', '=', address)
      .where('subject', 'like', '%asks to act as you%')
      .orderBy('created_at', 'desc')
      .execute();
    const m = /consent\?token=([A-Za-z0-9_-]{43})/.exec(mails[0]?.body_text ?? '');
    assert.ok(m, 'the mail carries the link');
    return m[1]!;
  };

  it('R-IMP-17: with every setting off, a start needs no approval (as before)', async () => {
    await setApproval({ consent: 'never', fourEyes: 'off' });
    const user = await s.createUser({ password: strongPassword });
    assert.deepEqual(await preview(s.admin, user.id), {
      consent: null,
      fourEyes: null,
      breakGlassAllowed: false,
    });
    assert.equal((await startImpersonation(s.admin, user.id)).status, 201);
    assert.equal((await ask(s.admin, user.id, 'consent')).body.code, 'approval_not_needed');
  });

  it('R-IMP-17: consent "always": refused without, asked by mail, approved from the link, one start', async () => {
    await setApproval({ consent: 'always', fourEyes: 'off' });
    const user = await s.createUser({ password: strongPassword });
    const refused = await startImpersonation(s.admin, user.id);
    assert.equal(refused.status, 403);
    assert.equal(refused.body.code, 'consent_required');
    assert.equal((await preview(s.admin, user.id)).consent, 'missing');

    const asked = await ask(s.admin, user.id, 'consent');
    assert.equal(asked.status, 201, JSON.stringify(asked.body));
    assert.equal((await preview(s.admin, user.id)).consent, 'pending');
    const token = await consentLink(user.primaryEmail);
    const inPlatform = await (await signIn(user)).get('/api/v1/account/notifications');
    assert.ok(!JSON.stringify(inPlatform.body).includes(token), 'the in-platform copy has no link');

    // The link alone decides nothing: without a session, or as someone else, it is not found.
    assert.equal(
      (await s.client().post('/api/v1/account/impersonation-requests/by-token', { token })).status,
      401,
    );
    const other = await s.signedInWith([]);
    const foreign = await other.client.post('/api/v1/account/impersonation-requests/by-token/decision', {
      token,
      decision: 'approve',
    });
    assert.equal(foreign.body.code, 'approval_not_found');

    const subject = await signIn(user);
    const shown = await subject.post('/api/v1/account/impersonation-requests/by-token', { token });
    assert.equal(shown.status, 200);
    assert.equal(shown.body.reason, 'Ticket 7');
    const yes = await subject.post('/api/v1/account/impersonation-requests/by-token/decision', {
      token,
      decision: 'approve',
    });
    assert.equal(yes.status, 200, JSON.stringify(yes.body));
    assert.equal(yes.body.status, 'approved');
    const again = await subject.post('/api/v1/account/impersonation-requests/by-token/decision', {
      token,
      decision: 'decline',
    });
    assert.equal(again.body.code, 'approval_not_found', 'the link is single use');
    assert.equal((await preview(s.admin, user.id)).consent, 'approved');

    const started = await startImpersonation(s.admin, user.id);
    assert.equal(started.status, 201, JSON.stringify(started.body));
    const [event] = await auditEvents(
      s,
      `impersonationId=${started.body.impersonationId}&action=impersonation.started`,
    );
    assert.equal(event.details.approvalIds.length, 1);
    assert.equal(event.details.breakGlass, false);
    assert.equal(
      (await startImpersonation(s.admin, user.id)).body.code,
      'consent_required',
      'good for one start',
    );
    const decided = await auditEvents(s, 'action=impersonation.approval_decided');
    assert.ok(decided.some((e) => e.details.approvalId === asked.body.id && e.details.via === 'mail_link'));
  });

  it('R-IMP-17: the user declines in the platform; an approval expires with its window', async () => {
    await setApproval({ consent: 'always', fourEyes: 'off', windowMinutes: 30 });
    const user = await s.createUser({ password: strongPassword });
    const asked = await ask(s.admin, user.id, 'consent');
    const subject = await signIn(user);
    const list = await subject.get('/api/v1/account/impersonation-requests');
    assert.deepEqual(
      list.body.items.map((i: { id: string }) => i.id),
      [asked.body.id],
    );
    const no = await subject.post(`/api/v1/account/impersonation-requests/${asked.body.id}/decision`, {
      decision: 'decline',
    });
    assert.equal(no.body.status, 'declined');
    assert.equal((await preview(s.admin, user.id)).consent, 'declined');
    assert.equal((await startImpersonation(s.admin, user.id)).body.code, 'consent_required');

    const second = await ask(s.admin, user.id, 'consent');
    await subject.post(`/api/v1/account/impersonation-requests/${second.body.id}/decision`, {
      decision: 'approve',
    });
    s.clock.advance(31 * 60_000);
    assert.equal((await startImpersonation(s.admin, user.id)).body.code, 'consent_required', 'expired');
    const late = await ask(s.admin, user.id, 'consent');
    s.clock.advance(31 * 60_000);
    const tooLate = await (
      await signIn(user)
    ).post(`/api/v1/account/impersonation-requests/${late.body.id}/decision`, {
      decision: 'approve',
    });
    assert.equal(tooLate.body.code, 'approval_decided');
  });

  it('R-IMP-17: consent "privileged" asks system administrators only; the actor cannot consent', async () => {
    await setApproval({ consent: 'privileged', fourEyes: 'off' });
    const plain = await s.createUser({ password: strongPassword });
    assert.equal((await startImpersonation(s.admin, plain.id)).status, 201);
    const { user: sysadmin } = await s.signedInWith(['users.read']);
    assert.equal((await startImpersonation(s.admin, sysadmin.id)).body.code, 'consent_required');
    const asked = await ask(s.admin, sysadmin.id, 'consent');
    const byActor = await s.admin.post(`/api/v1/account/impersonation-requests/${asked.body.id}/decision`, {
      decision: 'approve',
    });
    assert.equal(byActor.body.code, 'approval_not_found');
  });

  it('R-IMP-17: break-glass: superadmins only, with a reason, every superadmin and the user told', async () => {
    await setApproval({ consent: 'always', fourEyes: 'off' });
    const user = await s.createUser({ password: strongPassword });
    const other = await s.createUser({ password: strongPassword });
    assert.equal(
      (await s.admin.put(`/api/v1/admin/users/${other.id}/role`, { role: 'superadmin' })).status,
      200,
    );
    const noReason = await startImpersonation(s.admin, user.id, { reason: '', breakGlass: true } as object);
    assert.equal(noReason.status, 422);
    assert.ok(['break_glass_reason_required', 'reason_required'].includes(noReason.body.code));
    const { client: sys } = await s.signedInWith(['users.impersonate', 'users.read']);
    assert.equal(
      (await startImpersonation(sys, user.id, { breakGlass: true } as object)).body.code,
      'break_glass_not_allowed',
    );
    const started = await startImpersonation(s.admin, user.id, { breakGlass: true } as object);
    assert.equal(started.status, 201, JSON.stringify(started.body));
    const [event] = await auditEvents(
      s,
      `impersonationId=${started.body.impersonationId}&action=impersonation.started`,
    );
    assert.equal(event.details.breakGlass, true);
    for (const who of [user, other]) {
      const list = await (await signIn(who)).get('/api/v1/account/notifications');
      assert.ok(
        list.body.items.some((n: { type: string }) => n.type === 'impersonation.break_glass'),
        `${who.id} told at once`,
      );
    }
  });

  it('R-IMP-17: an administrator acting as the user can neither see nor give the consent', async () => {
    await setApproval({ consent: 'always', fourEyes: 'off' });
    const user = await s.createUser({ password: strongPassword });
    const { client: asker } = await s.signedInWith(['users.impersonate', 'users.read']);
    const asked = await ask(asker, user.id, 'consent');
    assert.equal(asked.status, 201, JSON.stringify(asked.body));
    await actAs(s.admin, user.id, { breakGlass: true } as object);
    assert.deepEqual((await s.admin.get('/api/v1/account/impersonation-requests')).body.items, []);
    const refused = await s.admin.post(`/api/v1/account/impersonation-requests/${asked.body.id}/decision`, {
      decision: 'approve',
    });
    assert.equal(refused.status, 403, JSON.stringify(refused.body));
    assert.equal((await s.admin.delete('/api/v1/impersonation')).status, 200);
    assert.equal((await startImpersonation(asker, user.id)).body.code, 'consent_required');
  });

  it('R-IMP-17 (R-OPS-05): many parallel starts with one approval make exactly one start', async () => {
    await setApproval({ consent: 'always', fourEyes: 'off' });
    const user = await s.createUser({ password: strongPassword });
    const asked = await ask(s.admin, user.id, 'consent');
    await (
      await signIn(user)
    ).post(`/api/v1/account/impersonation-requests/${asked.body.id}/decision`, {
      decision: 'approve',
    });
    const answers = await Promise.all(Array.from({ length: 8 }, () => startImpersonation(s.admin, user.id)));
    assert.equal(
      answers.filter((a) => a.status === 201).length,
      1,
      JSON.stringify(answers.map((a) => a.status)),
    );
    assert.ok(answers.filter((a) => a.status !== 201).every((a) => a.body.code === 'consent_required'));
  });

  it('R-IMP-17: four eyes "privileged": a second administrator approves, never the actor', async () => {
    await setApproval({ consent: 'never', fourEyes: 'privileged' });
    const plain = await s.createUser({ password: strongPassword });
    assert.equal((await startImpersonation(s.admin, plain.id)).status, 201, 'plain users need none');
    const { user: target } = await s.signedInWith(['users.read']);
    const { client: actor } = await s.signedInWith(['users.impersonate', 'users.read']);
    assert.equal((await startImpersonation(actor, target.id)).body.code, 'approval_required');
    const asked = await ask(actor, target.id, 'four_eyes');
    assert.equal(asked.status, 201, JSON.stringify(asked.body));
    const own = await actor.post(`/api/v1/admin/impersonation-approvals/${asked.body.id}/decision`, {
      decision: 'approve',
    });
    assert.equal(own.body.code, 'self_approval');
    const list = await s.admin.get('/api/v1/admin/impersonation-approvals');
    assert.ok(list.body.items.some((i: { id: string }) => i.id === asked.body.id));
    const ok = await s.admin.post(`/api/v1/admin/impersonation-approvals/${asked.body.id}/decision`, {
      decision: 'approve',
    });
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
    assert.equal((await startImpersonation(actor, target.id)).status, 201);
  });

  it('R-IMP-17, issue 12 #4: a four-eyes request notifies those who may approve it, in their language, and nobody else', async () => {
    await setApproval({ consent: 'never', fourEyes: 'privileged' });
    try {
      const { user: target } = await s.signedInWith(['users.read']);
      const { client: actor, user: actorUser } = await s.signedInWith(['users.impersonate', 'users.read']);
      const { client: approver, user: approverUser } = await s.signedInWith(
        ['users.impersonate', 'users.read'],
        { language: 'de' },
      );
      // Holds less than the user (no users.read): may not act as them, so may not approve either.
      const { client: outranked } = await s.signedInWith(['users.impersonate']);
      const told = async (c: Client) =>
        (
          (await c.get('/api/v1/account/notifications')).body.items as Array<{
            type: string;
            title: string;
            body: string;
          }>
        ).filter((n) => n.type === 'impersonation.approval_requested');
      const asked = await ask(actor, target.id, 'four_eyes');
      assert.equal(asked.status, 201, JSON.stringify(asked.body));

      const [de] = await told(approver);
      assert.ok(de, 'the second administrator is told at once');
      assert.match(de.title, /Vier-Augen-Prinzip/);
      assert.ok(de.title.includes(actorUser.lastName), de.title);
      assert.match(de.body, /Ticket 7/);
      const [en] = await told(s.admin);
      assert.ok(en, 'a superadmin may approve too');
      assert.match(en.title, /^Four eyes: /);
      assert.deepEqual(await told(actor), [], 'not the requester');
      assert.deepEqual(await told(await signIn(target)), [], 'not the user');
      assert.deepEqual(await told(outranked), [], 'not who may not act as the user');

      // The mail, as for every notification while e-mail notifications are on (R-IMP-09).
      const { notifications } = (await s.admin.get('/api/v1/admin/settings')).body;
      const mails = await s.services.database.db
        .selectFrom('outbox')
        .select(['subject', 'kind'])
        .where('recipient', '=', approverUser.primaryEmail)
        .where('subject', 'like', 'Vier-Augen-Prinzip%')
        .execute();
      assert.equal(mails.length, notifications.emailEnabled ? 1 : 0, JSON.stringify(mails));

      // A consent request asks the user, not the administrators.
      await setApproval({ consent: 'always', fourEyes: 'off' });
      const plain = await s.createUser({ password: strongPassword });
      assert.equal((await ask(actor, plain.id, 'consent')).status, 201);
      assert.equal((await told(approver)).length, 1, 'no second notification');
    } finally {
      await setApproval({ consent: 'never', fourEyes: 'off' });
    }
  });

  it('R-IMP-17, issue 12 #4: of several power users, a four-eyes request notifies exactly those whose reach holds the user', async () => {
    const member = await s.createUser({ password: strongPassword });
    const group = await createGroup(s, uniqueName('Four eyes'), [member.id]);
    const domain = await createDomain(s, uniqueName('Four eyes'));
    const elsewhere = await createDomain(s, uniqueName('Elsewhere'));
    await setDomainOf(s, member.id, domain.id);
    await setApproval({ consent: 'never', fourEyes: 'privileged-and-group', fourEyesGroupId: group.id });
    try {
      const powerUser = async (resources: Parameters<typeof assign>[2]) => {
        const p = await signedInPowerUser(s);
        await assign(s, p.user.id, resources);
        return p.client;
      };
      const may = {
        byUser: await powerUser({ users: [member.id] }),
        byGroup: await powerUser({ groups: [group.id] }),
        byDomain: await powerUser({ domains: [domain.id] }),
        system: (await s.signedInWith(['users.impersonate'])).client,
        superadmin: s.admin,
      };
      const mayNot = {
        unassigned: await powerUser({ users: [(await s.createUser()).id] }),
        // Assigned the user, but restricted to a domain the user is not in (issue 10 #1).
        otherDomain: await powerUser({ users: [member.id], domains: [elsewhere.id] }),
        withoutImpersonate: (await s.signedInWith(['users.read'])).client,
      };
      const { client: actor } = await s.signedInWith(['users.impersonate']);
      const asked = await actor.post(`/api/v1/admin/users/${member.id}/impersonation/approvals`, {
        kind: 'four_eyes',
        reason: 'Ticket 4711',
        durationMinutes: 30,
      });
      assert.equal(asked.status, 201, JSON.stringify(asked.body));

      const told = async (c: Client) =>
        ((await c.get('/api/v1/account/notifications')).body.items as Array<{ type: string; body: string }>)
          .filter((n) => n.type === 'impersonation.approval_requested')
          .filter((n) => n.body.includes('Ticket 4711')).length;
      const answers = async (clients: Record<string, Client>) =>
        Object.fromEntries(
          await Promise.all(Object.entries(clients).map(async ([k, c]) => [k, await told(c)])),
        );
      assert.deepEqual(await answers(may), { byUser: 1, byGroup: 1, byDomain: 1, system: 1, superadmin: 1 });
      assert.deepEqual(await answers(mayNot), { unassigned: 0, otherDomain: 0, withoutImpersonate: 0 });
      assert.equal(await told(actor), 0, 'not the requester');
    } finally {
      await setApproval({ consent: 'never', fourEyes: 'off', fourEyesGroupId: null });
    }
  });

  it('R-IMP-17: four eyes "privileged-and-group" adds the group\'s members', async () => {
    const group = await s.admin.post('/api/v1/admin/groups', { name: `Sensitive ${Date.now()}` });
    assert.equal(group.status, 201, JSON.stringify(group.body));
    const member = await s.createUser({ password: strongPassword });
    const put = await s.admin.put(`/api/v1/admin/groups/${group.body.id}/members`, { users: [member.id] });
    assert.ok(put.status < 300, JSON.stringify(put.body));
    await setApproval({ consent: 'never', fourEyes: 'privileged-and-group', fourEyesGroupId: group.body.id });
    assert.equal((await startImpersonation(s.admin, member.id)).body.code, 'approval_required');
    const outsider = await s.createUser({ password: strongPassword });
    assert.equal((await startImpersonation(s.admin, outsider.id)).status, 201);
    await setApproval({ consent: 'never', fourEyes: 'off', fourEyesGroupId: null });
  });
});

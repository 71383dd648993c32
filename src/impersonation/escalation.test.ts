import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Client, startServer, strongPassword, type TestServer } from '../../test/harness.ts';
import { actAs, auditEvents, startImpersonation } from '../../test/impersonation-helpers.ts';
import { assign, createDomain, makeRole, setDomainOf } from '../../test/orgs.ts';

// R-IMP-02 over HTTP: no escalation over any right a user holds (issue 7 #5), and power users
// who are system administrators too (issue 7 #6). The rule itself is tabled in rule.test.ts.

/** A user with these rights (and optionally a role), signed in in their own client. */
async function signedIn(
  s: TestServer,
  rights: { general?: string[]; system?: string[]; role?: 'power-user' },
): Promise<{ client: Client; user: any }> {
  const user = await s.createUser({ password: strongPassword });
  if (rights.role) await makeRole(s, user.id, rights.role);
  await grant(s, user.id, rights);
  const client = s.client();
  const login = await client.login(user.primaryEmail, strongPassword);
  assert.equal(login.status, 200, JSON.stringify(login.body));
  return { client, user };
}

async function grant(s: TestServer, userId: string, rights: { general?: string[]; system?: string[] }) {
  const res = await s.admin.put(`/api/v1/admin/users/${userId}/permissions`, {
    general: rights.general ?? [],
    system: rights.system ?? [],
  });
  assert.equal(res.status, 200, JSON.stringify(res.body));
}

const sysadmin = ['users.read', 'users.impersonate'];

describe('issue 7 #5, #6: who may act as whom, over every right and both administrator roles', () => {
  let s: TestServer;
  before(async () => {
    s = await startServer();
  });
  after(() => s.close());

  it('issue 7 #5: R-IMP-02 a system administrator without "support" cannot act as a user who has it', async () => {
    const { client: actor } = await signedIn(s, { system: sysadmin });
    const supporter = await s.createUser();
    await grant(s, supporter.id, { general: ['support'] });
    const preview = await actor.get(`/api/v1/admin/users/${supporter.id}/impersonation/preview`);
    assert.deepEqual([preview.body.allowed, preview.body.code], [false, 'escalation']);
    const refused = await startImpersonation(actor, supporter.id);
    assert.equal(refused.status, 403);
    assert.equal(refused.body.code, 'escalation');
    const started = await auditEvents(s, `targetId=${supporter.id}&action=impersonation.started`);
    assert.equal(started.length, 0, 'nothing was started');

    const { client: peer } = await signedIn(s, { general: ['support', 'help'], system: sysadmin });
    assert.equal((await startImpersonation(peer, supporter.id)).status, 201, 'holding it, they may');
  });

  it('issue 7 #5: R-IMP-02 a running impersonation ends when the subject gains a right the actor lacks', async () => {
    const { client: actor } = await signedIn(s, { system: sysadmin });
    const subject = await s.createUser();
    const { impersonationId } = await actAs(actor, subject.id);
    await grant(s, subject.id, { general: ['help'] });
    assert.equal(
      (await actor.get('/api/v1/session?acting=true')).status,
      401,
      'the acting tab is signed out',
    );
    const ended = await auditEvents(s, `impersonationId=${impersonationId}&action=impersonation.ended`);
    assert.equal(ended.length, 1);
    assert.equal(ended[0].details.reason, 'revoked');
  });

  it('issue 7 #6: R-IMP-02 a power user with a system permission still acts as their assigned users', async () => {
    const { client: power, user } = await signedIn(s, { role: 'power-user', system: ['audit.read'] });
    const assigned = await s.createUser();
    const unassigned = await s.createUser();
    await assign(s, user.id, { users: [assigned.id] });
    const preview = await power.get(`/api/v1/admin/users/${assigned.id}/impersonation/preview`);
    assert.equal(preview.body.allowed, true, JSON.stringify(preview.body));
    await actAs(power, assigned.id, { origin: 'power-users' });
    assert.equal((await power.delete('/api/v1/impersonation')).status, 200);
    const outside = await startImpersonation(power, unassigned.id);
    assert.equal(outside.status, 403);
    assert.equal(outside.body.code, 'not_assigned', 'the power-user path refuses, not missing_permission');
    // Neither path escalates: an assigned user with a right the power user lacks stays out of reach.
    await grant(s, assigned.id, { system: ['users.delete'] });
    assert.equal((await startImpersonation(power, assigned.id)).body.code, 'escalation');
  });

  it('issue 7 #6: R-IMP-02 with users.impersonate too, a power user reaches the union of both paths', async () => {
    const { client: power, user } = await signedIn(s, { role: 'power-user', system: sysadmin });
    const assigned = await s.createUser();
    const unassigned = await s.createUser();
    await assign(s, user.id, { users: [assigned.id] });
    await actAs(power, assigned.id);
    assert.equal((await power.delete('/api/v1/impersonation')).status, 200);
    await actAs(power, unassigned.id);
    assert.equal((await power.delete('/api/v1/impersonation')).status, 200);
    const otherPower = await s.createUser();
    await makeRole(s, otherPower.id, 'power-user');
    assert.notEqual((await startImpersonation(power, otherPower.id)).status, 201, 'never another power user');
  });
});

describe('issue 7 #6: mixed roles with domains in use', () => {
  let s: TestServer;
  before(async () => {
    s = await startServer();
  });
  after(() => s.close());

  it('issue 7 #6: R-IMP-02 only the power-user path needs a domain; the system path needs none', async () => {
    const domain = await createDomain(s, 'Filiale Ost');
    const member = await s.createUser();
    await setDomainOf(s, member.id, domain.id);
    const { client: scoped, user: scopedUser } = await signedIn(s, {
      role: 'power-user',
      system: ['audit.read'],
    });
    await assign(s, scopedUser.id, { domains: [domain.id] });
    assert.equal((await startImpersonation(scoped, member.id)).body.code, 'domain_required');
    const started = await startImpersonation(scoped, member.id, { domainId: domain.id });
    assert.equal(started.status, 201, JSON.stringify(started.body));

    const { client: both } = await signedIn(s, { role: 'power-user', system: sysadmin });
    const preview = await both.get(`/api/v1/admin/users/${member.id}/impersonation/preview`);
    assert.equal(preview.body.domainRequired, false);
    assert.equal((await startImpersonation(both, member.id)).status, 201);
  });
});

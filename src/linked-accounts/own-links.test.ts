import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { adminEmail, adminPassword, startServer, type Client, type TestServer } from '../../test/harness.ts';
import { actAs, auditEvents } from '../../test/impersonation-helpers.ts';
import { createDomain, setDomainOf, uniqueName } from '../../test/orgs.ts';
import {
  adminId,
  createLoginService,
  linkAccount,
  linkDirectly,
  setShownOnSignIn,
} from '../../test/login-services.ts';

// R-ADM-16: linked accounts in My Profile: the list, the services one may link, removal and
// the refusal to remove the last way to sign in; R-IMP-04: blocked while acting.

const mine = '/api/v1/account/linked-accounts';

describe('my linked accounts', () => {
  let s: TestServer;
  before(async () => {
    s = await startServer();
  });
  after(() => s.close());

  /** A signed-in user; `password: false` then drops the password (their session goes on). */
  async function signedInUser(options: { password?: boolean } = {}): Promise<{ c: Client; user: any }> {
    const { client, user } = await s.signedInWith([]);
    if (options.password === false) {
      await s.services.database.db
        .updateTable('users')
        .set({ password_hash: null })
        .where('id', '=', user.id)
        .execute();
    }
    return { c: client, user };
  }

  it('R-ADM-16: the list shows service, identifier, e-mail, linked at and last used; linkable services respect linking and domains', async () => {
    const domain = await createDomain(s, uniqueName('Campus'));
    const otherDomain = await createDomain(s, uniqueName('Elsewhere'));
    const open = await createLoginService(s, { displayName: uniqueName('Open') });
    const closed = await createLoginService(s, { displayName: uniqueName('Closed'), allowLinking: false });
    const ours = await createLoginService(s, { displayName: uniqueName('Ours'), domainId: domain.id });
    const theirs = await createLoginService(s, {
      displayName: uniqueName('Theirs'),
      domainId: otherDomain.id,
    });
    const { c, user } = await signedInUser();
    await setDomainOf(s, user.id, domain.id);
    const link = await linkAccount(s, user.id, closed.id, 'subject-1');

    const res = await c.get(mine);
    assert.equal(res.status, 200);
    assert.deepEqual(res.body.items, [link]);
    for (const key of ['serviceName', 'subject', 'email', 'linkedAt', 'lastUsedAt'])
      assert.ok(key in res.body.items[0], key);
    const linkable = res.body.linkable.map((l: any) => l.id);
    assert.ok(linkable.includes(open.id), 'linking allowed, no domain');
    assert.ok(linkable.includes(ours.id), "restricted to the user's domain");
    assert.ok(!linkable.includes(closed.id), 'linking not allowed');
    assert.ok(!linkable.includes(theirs.id), 'restricted to another domain');
    assert.equal((await s.client().get(mine)).status, 401);
  });

  it('R-ADM-16: removing a link; the last way to sign in is refused with 409 last_sign_in_method', async () => {
    const shown = await createLoginService(s);
    const hidden = await createLoginService(s, { showOnSignIn: false });
    const { c, user } = await signedInUser({ password: false });
    const a = await linkAccount(s, user.id, shown.id, `a-${user.id}`);
    const b = await linkAccount(s, user.id, shown.id, `b-${user.id}`);
    const h = await linkAccount(s, user.id, hidden.id, `h-${user.id}`);

    assert.equal((await c.delete(`${mine}/${a.id}`)).status, 204, 'another shown link remains');
    const last = await c.delete(`${mine}/${b.id}`);
    assert.equal(last.status, 409);
    assert.equal(last.body.code, 'last_sign_in_method');
    assert.equal((await c.delete(`${mine}/${h.id}`)).status, 204, 'a link at a hidden service is no way in');
    assert.deepEqual(
      (await c.get(mine)).body.items.map((l: any) => l.id),
      [b.id],
    );
    const unknown = await c.delete(`${mine}/${a.id}`);
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.code, 'linked_account_not_found');
    assert.ok(
      (await auditEvents(s, `targetId=${user.id}`)).some(
        (e) => e.action === 'account.linked_account_removed',
      ),
    );

    // Once the service leaves the sign-in page, the link is no way in, so it may go.
    await setShownOnSignIn(s, shown.id, false);
    assert.equal((await c.delete(`${mine}/${b.id}`)).status, 204);
  });

  it("R-ADM-16: another user's link is not found", async () => {
    const service = await createLoginService(s);
    const { user: other } = await signedInUser();
    const theirs = await linkAccount(s, other.id, service.id, `t-${other.id}`);
    const { c } = await signedInUser();
    const res = await c.delete(`${mine}/${theirs.id}`);
    assert.equal(res.status, 404);
    assert.equal((await s.admin.get(`/api/v1/admin/users/${other.id}/linked-accounts`)).body.items.length, 1);
  });

  it('R-ADM-16: with a password the last link may go, unless password login is switched off', async () => {
    const service = await createLoginService(s);
    const { c, user } = await signedInUser();
    const first = await linkAccount(s, user.id, service.id, `p1-${user.id}`);
    assert.equal((await c.delete(`${mine}/${first.id}`)).status, 204);

    const second = await linkAccount(s, user.id, service.id, `p2-${user.id}`);
    // R-ADM-17: the superadmin can still sign in through the shown service.
    await linkDirectly(s, await adminId(s), service.id, `admin-${user.id}`);
    const off = await s.admin.patch('/api/v1/admin/settings', { login: { passwordLoginEnabled: false } });
    assert.equal(off.status, 200, JSON.stringify(off.body));
    try {
      const refused = await c.delete(`${mine}/${second.id}`);
      assert.equal(refused.status, 409);
      assert.equal(refused.body.code, 'last_sign_in_method');
    } finally {
      await s.admin.patch('/api/v1/admin/settings', { login: { passwordLoginEnabled: true } });
    }
    assert.equal((await c.delete(`${mine}/${second.id}`)).status, 204);
  });

  it('R-ADM-16: two parallel removals of the last two ways in: one goes, one is refused', async () => {
    const service = await createLoginService(s);
    for (let round = 0; round < 3; round++) {
      const { c, user } = await signedInUser({ password: false });
      const a = await linkAccount(s, user.id, service.id, `r${round}a-${user.id}`);
      const b = await linkAccount(s, user.id, service.id, `r${round}b-${user.id}`);
      const answers = await Promise.all([c.delete(`${mine}/${a.id}`), c.delete(`${mine}/${b.id}`)]);
      const statuses = answers.map((r) => r.status).sort();
      assert.deepEqual(statuses, [204, 409], JSON.stringify(answers.map((r) => r.body)));
      assert.equal((await c.get(mine)).body.items.length, 1, 'one way in is left');
    }
  });

  it('R-IMP-04: while acting as the user, removing a link is refused with blocked_during_impersonation', async () => {
    const service = await createLoginService(s);
    const { user } = await signedInUser();
    const link = await linkAccount(s, user.id, service.id, `acted-${user.id}`);
    const admin = s.client();
    await admin.login(adminEmail, adminPassword);
    await actAs(admin, user.id);
    const session = await admin.get('/api/v1/session');
    assert.ok(session.body.blockedCapabilities.includes('linked_accounts.change'));
    assert.equal((await admin.get(mine)).status, 200, 'reading is fine');
    const res = await admin.delete(`${mine}/${link.id}`);
    assert.equal(res.status, 403);
    assert.equal(res.body.code, 'blocked_during_impersonation');
    assert.equal((await s.admin.get(`/api/v1/admin/users/${user.id}/linked-accounts`)).body.items.length, 1);
  });
});

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { adminEmail, adminPassword, startServer, type Client, type TestServer } from '../../test/harness.ts';
import { actAs, auditEvents } from '../../test/impersonation-helpers.ts';
import type { TestIdp } from '../../test/idp.ts';
import { addService, idpFor, signInWith, throughProvider } from '../../test/login-service-flows.ts';

// Linking an account of a login service from My Profile (issue 8, R-ADM-16): the flow is bound
// to the session that started it, refused while acting, no mail.

describe('linking a login service from My Profile (issue 8)', () => {
  let s: TestServer;
  let idp: TestIdp;
  let service: any;
  let n = 0;
  before(async () => {
    s = await startServer();
    idp = await idpFor(s);
    service = await addService(s, idp, { allowLinking: true });
  });
  after(async () => {
    await idp.close();
    await s.close();
  });

  function nextSubject(): string {
    const sub = `link-sub-${++n}`;
    idp.addAccount({ sub, email: `${sub}@provider.test` });
    idp.signInAs(sub);
    return sub;
  }

  async function startLink(client: Client, serviceId = service.id, returnTo = '/profile') {
    const res = await client.get(
      `/api/v1/account/linked-accounts/link/${serviceId}?returnTo=${encodeURIComponent(returnTo)}`,
    );
    assert.equal(res.status, 302);
    return res.headers.get('location')!;
  }

  async function linksOf(userId: string) {
    return s.services.database.db
      .selectFrom('linked_accounts')
      .selectAll()
      .where('user_id', '=', userId)
      .execute();
  }

  it('R-ADM-16: a signed-in user links an account, audited without a mail, and then signs in with it', async () => {
    const { client, user } = await s.signedInWith([]);
    const sub = nextSubject();
    const mailsBefore = await s.services.database.db.selectFrom('outbox').selectAll().execute();
    const callback = await throughProvider(await startLink(client));
    const done = await client.get(callback);
    assert.equal(done.status, 302);
    assert.equal(done.headers.get('location'), '/profile?linkedAccount=linked');
    const [link] = await linksOf(user.id);
    assert.equal(link?.subject, sub);
    assert.equal(link?.linked_via, 'profile');
    assert.equal(link?.email, `${sub}@provider.test`);
    const [event] = (await auditEvents(s, 'action=linked_account.linked')).filter(
      (e) => e.target.id === user.id,
    );
    assert.equal(event?.details.linkedVia, 'profile');
    const mailsAfter = await s.services.database.db.selectFrom('outbox').selectAll().execute();
    assert.equal(mailsAfter.length, mailsBefore.length, 'no mail');
    idp.signInAs(sub);
    const fresh = s.client();
    const signedIn = await signInWith(fresh, service.id, '/');
    assert.equal(signedIn.location, '/');
    assert.equal((await fresh.get('/api/v1/session')).body.user.id, user.id);
  });

  it("R-ADM-16: the callback links only in the session that started it; another session's or none links nothing", async () => {
    const { client: starter, user } = await s.signedInWith([]);
    const { client: someoneElse, user: other } = await s.signedInWith([]);
    nextSubject();
    const callback = await throughProvider(await startLink(starter));
    const stolen = await someoneElse.get(callback);
    assert.equal(stolen.headers.get('location'), '/profile?linkedAccountError=login_service_failed');
    assert.equal((await linksOf(other.id)).length, 0);
    assert.equal((await linksOf(user.id)).length, 0, 'the flow is used up, linking nobody');

    nextSubject();
    const anonymous = await s.client().get(await throughProvider(await startLink(starter)));
    assert.equal(anonymous.headers.get('location'), '/profile?linkedAccountError=login_service_failed');
    assert.equal((await linksOf(user.id)).length, 0);
  });

  it('R-ADM-11: an account linked to another profile is refused with linked_account_taken', async () => {
    const { client: first } = await s.signedInWith([]);
    const sub = nextSubject();
    await first.get(await throughProvider(await startLink(first)));
    const { client: second, user } = await s.signedInWith([]);
    idp.signInAs(sub);
    const res = await second.get(await throughProvider(await startLink(second)));
    assert.equal(res.headers.get('location'), '/profile?linkedAccountError=linked_account_taken');
    assert.equal((await linksOf(user.id)).length, 0);
  });

  it('R-ADM-11: many profiles linking the same account at once: exactly one gets it, the others a clear refusal', async () => {
    const sub = nextSubject();
    const people = await Promise.all(Array.from({ length: 5 }, () => s.signedInWith([])));
    // Each has been through the provider; the callbacks then arrive together.
    const callbacks: string[] = [];
    for (const p of people) {
      idp.signInAs(sub);
      callbacks.push(await throughProvider(await startLink(p.client)));
    }
    const answers = await Promise.all(people.map((p, i) => p.client.get(callbacks[i]!)));
    const locations = answers.map((a) => a.headers.get('location'));
    assert.equal(
      locations.filter((l) => l === '/profile?linkedAccount=linked').length,
      1,
      JSON.stringify(locations),
    );
    assert.equal(
      locations.filter((l) => l === '/profile?linkedAccountError=linked_account_taken').length,
      people.length - 1,
      JSON.stringify(locations),
    );
    const links = await s.services.database.db
      .selectFrom('linked_accounts')
      .selectAll()
      .where('subject', '=', sub)
      .execute();
    assert.equal(links.length, 1);
  });

  it('R-ADM-16: a service that does not allow linking, no session, and acting are refused', async () => {
    const closed = await addService(s, idp, { displayName: 'No linking', allowLinking: false });
    const { client, user } = await s.signedInWith([]);
    assert.equal(await startLink(client, closed.id), '/profile?linkedAccountError=login_service_disabled');
    assert.equal(await startLink(s.client()), '/profile?linkedAccountError=not_authenticated');
    const admin = s.client();
    assert.equal((await admin.login(adminEmail, adminPassword)).status, 200);
    await actAs(admin, user.id);
    assert.equal(await startLink(admin), '/profile?linkedAccountError=blocked_during_impersonation');
    assert.equal((await linksOf(user.id)).length, 0);
  });

  it('R-ADM-16: returnTo stays on this site', async () => {
    const { client } = await s.signedInWith([]);
    const closed = await addService(s, idp, { displayName: 'Closed', allowLinking: false });
    for (const evil of ['https://evil.test/x', '//evil.test/x', '/\\evil.test'])
      assert.equal(
        await startLink(client, closed.id, evil),
        '/profile?linkedAccountError=login_service_disabled',
        evil,
      );
  });
});

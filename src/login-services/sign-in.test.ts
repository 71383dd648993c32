import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, strongPassword, type TestServer } from '../../test/harness.ts';
import { auditEvents } from '../../test/impersonation-helpers.ts';
import { createDomain, uniqueName } from '../../test/orgs.ts';
import type { TestIdp } from '../../test/idp.ts';
import {
  addService,
  idpFor,
  linkDirectly,
  queryOf,
  signInWith,
  start,
  throughProvider,
} from '../../test/login-service-flows.ts';

// Signing in with a login service (issue 8, R-ADM-11, R-ADM-17): two real providers
// (oidc-provider) on loopback ports, Behalf as the relying party (openid-client), the browser's
// redirects followed by hand.

describe('signing in with a login service (issue 8)', () => {
  let s: TestServer;
  let idp: TestIdp;
  let other: TestIdp;
  let service: any;
  let otherService: any;
  let n = 0;
  before(async () => {
    s = await startServer();
    idp = await idpFor(s, 'one');
    other = await idpFor(s, 'two');
    service = await addService(s, idp, { displayName: 'One' });
    otherService = await addService(s, other, { displayName: 'Two' });
  });
  after(async () => {
    await idp.close();
    await other.close();
    await s.close();
  });

  /** A user linked to a fresh subject at `idp`, who signs in as that subject next. */
  async function linkedUser(overrides: Record<string, unknown> = {}, at = service, provider = idp) {
    const user = await s.createUser(overrides);
    const sub = `sub-${++n}`;
    provider.addAccount({ sub, email: user.primaryEmail, emailVerified: true });
    await linkDirectly(s, user.id, at.id, sub);
    provider.signInAs(sub);
    return { user, sub };
  }

  async function sessionOf(client: ReturnType<TestServer['client']>) {
    return client.get('/api/v1/session');
  }

  it('R-ADM-11: a linked user signs in and lands on returnTo; audited, last used recorded', async () => {
    const { user } = await linkedUser();
    const c = s.client();
    const end = await signInWith(c, service.id, '/profile');
    assert.equal(end.status, 302);
    assert.equal(end.location, '/profile');
    const session = await sessionOf(c);
    assert.equal(session.status, 200);
    assert.equal(session.body.user.id, user.id);
    const [event] = (await auditEvents(s, 'action=auth.login')).filter((e) => e.user?.id === user.id);
    assert.equal(event?.details.loginService, service.id, 'the login names the service');
    const link = await s.services.database.db
      .selectFrom('linked_accounts')
      .selectAll()
      .where('user_id', '=', user.id)
      .executeTakeFirstOrThrow();
    assert.equal(Number(link.last_used_at), s.clock.now());
  });

  it('R-ADM-11: an unknown subject signs nobody in and creates nobody; an e-mail match alone links nothing', async () => {
    const user = await s.createUser();
    // The provider vouches for the address, but the service does not allow linking by e-mail.
    idp.addAccount({ sub: 'stranger', email: user.primaryEmail, emailVerified: true });
    idp.signInAs('stranger');
    const before = await s.services.database.db
      .selectFrom('users')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    const c = s.client();
    const end = await signInWith(c, service.id, '/');
    assert.equal(end.location.split('?')[0], '/sign-in');
    assert.deepEqual(queryOf(end.location), { loginServiceError: 'linked_account_unknown', returnTo: '/' });
    assert.equal((await sessionOf(c)).status, 401);
    const afterCount = await s.services.database.db
      .selectFrom('users')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    assert.equal(Number(afterCount.n), Number(before.n), 'nobody created');
    const links = await s.services.database.db
      .selectFrom('linked_accounts')
      .selectAll()
      .where('subject', '=', 'stranger')
      .execute();
    assert.equal(links.length, 0, 'nobody linked');
  });

  it('R-ADM-11: with linkByVerifiedEmail, a verified address held verified by one profile links it, audited', async () => {
    const emailService = await addService(s, idp, { displayName: 'By e-mail', linkByVerifiedEmail: true });
    const user = await s.createUser();
    const verify = await s.admin.post(`/api/v1/admin/users/${user.id}/emails/${user.emails[0].id}/verify`);
    assert.ok(verify.status < 300, JSON.stringify(verify.body));
    // Not verified at the provider: no link.
    idp.addAccount({ sub: 'mail-unverified', email: user.primaryEmail, emailVerified: false });
    idp.signInAs('mail-unverified');
    const refused = await signInWith(s.client(), emailService.id, '/');
    assert.equal(queryOf(refused.location).loginServiceError, 'linked_account_unknown');
    // Verified at the provider and in exactly one profile: linked and signed in.
    idp.addAccount({ sub: 'mail-verified', email: user.primaryEmail.toUpperCase(), emailVerified: true });
    idp.signInAs('mail-verified');
    const c = s.client();
    const end = await signInWith(c, emailService.id, '/');
    assert.equal(end.location, '/');
    assert.equal((await sessionOf(c)).body.user.id, user.id);
    const [event] = (await auditEvents(s, 'action=linked_account.linked')).filter(
      (e) => e.target.id === user.id,
    );
    assert.equal(event?.details.linkedVia, 'email');
    // The same address at the service that does not allow it still links nothing.
    idp.signInAs('mail-verified');
    const elsewhere = await signInWith(s.client(), service.id, '/');
    assert.equal(queryOf(elsewhere.location).loginServiceError, 'linked_account_unknown');
  });

  it('R-ADM-14: an inactive or locked account is refused, as at password sign-in', async () => {
    const { user } = await linkedUser({ password: strongPassword });
    await s.admin.patch(`/api/v1/admin/users/${user.id}`, { active: false });
    const inactive = await signInWith(s.client(), service.id, '/');
    assert.equal(queryOf(inactive.location).loginServiceError, 'account_inactive');
    await s.admin.patch(`/api/v1/admin/users/${user.id}`, { active: true });

    const set = await s.admin.patch('/api/v1/admin/settings', {
      lockout: { threshold: 3, durationSeconds: 600 },
    });
    assert.equal(set.status, 200);
    const c = s.client();
    for (let i = 0; i < 3; i++) await c.login(user.primaryEmail, 'Wrong-password-1');
    const locked = await signInWith(c, service.id, '/');
    assert.equal(queryOf(locked.location).loginServiceError, 'account_locked');
    assert.equal((await sessionOf(c)).status, 401);
    s.clock.advance(601_000);
    const later = await signInWith(c, service.id, '/');
    assert.equal(later.location, '/', 'the lock lifts as it does for passwords');
  });

  it("R-ADM-13: the second factor applies; the provider's MFA counts only where the service trusts it", async () => {
    const { user, sub } = await linkedUser();
    const put = await s.admin.put(`/api/v1/admin/users/${user.id}/two-factor`, { method: 'email' });
    assert.equal(put.status, 200, JSON.stringify(put.body));
    idp.signInAs(sub, { amr: ['pwd', 'mfa'] });
    const c = s.client();
    const end = await signInWith(c, service.id, '/admin/users');
    assert.equal(end.location.split('?')[0], '/admin/sign-in');
    assert.deepEqual(queryOf(end.location), { secondFactor: 'email', returnTo: '/admin/users' });
    assert.equal((await sessionOf(c)).status, 401, 'no session before the code');
    const row = await s.services.database.db
      .selectFrom('outbox')
      .select('body_text')
      .where('recipient', '=', user.primaryEmail)
      .orderBy('created_at', 'desc')
      .executeTakeFirstOrThrow();
    const code = /(\d{6})/.exec(row.body_text)![1]!;
    const done = await c.post('/api/v1/auth/login/second-factor', { code });
    assert.equal(done.status, 200, JSON.stringify(done.body));
    assert.equal((await sessionOf(c)).body.user.id, user.id);

    const trusting = await addService(s, idp, { displayName: 'Trusting', trustProviderMfa: true });
    await linkDirectly(s, user.id, trusting.id, sub);
    idp.signInAs(sub, { amr: ['pwd'] });
    const single = await signInWith(s.client(), trusting.id, '/');
    assert.equal(queryOf(single.location).secondFactor, 'email', 'one factor at the provider is not enough');
    idp.signInAs(sub, { amr: ['pwd', 'otp'] });
    const t = s.client();
    const multi = await signInWith(t, trusting.id, '/');
    assert.equal(multi.location, '/', "the provider's MFA is trusted");
    assert.equal((await sessionOf(t)).body.user.id, user.id);
  });

  it('R-ADM-11: a replayed callback signs in nobody (also when sent many times at once)', async () => {
    await linkedUser();
    const c = s.client();
    const location = await start(c, service.id, '/');
    const callback = await throughProvider(location);
    const replays = await Promise.all(Array.from({ length: 6 }, () => s.client().get(callback)));
    const won = replays.filter((r) => r.headers.get('location') === '/');
    assert.equal(won.length, 1, 'exactly one callback finishes the flow');
    for (const r of replays.filter((x) => x !== won[0]))
      assert.equal(queryOf(r.headers.get('location')!).loginServiceError, 'login_service_failed');
    const again = await c.get(callback);
    assert.equal(queryOf(again.headers.get('location')!).loginServiceError, 'login_service_failed');
    assert.equal((await sessionOf(c)).status, 401);
  });

  it('R-ADM-11: a tampered state, nonce or PKCE verifier fails, and so does an expired flow', async () => {
    await linkedUser();
    const db = s.services.database.db;
    const tamper = async (change: 'state' | 'nonce' | 'code_verifier' | 'expired') => {
      const c = s.client();
      const location = await start(c, service.id, '/');
      const callback = await throughProvider(location);
      const url = new URL(callback, s.url);
      if (change === 'state') url.searchParams.set('state', 'forged-state');
      else if (change === 'expired') s.clock.advance(10 * 60_000 + 1);
      else
        await db
          .updateTable('login_service_flows')
          .set({ [change]: 'tampered-value-'.padEnd(50, 'x') })
          .execute();
      const res = await c.get(`${url.pathname}${url.search}`);
      assert.equal(queryOf(res.headers.get('location')!).loginServiceError, 'login_service_failed', change);
      assert.equal((await sessionOf(c)).status, 401, change);
    };
    await tamper('state');
    await tamper('nonce');
    await tamper('code_verifier');
    await tamper('expired');
  });

  it("R-ADM-11: an answer of the other provider (mix-up) is refused at this service's callback", async () => {
    await linkedUser();
    const { sub } = await linkedUser({}, otherService, other);
    other.signInAs(sub);
    const c = s.client();
    // The other provider's code (and its iss), delivered with a flow of this service.
    const theirs = new URL(await throughProvider(await start(s.client(), otherService.id, '/')), s.url);
    for (const withIss of [true, false]) {
      const state = new URL(await start(c, service.id, '/')).searchParams.get('state')!;
      const forged = new URL(`/api/v1/auth/login-services/${service.id}/callback`, s.url);
      forged.searchParams.set('code', theirs.searchParams.get('code')!);
      forged.searchParams.set('state', state);
      if (withIss) forged.searchParams.set('iss', theirs.searchParams.get('iss')!);
      const res = await c.get(`${forged.pathname}${forged.search}`);
      assert.equal(queryOf(res.headers.get('location')!).loginServiceError, 'login_service_failed');
      assert.equal((await sessionOf(c)).status, 401);
      const [event] = await auditEvents(s, 'action=auth.login_failed&limit=1');
      assert.match(
        String(event?.details.reason),
        /iss/i,
        `refused for the issuer (${withIss ? 'wrong' : 'no'} iss)`,
      );
    }
  });

  it('R-ADM-17: a disabled service and a provider that is down fail with a clear code, never a 500', async () => {
    const { sub } = await linkedUser();
    const hidden = await s.admin.patch(`/api/v1/admin/login-services/${service.id}`, { showOnSignIn: false });
    assert.equal(hidden.status, 200);
    const c = s.client();
    const disabled = await c.get(`/api/v1/auth/login-services/${service.id}/start?returnTo=/admin`);
    assert.equal(disabled.status, 302);
    assert.deepEqual(queryOf(disabled.headers.get('location')!), {
      loginServiceError: 'login_service_disabled',
      returnTo: '/admin',
    });
    assert.equal(disabled.headers.get('location')!.split('?')[0], '/admin/sign-in');
    await s.admin.patch(`/api/v1/admin/login-services/${service.id}`, { showOnSignIn: true });
    const unknown = await c.get('/api/v1/auth/login-services/no-such-service/start');
    assert.equal(queryOf(unknown.headers.get('location')!).loginServiceError, 'login_service_not_found');

    const gone = await idpFor(s, 'gone');
    gone.addAccount({ sub });
    gone.signInAs(sub);
    const doomed = await addService(s, gone, { displayName: 'Down soon' });
    // Down between start and callback: the token endpoint cannot be reached.
    const location = await start(c, doomed.id, '/');
    const callback = await throughProvider(location);
    await gone.close();
    const late = await c.get(callback);
    assert.equal(late.status, 302);
    assert.equal(queryOf(late.headers.get('location')!).loginServiceError, 'login_service_unavailable');
    // Down from the start (a new instance has no discovery cached).
    const down = await addService(s, gone, { displayName: 'Down' });
    const res = await c.get(`/api/v1/auth/login-services/${down.id}/start?returnTo=/`);
    assert.equal(res.status, 302);
    assert.equal(queryOf(res.headers.get('location')!).loginServiceError, 'login_service_unavailable');
  });

  it('R-ADM-11: a service restricted to a domain signs in users of that domain only', async () => {
    const domain = await createDomain(s, uniqueName('Nord'));
    const restricted = await addService(s, idp, { displayName: 'Nord only', domainId: domain.id });
    const { user: outsider, sub: outSub } = await linkedUser({}, restricted);
    idp.signInAs(outSub);
    const refused = await signInWith(s.client(), restricted.id, '/');
    assert.equal(queryOf(refused.location).loginServiceError, 'login_service_wrong_domain');
    await s.admin.patch(`/api/v1/admin/users/${outsider.id}`, { domainId: domain.id });
    idp.signInAs(outSub);
    const c = s.client();
    const ok = await signInWith(c, restricted.id, '/');
    assert.equal(ok.location, '/');
    assert.equal((await sessionOf(c)).body.user.id, outsider.id);
  });
});

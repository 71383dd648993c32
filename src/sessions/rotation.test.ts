import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Secret, TOTP } from 'otpauth';
import {
  adminEmail,
  adminPassword,
  dialect,
  startServer,
  strongPassword,
  type Client,
  type TestServer,
} from '../../test/harness.ts';
import { actAs } from '../../test/impersonation-helpers.ts';
import { rotationGraceMs } from './sessions.service.ts';

// Issue 7 #14: a new session token at every privilege change (DESIGN.md section 5), and an
// administrator's password reset ends every session of the user.

/** What the session cookie header is now, and a request that sends exactly that. */
function pin(s: TestServer, c: Client) {
  const cookie = c.cookieHeader;
  return (path = '/api/v1/session') => fetch(`${s.url}${path}`, { headers: { cookie } });
}

const sessionCookieSet = (res: { headers: Headers }) =>
  res.headers.getSetCookie().some((line) => /^behalf_session=[A-Za-z0-9_-]{43};/.test(line));

/**
 * The replaced token still serves requests already under way, for rotationGraceMs, without a
 * new cookie; after that it works nowhere.
 */
async function assertRetired(s: TestServer, old: () => Promise<Response>) {
  const inFlight = await old();
  assert.equal(inFlight.status, 200, 'requests under way at the rotation are served');
  assert.ok(!sessionCookieSet(inFlight), 'and never handed the new token');
  s.clock.advance(rotationGraceMs);
  assert.equal((await old()).status, 401, 'the old token no longer works');
}

describe('session tokens at privilege changes', () => {
  let s: TestServer;
  before(async () => {
    s = await startServer();
  });
  after(() => s.close());

  it("issue 7 #14: an administrator's password reset ends all of the user's sessions and an impersonation of them (R-ADM-12)", async () => {
    const user = await s.createUser({ password: strongPassword });
    const browsers = [s.client(), s.client()];
    for (const b of browsers) assert.equal((await b.login(user.primaryEmail, strongPassword)).status, 200);
    for (const b of browsers) assert.equal((await b.get('/api/v1/session')).status, 200, 'cached');
    const actor = s.client();
    await actor.login(adminEmail, adminPassword);
    const { impersonationId } = await actAs(actor, user.id);
    assert.equal((await actor.get('/api/v1/session')).body.impersonation.id, impersonationId);

    const reset = await s.admin.put(`/api/v1/admin/users/${user.id}/password`, {
      password: 'Brand-New-Pass-77',
    });
    assert.equal(reset.status, 204);
    for (const b of browsers) assert.equal((await b.get('/api/v1/session')).status, 401);
    assert.equal(
      (await actor.get('/api/v1/session?acting=true')).status,
      401,
      'the impersonation session is over',
    );
    const all = await s.admin.get('/api/v1/admin/impersonations?active=false');
    const imp = all.body.items.find((i: { id: string }) => i.id === impersonationId);
    assert.equal(imp?.endReason, 'revoked', 'ended through the ending function');
    const trail = await s.admin.get(
      `/api/v1/admin/audit-events?action=user.password_set&targetId=${user.id}`,
    );
    const event = trail.body.items?.[0];
    assert.equal(event?.details?.sessionsEnded, 'all');
    assert.equal((await s.client().login(user.primaryEmail, 'Brand-New-Pass-77')).status, 200);
  });

  it('issue 7 #14: a permission change gives the next request a new token; the old token stops working (R-ADM-07)', async () => {
    const { client, user } = await s.signedInWith([]);
    const old = pin(s, client);
    assert.equal((await old()).status, 200, 'cached with the old token');
    const granted = await s.admin.put(`/api/v1/admin/users/${user.id}/permissions`, {
      general: [],
      system: ['users.read'],
    });
    assert.equal(granted.status, 200);
    const next = await client.get('/api/v1/session');
    assert.equal(next.status, 200);
    assert.ok(sessionCookieSet(next), 'the answer carries a new token');
    assert.deepEqual(next.body.permissions.system, ['users.read']);
    await assertRetired(s, old);
    assert.equal((await client.get(`/api/v1/admin/users/${user.id}`)).status, 200, 'the new one does');
    const again = await client.get('/api/v1/session');
    assert.ok(!sessionCookieSet(again), 'rotated once, not on every request');
  });

  it('issue 7 #14: a role change and a second-factor enrolment rotate the token too', async () => {
    const { client, user } = await s.signedInWith([]);
    let old = pin(s, client);
    assert.equal(
      (await s.admin.put(`/api/v1/admin/users/${user.id}/role`, { role: 'power-user' })).status,
      200,
    );
    assert.ok(sessionCookieSet(await client.get('/api/v1/session')));
    await assertRetired(s, old);

    old = pin(s, client);
    const started = await client.post('/api/v1/account/two-factor/totp');
    assert.equal(started.status, 201, JSON.stringify(started.body));
    const totp = new TOTP({ secret: Secret.fromBase32(started.body.manualEntryKey), digits: 6, period: 30 });
    const confirmed = await client.post('/api/v1/account/two-factor/totp/confirm', {
      code: totp.generate({ timestamp: s.clock.now() }),
    });
    assert.equal(confirmed.status, 200);
    assert.ok(sessionCookieSet(confirmed), 'the enrolling session gets its new token in the answer');
    await assertRetired(s, old);
    const next = await client.get('/api/v1/session');
    assert.equal(next.status, 200);
    assert.ok(!sessionCookieSet(next));
  });

  it('issue 7 #14: My Profile password change gives this session a new token and ends the others', async () => {
    const user = await s.createUser({ password: strongPassword });
    const here = s.client();
    const elsewhere = s.client();
    await here.login(user.primaryEmail, strongPassword);
    await elsewhere.login(user.primaryEmail, strongPassword);
    const old = pin(s, here);
    const changed = await here.put('/api/v1/account/password', {
      currentPassword: strongPassword,
      newPassword: 'Yet-Another-Pass-88',
    });
    assert.equal(changed.status, 204);
    assert.ok(sessionCookieSet(changed), 'the answer carries the new token');
    assert.equal((await here.get('/api/v1/session')).status, 200);
    await assertRetired(s, old);
    assert.equal((await elsewhere.get('/api/v1/session')).status, 401);
  });

  it('issue 7 #14: of many parallel requests with the old token after a privilege change, exactly one gets the new token (R-OPS-05)', async () => {
    const { client, user } = await s.signedInWith([]);
    const old = pin(s, client);
    await s.admin.put(`/api/v1/admin/users/${user.id}/permissions`, { general: ['support'], system: [] });
    const answers = await Promise.all(Array.from({ length: 30 }, () => old()));
    assert.deepEqual(
      answers.map((a) => a.status),
      answers.map(() => 200),
      'none of the requests under way is signed out',
    );
    assert.equal(answers.filter(sessionCookieSet).length, 1, 'exactly one carries the new token');
    s.clock.advance(rotationGraceMs);
    assert.equal((await old()).status, 401);
  });
});

describe(
  'session tokens at privilege changes, two instances',
  { skip: dialect !== 'postgres' && 'PostgreSQL only' },
  () => {
    let one: TestServer;
    let two: TestServer;
    before(async () => {
      one = await startServer();
      two = await startServer({}, { sameDatabaseAs: one });
    });
    after(async () => {
      await two.close();
      await one.close();
    });

    it('issue 7 #14: a token rotated on one instance no longer works on the other, where it was cached (R-OPS-01)', async () => {
      const { client, user } = await one.signedInWith([]);
      const cookie = client.cookieHeader;
      const onTwo = () => fetch(`${two.url}/api/v1/session`, { headers: { cookie } }).then((r) => r.status);
      assert.equal(await onTwo(), 200, 'cached on instance two');
      await one.admin.put(`/api/v1/admin/users/${user.id}/permissions`, { general: ['help'], system: [] });
      const next = await client.get('/api/v1/session');
      assert.ok(sessionCookieSet(next), 'rotated on instance one');
      two.clock.advance(rotationGraceMs);
      // NOTIFY is asynchronous: allow the message its round trip, without sleeping a fixed time.
      let status = await onTwo();
      for (let i = 0; i < 50 && status === 200; i++) {
        await new Promise((r) => setImmediate(r));
        status = await onTwo();
      }
      assert.equal(status, 401);
    });
  },
);

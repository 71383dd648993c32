import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as oc from 'openid-client';
import { createRemoteJWKSet, decodeJwt, jwtVerify, type JWTPayload } from 'jose';
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
import { followAuthorization, registerApp, signInToApp, type Rp } from '../../test/oidc.ts';
import { afterLogoutFailure, logoutMaxAttempts } from './logout-worker.ts';
import { listLogoutDeliveries } from './logout.store.ts';

// Back-channel logout (OpenID Connect Back-Channel Logout 1.0, issue 9): a real HTTP receiver
// on loopback stands for the app's logout endpoint and verifies each logout token with jose
// against the provider's JWKS, as an app would.

const backchannelEvent = 'http://schemas.openid.net/event/backchannel-logout';

/** The app's back-channel logout endpoint: keeps the logout tokens it accepted. */
class Receiver {
  readonly tokens: string[] = [];
  /** Answers 503 to this many requests before accepting. */
  failNext = 0;
  received = 0;
  private server: Server | null = null;
  url = '';

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (chunk: string) => (body += chunk));
      req.on('end', () => {
        this.received++;
        if (this.failNext > 0) {
          this.failNext--;
          res.writeHead(503).end();
          return;
        }
        const token = new URLSearchParams(body).get('logout_token');
        if (req.method !== 'POST' || !token) {
          res.writeHead(400).end();
          return;
        }
        this.tokens.push(token);
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/backchannel-logout`;
    return this;
  }

  /** The tokens received since the last call. */
  take(): string[] {
    return this.tokens.splice(0);
  }

  close(): Promise<void> {
    return new Promise((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

/** Verifies a logout token as the spec asks an app to; returns its claims. */
async function verifyLogoutToken(s: TestServer, rp: Rp, token: string): Promise<JWTPayload> {
  const jwks = createRemoteJWKSet(new URL(`${s.url}/oidc/jwks`));
  const { payload } = await jwtVerify(token, jwks, {
    issuer: `${s.services.config.publicUrl}/oidc`,
    audience: rp.clientId,
    typ: 'logout+jwt',
    algorithms: ['ES256'],
  });
  assert.deepEqual(payload.events, { [backchannelEvent]: {} }, 'the back-channel logout event');
  assert.equal(typeof payload.jti, 'string');
  assert.equal(typeof payload.iat, 'number');
  assert.equal(payload.nonce, undefined, 'a logout token never carries a nonce');
  return payload;
}

async function adminBrowser(s: TestServer): Promise<Client> {
  const c = s.client();
  assert.equal((await c.login(adminEmail, adminPassword)).status, 200);
  return c;
}

describe('back-channel logout (issue 9, R-IMP-10, R-IMP-14)', () => {
  let s: TestServer;
  let receiver: Receiver;
  let rp: Rp;
  let silent: Rp;

  /** Runs the delivery worker; returns the logout tokens the app received, verified. */
  async function delivered(app: Rp = rp): Promise<JWTPayload[]> {
    await s.services.oidcLogout.runOnce();
    return Promise.all(receiver.take().map((t) => verifyLogoutToken(s, app, t)));
  }

  /** Acts as a new user in a new administrator browser and signs both apps in while acting. */
  async function actingInApps(durationMinutes = 30) {
    const subject = await s.createUser({ password: strongPassword });
    const admin = await adminBrowser(s);
    const { impersonationId } = await actAs(admin, subject.id, { durationMinutes });
    const { tokens } = await signInToApp(rp, admin);
    await signInToApp(silent, admin);
    const sid = tokens.claims()!.sid as string;
    assert.ok(sid, 'the ID token names the provider session (sid)');
    return { subject, admin, impersonationId, sid };
  }

  function assertLogoutOf(tokens: JWTPayload[], sub: string, sid: string) {
    assert.equal(tokens.length, 1, 'one logout token');
    assert.equal(tokens[0]!.sub, sub);
    assert.equal(tokens[0]!.sid, sid, 'names exactly the session that ended');
  }

  before(async () => {
    s = await startServer();
    receiver = await new Receiver().start();
    rp = await registerApp(s, { backchannelLogoutUri: receiver.url });
    silent = await registerApp(s, { name: 'Shop without back-channel logout' });
  });
  after(async () => {
    await s.close();
    await receiver.close();
  });

  it('R-IMP-10: "back to your account" sends a verified logout token to the app that got tokens while acting; an app without a URI gets nothing', async () => {
    const { subject, admin, sid } = await actingInApps();
    assert.deepEqual(await delivered(), [], 'nothing before the end');
    assert.equal((await admin.delete('/api/v1/impersonation')).status, 200);
    assertLogoutOf(await delivered(), subject.id, sid);
    const rows = await listLogoutDeliveries(s.services.database.db);
    assert.ok(!rows.some((r) => r.client_id === silent.clientId), 'nothing queued for the app without URI');
    assert.deepEqual(await delivered(), [], 'delivered once, not again');
  });

  it('R-IMP-10: expiry (the clock and the expiry job) sends the logout token', async () => {
    const { subject, sid } = await actingInApps(5);
    s.clock.advance(5 * 60_000 + 1);
    assert.ok((await s.services.impersonation.expireDue()) >= 1);
    assertLogoutOf(await delivered(), subject.id, sid);
  });

  it("R-IMP-10: logout while acting tells the app of the impersonation and of the actor's own session", async () => {
    const actor = await s.signedInWith(['users.read', 'users.impersonate']);
    const own = await signInToApp(rp, actor.client);
    const ownSid = own.tokens.claims()!.sid as string;
    const subject = await s.createUser();
    await actAs(actor.client, subject.id);
    const acting = await signInToApp(rp, actor.client);
    const actingSid = acting.tokens.claims()!.sid as string;
    assert.equal((await actor.client.post('/api/v1/auth/logout')).status, 204);
    const tokens = await delivered();
    assert.deepEqual(
      tokens.map((t) => [t.sub, t.sid]).sort(),
      [
        [subject.id, actingSid],
        [actor.user.id, ownSid],
      ].sort(),
    );
  });

  it('logout of a Behalf session (outside any impersonation) tells the apps signed in through it', async () => {
    const { client, user } = await s.signedInWith([]);
    const { tokens } = await signInToApp(rp, client);
    assert.equal((await client.post('/api/v1/auth/logout')).status, 204);
    assertLogoutOf(await delivered(), user.id, tokens.claims()!.sid as string);
  });

  it('R-IMP-10: deactivating and deleting the subject send the logout token', async () => {
    const first = await actingInApps();
    assert.equal(
      (await s.admin.patch(`/api/v1/admin/users/${first.subject.id}`, { active: false })).status,
      200,
    );
    assertLogoutOf(await delivered(), first.subject.id, first.sid);
    const second = await actingInApps();
    const id = second.subject.id;
    assert.equal((await s.admin.delete(`/api/v1/admin/users/${id}?confirm=${id}`)).status, 204);
    assertLogoutOf(await delivered(), id, second.sid);
  });

  it('R-IMP-10: an administrator\'s "end now" sends the logout token', async () => {
    const { subject, impersonationId, sid } = await actingInApps();
    assert.equal((await s.admin.delete(`/api/v1/admin/impersonations/${impersonationId}`)).status, 204);
    assertLogoutOf(await delivered(), subject.id, sid);
  });

  it('R-IMP-14: introspection answers inactive at once after the end, before any delivery', async () => {
    const subject = await s.createUser();
    const admin = await adminBrowser(s);
    await actAs(admin, subject.id);
    const { tokens } = await signInToApp(rp, admin);
    assert.equal((await oc.tokenIntrospection(rp.config, tokens.access_token)).active, true);
    await admin.delete('/api/v1/impersonation');
    assert.equal((await oc.tokenIntrospection(rp.config, tokens.access_token)).active, false);
    assert.equal((await delivered()).length, 1);
  });

  it('a receiver that fails gets the logout token again later, with backoff', async () => {
    const { subject, admin, sid } = await actingInApps();
    receiver.failNext = 1;
    const before = receiver.received;
    await admin.delete('/api/v1/impersonation');
    assert.deepEqual(await delivered(), [], 'the first attempt failed');
    assert.equal(receiver.received, before + 1, 'it was attempted');
    assert.deepEqual(await delivered(), [], 'not again before the backoff has passed');
    assert.equal(receiver.received, before + 1);
    s.clock.advance(5_000);
    assertLogoutOf(await delivered(), subject.id, sid);
    const row = (await listLogoutDeliveries(s.services.database.db)).find((r) => r.sid === sid)!;
    assert.equal(row.status, 'delivered');
    assert.equal(row.attempts, 2);
  });

  it('RP-initiated logout at /oidc sends the logout token through the same queue', async () => {
    const { client, user } = await s.signedInWith([]);
    const jar = new Map<string, string>();
    const { tokens } = await signInToApp(rp, client, {}, jar);
    const url = oc.buildEndSessionUrl(rp.config, { id_token_hint: tokens.id_token! });
    const page = await followAuthorization(url, null, jar);
    const action = /<form id="op.logoutForm" method="post" action="([^"]+)">/.exec(page.body)![1]!;
    const xsrf = /name="xsrf" value="([^"]+)"/.exec(page.body)![1]!;
    receiver.failNext = 1;
    const confirmed = await fetch(action, {
      method: 'POST',
      redirect: 'manual',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; '),
      },
      body: new URLSearchParams({ xsrf, logout: 'yes' }),
    });
    assert.equal(confirmed.status, 303);
    assert.equal(receiver.failNext, 1, 'not sent in the request: queued');
    assert.deepEqual(await delivered(), [], 'the first attempt fails');
    s.clock.advance(5_000);
    assertLogoutOf(await delivered(), user.id, tokens.claims()!.sid as string);
  });

  it('the retry delays double from 5 s up to 15 min, and the worker gives up after the last attempt', () => {
    const table: Array<[number, number | 'give up']> = [
      [1, 5_000],
      [2, 10_000],
      [3, 20_000],
      [8, 640_000],
      [9, 900_000],
      [11, 900_000],
      [logoutMaxAttempts, 'give up'],
    ];
    for (const [attempts, expected] of table) {
      const next = afterLogoutFailure(attempts, 1_000);
      assert.deepEqual(
        next,
        expected === 'give up' ? { giveUp: true } : { retryAt: 1_000 + expected },
        `${attempts}`,
      );
    }
  });

  // Last: a published policy would ask every later sign-in for acceptance.
  it('R-IMP-10: revoking terms while acting sends the logout token', async () => {
    const policy = await s.admin.post('/api/v1/admin/policies', { kind: 'terms', title: 'Terms of use' });
    assert.equal(policy.status, 201, JSON.stringify(policy.body));
    const version = await s.admin.post(`/api/v1/admin/policies/${policy.body.id}/versions`, {
      body: 'Be nice.',
      publish: true,
    });
    assert.equal(version.status, 201, JSON.stringify(version.body));
    const subject = await s.createUser({ password: strongPassword });
    const admin = await adminBrowser(s);
    await actAs(admin, subject.id, { acceptTermsOnBehalf: true });
    const { tokens } = await signInToApp(rp, admin);
    assert.equal((await admin.delete(`/api/v1/account/terms/${policy.body.id}`)).status, 204);
    assertLogoutOf(await delivered(), subject.id, tokens.claims()!.sid as string);
    await s.admin.post(`/api/v1/admin/policies/${policy.body.id}/archive`);
  });
});

describe(
  'back-channel logout on two instances',
  { skip: dialect !== 'postgres' && 'PostgreSQL only' },
  () => {
    let one: TestServer;
    let two: TestServer;
    let receiver: Receiver;
    before(async () => {
      one = await startServer();
      two = await startServer({}, { sameDatabaseAs: one });
      receiver = await new Receiver().start();
    });
    after(async () => {
      await two.close();
      await one.close();
      await receiver.close();
    });

    it('R-OPS-01: an end on one instance is delivered once, whichever instances run their workers', async () => {
      const rp = await registerApp(one, { backchannelLogoutUri: receiver.url });
      const subject = await one.createUser();
      const admin = await adminBrowser(one);
      await actAs(admin, subject.id);
      await signInToApp(rp, admin);
      assert.equal((await admin.delete('/api/v1/impersonation')).status, 200);
      await Promise.all([
        one.services.oidcLogout.runOnce(),
        two.services.oidcLogout.runOnce(),
        one.services.oidcLogout.runOnce(),
        two.services.oidcLogout.runOnce(),
      ]);
      await Promise.all([one.services.oidcLogout.runOnce(), two.services.oidcLogout.runOnce()]);
      const tokens = receiver.take();
      assert.equal(tokens.length, 1, 'exactly one logout token');
      // Each test instance has a PUBLIC_URL of its own (its port), hence an issuer of its own.
      const sender = decodeJwt(tokens[0]!).iss === `${one.services.config.publicUrl}/oidc` ? one : two;
      assert.equal((await verifyLogoutToken(sender, rp, tokens[0]!)).sub, subject.id);
    });
  },
);

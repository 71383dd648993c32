import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPair, SignJWT } from 'jose';
import { dialect, startServer, strongPassword, type TestServer } from '../../../test/harness.ts';
import { rotateSigningKeys } from '../../../src/oidc/keys.ts';
import { actAs } from '../../../test/impersonation-helpers.ts';
import { registerApp, signInToApp, type Rp } from '../../../test/oidc.ts';
import {
  createBehalf,
  isBlocked,
  requireCapability,
  type Behalf,
  type BehalfTokenError,
} from '../src/index.ts';
import { chain, principalRoute, startApp } from './apps.ts';

// The SDK against a real Behalf server: real tokens from the provider through openid-client
// (test/oidc.ts), outside and inside an impersonation (R-IMP-14, R-APP-02).

describe('@behalf/sdk against a real Behalf server', () => {
  let s: TestServer;
  let rp: Rp;
  let behalf: Behalf;
  let app: Awaited<ReturnType<typeof startApp>>;
  let resource: string;
  before(async () => {
    s = await startServer();
    rp = await registerApp(s);
    resource = s.services.config.publicUrl;
    behalf = createBehalf({ issuer: `${resource}/oidc`, audience: rp.clientId });
    const auth = behalf.middleware();
    app = await startApp({
      'GET /me': chain(auth, principalRoute),
      'POST /pay': chain(auth, requireCapability('payments'), principalRoute),
    });
  });
  after(async () => {
    await app.close();
    await s.close();
  });

  /** The administrator acting as a new user, and what Behalf's own session says about it. */
  async function acting() {
    const subject = await s.createUser({ password: strongPassword, firstName: 'Anna', lastName: 'Schmidt' });
    const admin = s.client();
    await admin.login('sadmin@example.test', 'Correct-Horse-Battery-9');
    const started = await actAs(admin, subject.id);
    const session = await admin.get('/api/v1/session');
    assert.equal(session.status, 200);
    const actorId = (await s.admin.get('/api/v1/session')).body.user.id as string;
    return { subject, admin, started, actorId, blocked: session.body.blockedCapabilities as string[] };
  }

  const call = (path: string, token?: string, method = 'GET') =>
    fetch(`${app.url}${path}`, { method, headers: token ? { authorization: `Bearer ${token}` } : {} });

  it('R-APP-03, R-IMP-14: outside an impersonation the access and ID tokens give the user, no actor, nothing blocked', async () => {
    const { client, user } = await s.signedInWith([]);
    const { tokens } = await signInToApp(rp, client, { resource });
    const id = await behalf.verifyIdToken(tokens.id_token!);
    assert.equal(
      id.user.email,
      user.primaryEmail,
      'the ID token has the profile (the access token only sub)',
    );
    assert.equal(id.user.name, `${user.firstName} ${user.lastName}`);
    for (const principal of [await behalf.verifyAccessToken(tokens.access_token), id]) {
      assert.equal(principal.user.id, user.id);
      assert.equal(principal.actor, null);
      assert.equal(principal.impersonation, null);
      assert.deepEqual(principal.blocked, []);
      assert.equal(isBlocked(principal, 'payments'), false);
    }
  });

  it('R-APP-03, R-IMP-14: while acting the principal is the subject, with the actor, the impersonation and the blocked list of GET /api/v1/session', async () => {
    const { subject, admin, started, actorId, blocked } = await acting();
    assert.ok(blocked.includes('payments'), 'the session blocks payments');
    const { tokens } = await signInToApp(rp, admin, { resource });
    for (const [what, principal] of [
      ['access token', await behalf.verifyAccessToken(tokens.access_token)],
      ['ID token', await behalf.verifyIdToken(tokens.id_token!)],
    ] as const) {
      assert.equal(principal.user.id, subject.id, `${what}: the subject`);
      if (what === 'ID token')
        assert.equal(principal.user.name, 'Anna Schmidt', "the subject's name, not the actor's");
      assert.deepEqual(principal.actor, { id: actorId, name: 'Super Admin' }, what);
      assert.equal(principal.impersonation?.id, started.impersonationId, what);
      assert.equal(
        principal.impersonation?.expiresAt.getTime(),
        Math.floor(Date.parse(started.expiresAt) / 1000) * 1000,
        `${what}: the impersonation's expiry`,
      );
      assert.deepEqual(principal.blocked, blocked, `${what}: the blocked list`);
      assert.equal(isBlocked(principal, 'payments'), true);
    }
  });

  it('R-APP-03, R-IMP-04, R-IMP-14: the middleware gives the handler the principal; requireCapability answers 403 blocked_during_impersonation while acting', async () => {
    const { subject, admin, actorId } = await acting();
    const { tokens } = await signInToApp(rp, admin, { resource });
    const me = await call('/me', tokens.access_token);
    assert.equal(me.status, 200);
    const seen = (await me.json()) as { user: { id: string }; actor: { id: string } };
    assert.equal(seen.user.id, subject.id);
    assert.equal(seen.actor.id, actorId);

    const pay = await call('/pay', tokens.access_token, 'POST');
    assert.equal(pay.status, 403);
    assert.equal(pay.headers.get('content-type'), 'application/problem+json');
    assert.deepEqual(await pay.json(), {
      type: '/docs/errors#blocked_during_impersonation',
      title: 'Forbidden',
      status: 403,
      code: 'blocked_during_impersonation',
      detail: 'This is not available while acting as another user (payments).',
      capability: 'payments',
    });
  });

  it('R-APP-03, R-IMP-04: outside acting the same guarded route lets the user pay', async () => {
    const { client, user } = await s.signedInWith([]);
    const { tokens } = await signInToApp(rp, client, { resource });
    const pay = await call('/pay', tokens.access_token, 'POST');
    assert.equal(pay.status, 200);
    assert.equal(((await pay.json()) as { user: { id: string } }).user.id, user.id);
  });

  it('R-APP-03: the middleware answers 401 problem JSON without a token, with an opaque token, with a forged one', async () => {
    const none = await call('/me');
    assert.equal(none.status, 401);
    assert.equal(none.headers.get('www-authenticate'), 'Bearer realm="behalf"');
    assert.equal(((await none.json()) as { code: string }).code, 'not_authenticated');

    // The default access token (no resource) is opaque: meant for userinfo, not for the SDK.
    const { tokens } = await signInToApp(rp, s.admin);
    const opaque = await call('/me', tokens.access_token);
    assert.equal(opaque.status, 401);
    assert.match(opaque.headers.get('www-authenticate')!, /error="invalid_token"/);
    assert.equal(((await opaque.json()) as { reason: string }).reason, 'invalid_token');

    const pay = await call('/pay', 'not-a-token', 'POST');
    assert.equal(pay.status, 401, 'the guard never runs without a verified principal');
  });

  it("R-APP-03: a token signed by a key of our own, naming Behalf's issuer and key id, is refused as invalid_token", async () => {
    const { tokens } = await signInToApp(rp, s.admin, { resource });
    const genuine = await behalf.verifyAccessToken(tokens.access_token);
    const header = JSON.parse(Buffer.from(tokens.access_token.split('.')[0]!, 'base64url').toString());
    const { privateKey } = await generateKeyPair('ES256');
    const forged = await new SignJWT({ ...genuine.claims, sub: 'someone-else' })
      .setProtectedHeader(header)
      .sign(privateKey);
    await assert.rejects(
      behalf.verifyAccessToken(forged),
      (e: BehalfTokenError) => e.code === 'invalid_token',
    );
    const me = await call('/me', forged);
    assert.equal(me.status, 401);
  });

  it('R-APP-03: an ID token is not taken as an access token (typ at+jwt), and an access token is not an ID token', async () => {
    const { tokens } = await signInToApp(rp, s.admin, { resource });
    await assert.rejects(
      behalf.verifyAccessToken(tokens.id_token!),
      (e: BehalfTokenError) => e.code === 'invalid_token',
    );
    await assert.rejects(behalf.verifyIdToken(tokens.access_token), (e: BehalfTokenError) =>
      ['invalid_token', 'wrong_audience'].includes(e.code),
    );
  });

  it("R-APP-03: an app checking access tokens for its own client id refuses another app's token (wrong_audience)", async () => {
    const other = await registerApp(s, { name: 'Shop' });
    const { tokens } = await signInToApp(other, s.admin, { resource });
    await assert.rejects(
      behalf.verifyAccessToken(tokens.access_token),
      (e: BehalfTokenError) => e.code === 'wrong_audience',
    );
    const platformApi = createBehalf({ issuer: `${resource}/oidc` });
    assert.ok(
      await platformApi.verifyAccessToken(tokens.access_token),
      'without audience: any app of the platform',
    );
  });

  it(
    'R-APP-01, R-APP-03: a token signed before a key rotation still verifies at an instance started after it',
    { skip: dialect !== 'postgres' && 'two instances need PostgreSQL' },
    async () => {
      const { tokens } = await signInToApp(rp, s.admin, { resource });
      await rotateSigningKeys(s.services.database, Date.now());
      // A new instance of the same installation (same PUBLIC_URL, so the same issuer) on its own
      // port: it signs with the new key and publishes both. The SDK reaches it through `fetch`.
      const next = await startServer({ PUBLIC_URL: resource }, { sameDatabaseAs: s });
      try {
        const toNext: typeof fetch = (input, init) =>
          fetch(String(input instanceof Request ? input.url : input).replace(resource, next.url), init);
        const afterRotation = createBehalf({
          issuer: `${resource}/oidc`,
          audience: rp.clientId,
          fetch: toNext,
        });
        const jwks = (await (await toNext(`${resource}/oidc/jwks`)).json()) as { keys: unknown[] };
        assert.equal(jwks.keys.length, 2, 'the new key and the old one');
        const principal = await afterRotation.verifyAccessToken(tokens.access_token);
        assert.equal(principal.user.id, (await s.admin.get('/api/v1/session')).body.user.id);
        assert.ok(await afterRotation.verifyIdToken(tokens.id_token!));
      } finally {
        await next.close();
      }
    },
  );
});

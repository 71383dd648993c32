import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as oc from 'openid-client';
import { decodeJwt } from 'jose';
import {
  adminEmail,
  adminPassword,
  startServer,
  strongPassword,
  type TestServer,
} from '../../test/harness.ts';
import {
  followAuthorization,
  redirectUri,
  registerApp,
  rpConfig,
  signInToApp,
  startAuthorization,
  type Rp,
} from '../../test/oidc.ts';

// Behalf as the OpenID Provider (issue 9), with openid-client as the real relying party.

/** The provider refused with this OAuth error code (openid-client's ResponseBodyError). */
async function refused(call: Promise<unknown>, error: string, what = error): Promise<void> {
  await assert.rejects(call, (e: { error?: string }) => {
    assert.equal(e.error, error, what);
    return true;
  });
}

describe('OpenID Provider: sign-in of the platform apps (R-APP-01)', () => {
  let s: TestServer;
  let rp: Rp;
  before(async () => {
    s = await startServer();
    rp = await registerApp(s);
  });
  after(() => s.close());

  it('R-APP-01: discovery at the issuer PUBLIC_URL/oidc: code flow with S256 only, ES256 keys published', async () => {
    const meta = rp.config.serverMetadata();
    assert.equal(meta.issuer, `${s.services.config.publicUrl}/oidc`);
    assert.deepEqual(meta.response_types_supported, ['code']);
    assert.deepEqual(meta.code_challenge_methods_supported, ['S256']);
    assert.ok(meta.introspection_endpoint && meta.revocation_endpoint && meta.end_session_endpoint);
    const jwks = (await (await fetch(meta.jwks_uri!)).json()) as { keys: { alg: string; d?: string }[] };
    assert.equal(jwks.keys.length, 1);
    assert.equal(jwks.keys[0]!.alg, 'ES256');
    assert.equal(jwks.keys[0]!.d, undefined, 'never the private part');
  });

  it('R-APP-01: code + PKCE with the Behalf session (no password prompt); userinfo; refresh; no impersonation claims', async () => {
    const { client, user } = await s.signedInWith([]);
    const { tokens } = await signInToApp(rp, client);
    const claims = tokens.claims()!;
    assert.equal(claims.sub, user.id);
    assert.equal(claims.email, user.primaryEmail);
    assert.equal(claims.act, undefined, 'outside an impersonation: no act claim');
    assert.equal(claims.blocked_capabilities, undefined);
    const info = await oc.fetchUserInfo(rp.config, tokens.access_token, user.id);
    assert.equal(info.sub, user.id);
    assert.equal(info.act, undefined);
    assert.ok(tokens.refresh_token, 'a refresh token');
    const refreshed = await oc.refreshTokenGrant(rp.config, tokens.refresh_token);
    assert.equal(refreshed.claims()!.sub, user.id);
    assert.equal((await oc.fetchUserInfo(rp.config, refreshed.access_token, user.id)).sub, user.id);
  });

  it('R-APP-01: without a Behalf session the browser goes to Behalf sign-in and comes back to the interaction', async () => {
    const user = await s.createUser({ password: strongPassword });
    const browser = s.client();
    const started = await startAuthorization(rp);
    const jar = new Map<string, string>();
    const first = await followAuthorization(started.url, browser, jar);
    assert.equal(first.location?.pathname, '/sign-in');
    const next = first.location.searchParams.get('next')!;
    assert.match(next, /^\/oidc\/interaction\/[\w-]+$/, 'back to the interaction, a path under /oidc/');
    assert.equal((await browser.login(user.primaryEmail, strongPassword)).status, 200);
    const done = await followAuthorization(new URL(next, s.url), browser, jar);
    assert.ok(done.location?.href.startsWith(redirectUri), String(done.location));
    const tokens = await oc.authorizationCodeGrant(rp.config, done.location!, {
      pkceCodeVerifier: started.verifier,
      expectedState: started.state,
    });
    assert.equal(tokens.claims()!.sub, user.id);
  });

  it('R-ADM-07: a session token rotated by the sign-in request reaches the browser (the session survives)', async () => {
    const { client, user } = await s.signedInWith([]);
    // A privilege change marks the session; its next request swaps the token (issue 7 #14).
    const granted = await s.admin.put(`/api/v1/admin/users/${user.id}/permissions`, {
      general: [],
      system: ['users.read'],
    });
    assert.equal(granted.status, 200);
    const jar = new Map<string, string>();
    const started = await startAuthorization(rp);
    const end = await followAuthorization(started.url, client, jar);
    assert.ok(end.location?.href.startsWith(redirectUri));
    const rotated = jar.get('behalf_session');
    assert.ok(rotated && !client.cookieHeader.includes(rotated), 'a new session token was sent');
    const later = s.client();
    const session = await later.get('/api/v1/session', { cookie: `behalf_session=${rotated}` });
    assert.equal(session.status, 200);
    assert.equal(session.body.user.id, user.id);
  });

  it('R-APP-01: introspection says active, and inactive after revocation', async () => {
    const { tokens } = await signInToApp(rp, s.admin);
    const active = await oc.tokenIntrospection(rp.config, tokens.access_token);
    assert.equal(active.active, true);
    assert.equal(active.client_id, rp.clientId);
    await oc.tokenRevocation(rp.config, tokens.access_token);
    assert.equal((await oc.tokenIntrospection(rp.config, tokens.access_token)).active, false);
    await oc.tokenRevocation(rp.config, tokens.refresh_token!);
    await refused(oc.refreshTokenGrant(rp.config, tokens.refresh_token!), 'invalid_grant');
  });

  it('R-APP-01: a redirect URI the app did not register is refused, and the browser is not sent there', async () => {
    const started = await startAuthorization(rp, { redirect_uri: 'https://evil.example.test/callback' });
    const end = await followAuthorization(started.url, s.admin);
    assert.equal(end.location, null, 'no redirect anywhere');
    assert.equal(end.status, 400);
    assert.match(end.body, /redirect_uri/);
  });

  it('the CSRF exemption holds for the provider route only: another spelling of /oidc/ is not handed over, the API still needs Origin', async () => {
    const encoded = await fetch(`${s.url}/%6fidc/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=authorization_code',
    });
    assert.equal(encoded.status, 404);
    assert.equal(((await encoded.json()) as { code: string }).code, 'not_found');
    const api = await fetch(`${s.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    assert.equal(api.status, 403, 'the API still refuses a request without Origin');
  });

  it('R-APP-01: a code works once; a wrong PKCE verifier and another app are refused', async () => {
    const { callback, started } = await signInToApp(rp, s.admin);
    await refused(
      oc.authorizationCodeGrant(rp.config, callback, {
        pkceCodeVerifier: started.verifier,
        expectedState: started.state,
      }),
      'invalid_grant',
      'reused code',
    );

    const again = await startAuthorization(rp);
    const end = await followAuthorization(again.url, s.admin);
    await refused(
      oc.authorizationCodeGrant(rp.config, end.location!, {
        pkceCodeVerifier: oc.randomPKCECodeVerifier(),
        expectedState: again.state,
      }),
      'invalid_grant',
      'PKCE mismatch',
    );

    const other = await registerApp(s, { name: 'Shop' });
    const third = await startAuthorization(rp);
    const stolen = await followAuthorization(third.url, s.admin);
    const foreign = await rpConfig(s, other.clientId, other.clientSecret);
    await refused(
      oc.authorizationCodeGrant(foreign, stolen.location!, {
        pkceCodeVerifier: third.verifier,
        expectedState: third.state,
      }),
      'invalid_grant',
      "another app cannot redeem this app's code",
    );
  });

  it('R-APP-01: a code redeemed by many parallel requests yields tokens at most once', async () => {
    const again = await startAuthorization(rp);
    const end = await followAuthorization(again.url, s.admin);
    const results = await Promise.allSettled(
      Array.from({ length: 12 }, () =>
        oc.authorizationCodeGrant(rp.config, end.location!, {
          pkceCodeVerifier: again.verifier,
          expectedState: again.state,
        }),
      ),
    );
    const won = results.filter((r) => r.status === 'fulfilled');
    assert.ok(won.length <= 1, `${won.length} requests got tokens for one code`);
    for (const r of results) {
      if (r.status === 'rejected') assert.equal((r.reason as { error?: string }).error, 'invalid_grant');
    }
  });

  it('R-APP-01: a public app signs in with PKCE and no secret; without PKCE it is refused', async () => {
    const pub = await registerApp(s, { name: 'Telephony', type: 'public' });
    assert.equal(pub.clientSecret, undefined);
    const { tokens } = await signInToApp(pub, s.admin);
    assert.ok(tokens.id_token);
    const bare = new URL(
      oc.buildAuthorizationUrl(pub.config, { redirect_uri: redirectUri, scope: 'openid', state: 'x' }),
    );
    const end = await followAuthorization(bare, s.admin);
    assert.ok(end.location?.href.startsWith(redirectUri));
    assert.equal(end.location!.searchParams.get('error'), 'invalid_request');
    assert.equal(end.location!.searchParams.get('code'), null);
  });

  it('R-APP-01: RP-initiated logout: the browser confirms, the provider session ends, and it returns to the registered URI', async () => {
    const jar = new Map<string, string>();
    const { tokens } = await signInToApp(rp, s.admin, {}, jar);
    const url = oc.buildEndSessionUrl(rp.config, {
      id_token_hint: tokens.id_token!,
      post_logout_redirect_uri: 'https://app.example.test/signed-out',
    });
    assert.ok(jar.has('_session'), 'the provider session cookie');
    const page = await followAuthorization(url, null, jar);
    assert.equal(page.status, 200, 'the confirmation page');
    const action = /<form id="op.logoutForm" method="post" action="([^"]+)">/.exec(page.body)![1]!;
    const xsrf = /name="xsrf" value="([^"]+)"/.exec(page.body)![1]!;
    // The user clicks "Yes, sign me out".
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
    const end = { location: new URL(confirmed.headers.get('location')!) };
    const cleared = confirmed.headers
      .getSetCookie()
      .filter((c) => /^_session=;/.test(c) || /^_session=.*expires=thu, 01 jan 1970/i.test(c));
    if (cleared.length) jar.delete('_session');
    assert.equal(end.location?.href, 'https://app.example.test/signed-out');
    assert.ok(!jar.has('_session'), 'the provider session cookie is gone');
  });
});

describe('OpenID Provider: impersonation in tokens (R-IMP-14, R-APP-02)', () => {
  let s: TestServer;
  let rp: Rp;
  before(async () => {
    s = await startServer();
    rp = await registerApp(s);
  });
  after(() => s.close());

  async function acting(durationMinutes = 30) {
    const subject = await s.createUser({ password: strongPassword });
    const admin = s.client();
    await admin.login(adminEmail, adminPassword);
    const started = await admin.post(`/api/v1/admin/users/${subject.id}/impersonation`, {
      reason: 'Ticket 4711: cannot find the course',
      durationMinutes,
    });
    assert.equal(started.status, 201, JSON.stringify(started.body));
    assert.equal((await admin.get(started.body.handoffUrl)).status, 303);
    const session = await admin.get('/api/v1/session');
    const actorId = (await s.admin.get('/api/v1/session')).body.user.id as string;
    return { subject, admin, impersonationId: started.body.impersonationId as string, session, actorId };
  }

  it('R-IMP-14, R-APP-02: ID token, JWT access token, userinfo and introspection name the subject, the actor and the blocked capabilities', async () => {
    const { subject, admin, impersonationId, session, actorId } = await acting();
    const blocked = session.body.blockedCapabilities as string[];
    assert.ok(blocked.length > 0);
    const { tokens } = await signInToApp(rp, admin, { resource: s.services.config.publicUrl });
    const expected = {
      sub: subject.id,
      act: { sub: actorId, name: 'Super Admin' },
      blocked_capabilities: blocked,
    };
    const id = tokens.claims()!;
    const access = decodeJwt(tokens.access_token);
    for (const [what, claims] of [
      ['ID token', id],
      ['access token (JWT)', access],
    ] as const) {
      assert.equal(claims.sub, expected.sub, `${what}: sub is the subject`);
      assert.deepEqual(claims.act, expected.act, `${what}: act names the actor`);
      assert.deepEqual(claims.blocked_capabilities, blocked, `${what}: blocked capabilities`);
      assert.equal((claims.impersonation as { id: string }).id, impersonationId, `${what}: impersonation`);
    }
    assert.equal(access.aud, s.services.config.publicUrl);
  });

  it('R-IMP-14: userinfo and introspection of an opaque access token carry the same claims; the actor never appears as the subject (R-IMP-03)', async () => {
    const { subject, admin, actorId, impersonationId } = await acting();
    const { tokens } = await signInToApp(rp, admin);
    const info = await oc.fetchUserInfo(rp.config, tokens.access_token, subject.id);
    assert.deepEqual(info.act, { sub: actorId, name: 'Super Admin' });
    assert.equal(info.email, subject.primaryEmail, "the subject's data, not the actor's");
    const intro = await oc.tokenIntrospection(rp.config, tokens.access_token);
    assert.equal(intro.active, true);
    assert.equal(intro.sub, subject.id);
    assert.deepEqual(intro.act, { sub: actorId, name: 'Super Admin' });
    const res = await s.admin.get(
      `/api/v1/admin/audit-events?action=app.signed_in_while_acting&impersonationId=${impersonationId}`,
    );
    assert.equal(res.status, 200);
    assert.equal(res.body.items.length, 1, 'the sign-in while acting is in the trail with the impersonation');
    assert.equal(res.body.items[0].target.id, rp.clientId);
  });

  it('R-IMP-14: tokens issued while acting (code exchange and each refresh) are in the audit trail with the impersonation; outside it none', async () => {
    const { subject, admin, actorId, impersonationId } = await acting();
    const { tokens } = await signInToApp(rp, admin);
    await oc.refreshTokenGrant(rp.config, tokens.refresh_token!);
    const res = await s.admin.get(
      `/api/v1/admin/audit-events?action=app.token_issued&impersonationId=${impersonationId}`,
    );
    assert.equal(res.status, 200);
    const items = res.body.items as any[];
    assert.deepEqual(items.map((e) => e.details.grantType).sort(), ['authorization_code', 'refresh_token']);
    for (const e of items) {
      assert.equal(e.target.id, rp.clientId, 'names the app');
      assert.equal(e.user.id, subject.id, "recorded as the subject's");
      assert.equal(e.actor.id, actorId, 'with the actor');
      assert.equal(e.impersonationId, impersonationId);
      assert.equal(e.details.impersonationId, impersonationId);
    }
    const own = await s.signedInWith([]);
    await signInToApp(rp, own.client);
    const all = await s.admin.get(`/api/v1/admin/audit-events?action=app.token_issued`);
    for (const e of all.body.items as any[]) {
      assert.ok(e.impersonationId, 'tokens outside an impersonation are not recorded as acting');
      assert.notEqual(e.user.id, own.user.id);
    }
  });

  it('R-IMP-14: token lifetimes are capped at the impersonation expiry', async () => {
    const { admin } = await acting(5);
    const { tokens } = await signInToApp(rp, admin, { resource: s.services.config.publicUrl });
    const id = tokens.claims()!;
    const access = decodeJwt(tokens.access_token);
    assert.ok(id.exp - id.iat <= 300, `ID token lives ${id.exp - id.iat} s, the impersonation 300 s`);
    assert.ok(access.exp! - access.iat! <= 300, `access token lives ${access.exp! - access.iat!} s`);
    assert.ok(tokens.expires_in! <= 300);
  });

  it('R-IMP-14: after "back to your account" refresh, userinfo and introspection refuse the tokens', async () => {
    const { subject, admin } = await acting();
    const { tokens } = await signInToApp(rp, admin);
    const back = await admin.delete('/api/v1/impersonation');
    assert.equal(back.status, 200, JSON.stringify(back.body));
    await refused(oc.refreshTokenGrant(rp.config, tokens.refresh_token!), 'invalid_grant');
    await assert.rejects(oc.fetchUserInfo(rp.config, tokens.access_token, subject.id));
    assert.equal((await oc.tokenIntrospection(rp.config, tokens.access_token)).active, false);
  });

  it('R-IMP-14: tokens after the impersonation expired are refused (clock moved, no sleep)', async () => {
    const { subject, admin } = await acting(5);
    const { tokens } = await signInToApp(rp, admin);
    s.clock.advance(5 * 60_000 + 1);
    await refused(oc.refreshTokenGrant(rp.config, tokens.refresh_token!), 'invalid_grant');
    await assert.rejects(oc.fetchUserInfo(rp.config, tokens.access_token, subject.id));
    assert.equal((await oc.tokenIntrospection(rp.config, tokens.access_token)).active, false);
  });

  it('R-IMP-14: the administrator signing in to the app after acting gets their own tokens, without act', async () => {
    const { admin, subject, actorId } = await acting();
    // One browser: the provider's own session cookie is kept from one sign-in to the next.
    const jar = new Map<string, string>();
    const during = await signInToApp(rp, admin, {}, jar);
    assert.equal(during.tokens.claims()!.sub, subject.id);
    assert.equal((await admin.delete('/api/v1/impersonation')).status, 200);
    const afterwards = await signInToApp(rp, admin, {}, jar);
    assert.equal(afterwards.tokens.claims()!.sub, actorId, 'the provider does not reuse the acting sign-in');
    assert.equal(afterwards.tokens.claims()!.act, undefined);
  });
});

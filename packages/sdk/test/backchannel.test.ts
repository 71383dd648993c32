import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { generateKeyPair, type JWTPayload } from 'jose';
import {
  adminEmail,
  adminPassword,
  startServer,
  strongPassword,
  type TestServer,
} from '../../../test/harness.ts';
import { actAs } from '../../../test/impersonation-helpers.ts';
import { registerApp, signInToApp } from '../../../test/oidc.ts';
import { createBehalf, logoutEvent, type LogoutEvent } from '../src/index.ts';
import { startApp } from './apps.ts';
import { nowSec, startIssuer, type TestIssuer } from './issuer.ts';

// The back-channel logout handler (OpenID Connect Back-Channel Logout 1.0, 2.6 and 2.8): logout
// tokens of an issuer of our own for every refusal, and (where the server sends them) genuine
// ones from a real Behalf server at the end of an impersonation.

const clientId = 'learning-portal';

const post = (url: string, body: string, type = 'application/x-www-form-urlencoded') =>
  fetch(url, { method: 'POST', headers: { 'content-type': type }, body });

describe('@behalf/sdk back-channel logout handler (tokens of a test issuer)', () => {
  let issuer: TestIssuer;
  let app: Awaited<ReturnType<typeof startApp>>;
  const events: LogoutEvent[] = [];
  let failNext = false;
  before(async () => {
    issuer = await startIssuer();
    const handler = createBehalf({ issuer: issuer.issuer, audience: clientId }).backchannelLogoutHandler(
      async (event) => {
        if (failNext) {
          failNext = false;
          throw new Error('the session store is down');
        }
        await Promise.resolve();
        events.push(event);
      },
    );
    app = await startApp({
      'POST /logout': handler,
      'GET /logout': handler,
      // As behind Express's urlencoded parser: the body is read already.
      'POST /parsed': (req: IncomingMessage, res: ServerResponse) => {
        let text = '';
        req.setEncoding('utf8');
        req.on('data', (c: string) => (text += c));
        req.on('end', () => {
          (req as any).body = Object.fromEntries(new URLSearchParams(text));
          handler(req, res);
        });
      },
    });
  });
  after(async () => {
    await app.close();
    await issuer.close();
  });

  const claims = (extra: JWTPayload = {}): JWTPayload => ({
    iss: issuer.issuer,
    aud: clientId,
    iat: nowSec(),
    exp: nowSec() + 120,
    jti: randomUUID(),
    sub: 'user-1',
    sid: 'sid-1',
    events: { [logoutEvent]: {} },
    ...extra,
  });
  const token = (extra: JWTPayload = {}, typ = 'logout+jwt') => issuer.sign(claims(extra), { typ });
  const send = async (t: string, path = '/logout') =>
    post(`${app.url}${path}`, new URLSearchParams({ logout_token: t }).toString());

  it('a genuine logout token: 200, the app is told sub, sid and jti; the same token again: 400 (replay)', async () => {
    const jti = randomUUID();
    const t = await token({ jti });
    const first = await send(t);
    assert.equal(first.status, 200);
    assert.equal(first.headers.get('cache-control'), 'no-store');
    assert.deepEqual(events.at(-1), { sub: 'user-1', sid: 'sid-1', jti });
    const count = events.length;
    const replay = await send(t);
    assert.equal(replay.status, 400);
    assert.equal(((await replay.json()) as { error: string }).error, 'invalid_request');
    assert.equal(events.length, count, 'a replay logs nobody out');
  });

  it('a body parsed by the framework already (Express urlencoded) works the same', async () => {
    assert.equal((await send(await token(), '/parsed')).status, 200);
  });

  const refusals: Array<[string, JWTPayload, string?]> = [
    ['with a nonce', { nonce: 'n' }],
    ['without the events claim', { events: undefined }],
    ['with another event', { events: { 'https://example.test/other': {} } }],
    ['with an event that is not an object', { events: { [logoutEvent]: true } }],
    ['of another app', { aud: 'shop' }],
    ['of another issuer', { iss: 'https://other.example.test/oidc' }],
    ['expired', { iat: nowSec() - 600, exp: nowSec() - 300 }],
    ['without exp', { exp: undefined }],
    ['without iat', { iat: undefined }],
    ['without jti', { jti: undefined }],
    ['naming neither sub nor sid', { sub: undefined, sid: undefined }],
    ['typed as an access token', {}, 'at+jwt'],
  ];
  for (const [what, extra, typ] of refusals) {
    it(`a logout token ${what}: 400, nobody logged out`, async () => {
      const count = events.length;
      const res = await send(await token(extra, typ));
      assert.equal(res.status, 400);
      assert.equal(events.length, count);
    });
  }

  it('a logout token signed by a key of our own (not published): 400', async () => {
    const { privateKey } = await generateKeyPair('ES256');
    const res = await send(await issuer.sign(claims(), { typ: 'logout+jwt', key: privateKey }));
    assert.equal(res.status, 400);
  });

  it('no form body, a JSON body, two tokens, a GET: refused', async () => {
    assert.equal((await post(`${app.url}/logout`, '')).status, 400);
    const t = await token();
    assert.equal(
      (await post(`${app.url}/logout`, JSON.stringify({ logout_token: t }), 'application/json')).status,
      400,
    );
    assert.equal((await post(`${app.url}/logout`, `logout_token=${t}&logout_token=${t}`)).status, 400);
    const get = await fetch(`${app.url}/logout`);
    assert.equal(get.status, 405);
    assert.equal(get.headers.get('allow'), 'POST');
  });

  it('when the app fails to log out: 400, and the same token is accepted when Behalf retries', async () => {
    const t = await token();
    failNext = true;
    assert.equal((await send(t)).status, 400);
    assert.equal((await send(t)).status, 200);
  });

  it('one token sent 20 times at once logs out exactly once (the replay check holds under concurrency)', async () => {
    const jti = randomUUID();
    const t = await token({ jti });
    const answers = await Promise.all(Array.from({ length: 20 }, () => send(t)));
    const statuses = answers.map((a) => a.status).sort();
    assert.deepEqual(statuses, [200, ...Array<number>(19).fill(400)]);
    assert.equal(events.filter((e) => e.jti === jti).length, 1);
  });
});

describe('@behalf/sdk back-channel logout from a real Behalf server', () => {
  let s: TestServer;
  let sends: boolean;
  before(async () => {
    s = await startServer();
    const meta = (await (await fetch(`${s.url}/oidc/.well-known/openid-configuration`)).json()) as Record<
      string,
      unknown
    >;
    // Behalf sends back-channel logout through its delivery worker (issue 9, h-bcl); on a
    // server without it this part cannot run, and says so instead of passing.
    sends =
      meta.backchannel_logout_supported === true &&
      typeof (s.services as any).oidcLogout?.runOnce === 'function';
  });
  after(() => s.close());

  it("R-IMP-14: the end of an impersonation reaches the app as a logout of the subject's sid; the token cannot be replayed", async (t) => {
    if (!sends) return t.skip('this server does not send back-channel logout yet');
    const raw: string[] = [];
    const events: LogoutEvent[] = [];
    let handler: ReturnType<ReturnType<typeof createBehalf>['backchannelLogoutHandler']> | undefined;
    const app = await startApp({
      'POST /backchannel-logout': (req, res) => {
        let text = '';
        req.setEncoding('utf8');
        req.on('data', (c: string) => (text += c));
        req.on('end', () => {
          raw.push(new URLSearchParams(text).get('logout_token') ?? '');
          (req as any).body = text;
          handler!(req, res);
        });
      },
    });
    try {
      const rp = await registerApp(s, { backchannelLogoutUri: `${app.url}/backchannel-logout` });
      handler = createBehalf({
        issuer: `${s.services.config.publicUrl}/oidc`,
        audience: rp.clientId,
      }).backchannelLogoutHandler((event) => void events.push(event));
      const subject = await s.createUser({ password: strongPassword });
      const admin = s.client();
      await admin.login(adminEmail, adminPassword);
      await actAs(admin, subject.id);
      const { tokens } = await signInToApp(rp, admin);
      const sid = tokens.claims()!.sid;
      assert.equal((await admin.delete('/api/v1/impersonation')).status, 200);
      await (s.services as any).oidcLogout.runOnce();
      assert.equal(events.length, 1, 'the app was told');
      assert.equal(events[0]!.sub, subject.id, 'the subject, as the app knew the user');
      assert.equal(events[0]!.sid, sid);
      const replay = await post(
        `${app.url}/backchannel-logout`,
        new URLSearchParams({ logout_token: raw[0]! }).toString(),
      );
      assert.equal(replay.status, 400, 'a replay of the genuine token is refused');
      assert.equal(events.length, 1);
    } finally {
      await app.close();
    }
  });
});

// The example app against a real Behalf: sign-in through Behalf (code + PKCE), and what an
// administrator acting as a user can and cannot do there (seeds 000 and 002, R-IMP-04, 05, 07, 14).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, strongPassword, type Client, type TestServer } from '../../../test/harness.ts';
import { actAs } from '../../../test/impersonation-helpers.ts';
import type { LearningPlatform } from '../src/server.ts';
import { Browser, startLearningPlatform, startLearningPlatformFor } from './helpers.ts';

let s: TestServer;
let app: LearningPlatform & { clientId: string };

before(async () => {
  // The app checks token and impersonation times against the real clock: so does this server.
  s = await startServer({}, { clockStart: Date.now() });
  app = await startLearningPlatformFor(s);
});

after(async () => {
  await app?.close();
  await s?.close();
});

async function newUser(firstName: string) {
  const user = await s.createUser({ firstName, lastName: 'Mustermann', password: strongPassword });
  const behalf = s.client();
  assert.equal((await behalf.login(user.primaryEmail, strongPassword)).status, 200);
  return { user, behalf };
}

/** The superadmin, in a browser of their own, acting as `subjectId` and signed in to the app. */
async function actingInApp(subjectId: string) {
  const admin: Client = s.client();
  const { adminEmail, adminPassword } = await import('../../../test/harness.ts');
  assert.equal((await admin.login(adminEmail, adminPassword)).status, 200);
  const started = await actAs(admin, subjectId);
  const browser = new Browser(admin);
  await browser.signIn(app);
  return { admin, browser, started };
}

describe('example app: sign-in through Behalf (R-APP-01, R-APP-03)', () => {
  it('R-APP-01: a signed-out visitor gets the sign-in link; signing in with the Behalf session needs no second prompt', async () => {
    const { user, behalf } = await newUser('Erika');
    const browser = new Browser(behalf);
    const first = await browser.request(`${app.url}/courses`);
    assert.equal(first.status, 200);
    assert.match(first.body, /href="\/login\?returnTo=%2Fcourses"/);
    const end = await browser.follow(`${app.url}/login?returnTo=%2Fcourses`);
    assert.equal(end.status, 200);
    assert.match(end.body, /<h1>My courses<\/h1>/, 'back on the page the visitor asked for');
    const home = await browser.request(`${app.url}/`);
    assert.match(home.body, /Hello, Erika Mustermann/);
    // Outside an impersonation: no banner, the telephony widget is there.
    assert.doesNotMatch(home.body, /<behalf-banner/);
    assert.match(home.body, /data-widget="telephony"/);
    assert.equal(app.store.countSessions(user.id), 1);
  });

  it("R-APP-01: without a Behalf session the sign-in goes to Behalf's sign-in page", async () => {
    const browser = new Browser(null);
    const end = await browser.request(`${app.url}/login`);
    assert.equal(end.status, 303);
    assert.ok(end.location!.startsWith(`${s.services.config.publicUrl}/oidc/auth`), end.location!);
    const atBehalf = await browser.follow(end.location!);
    assert.match(atBehalf.url, /\/sign-in|\/oidc\//);
  });

  it('R-APP-01: a callback that did not start in this browser signs nobody in', async () => {
    const { behalf } = await newUser('Lena');
    const victim = new Browser(behalf);
    const started = await victim.request(`${app.url}/login`);
    const state = new URL(started.location!).searchParams.get('state')!;
    const attacker = new Browser(null);
    const res = await attacker.request(`${app.url}/callback?code=x&state=${state}`);
    assert.equal(res.status, 400);
    assert.match(res.body, /Sign-in failed/);
    assert.equal(
      res.headers.getSetCookie().some((c) => c.startsWith('lp_session=') && !c.startsWith('lp_session=;')),
      false,
    );
  });

  it("R-APP-01: sign out ends the app session and goes to Behalf's end-session endpoint (RP-initiated logout)", async () => {
    const { user, behalf } = await newUser('Jonas');
    const browser = new Browser(behalf);
    await browser.signIn(app);
    const out = await browser.request(`${app.url}/logout`, { form: {} });
    assert.equal(out.status, 303);
    const endSession = new URL(out.location!);
    assert.equal(endSession.pathname, '/oidc/session/end');
    assert.equal(endSession.searchParams.get('post_logout_redirect_uri'), app.postLogoutRedirectUri);
    assert.ok(endSession.searchParams.get('id_token_hint'));
    assert.equal(app.store.countSessions(user.id), 0);
    const again = await browser.request(`${app.url}/`);
    assert.match(again.body, /Sign in/);
  });

  it('R-APP-01: with Behalf unreachable, the sign-in says it failed (503), not a server error', async () => {
    const lost = await startLearningPlatform({ issuer: 'http://127.0.0.1:9/oidc', clientId: 'x' });
    try {
      const res = await new Browser(null).request(`${lost.url}/login`);
      assert.equal(res.status, 503);
      assert.match(res.body, /Sign-in failed\. Please try again\./);
    } finally {
      await lost.close();
    }
  });

  it('R-IMP-04: outside an impersonation the user buys, signs and calls', async () => {
    const { user, behalf } = await newUser('Paul');
    const browser = new Browser(behalf);
    await browser.signIn(app);
    assert.equal((await browser.request(`${app.url}/shop/excel/buy`, { form: {} })).status, 303);
    assert.match((await browser.request(`${app.url}/shop`)).body, /Bought/);
    assert.equal(
      (await browser.request(`${app.url}/courses/compliance-signed/sign`, { form: {} })).status,
      303,
    );
    assert.match((await browser.request(`${app.url}/courses/compliance-signed`)).body, /Signed by you/);
    assert.equal(
      (await browser.request(`${app.url}/telephony/call`, { form: { number: '+49 30 1' } })).status,
      303,
    );
    assert.deepEqual(app.store.callsOf(user.id), ['+49 30 1']);
  });
});

describe('example app while acting (R-IMP-14, seeds 000 and 002)', () => {
  it('R-IMP-05, R-IMP-14: every page carries the banner naming subject and actor, with the expiry and the way back', async () => {
    const { user } = await newUser('Erika');
    const { browser, started } = await actingInApp(user.id);
    for (const path of ['/', '/courses', '/courses/safety', '/shop']) {
      const page = await browser.request(`${app.url}${path}`);
      assert.equal(page.status, 200, path);
      const banner = /<behalf-banner ([^>]*)>/.exec(page.body);
      assert.ok(banner, `${path}: banner`);
      assert.match(banner[1]!, /subject="Erika Mustermann"/);
      assert.match(banner[1]!, /actor="Super Admin"/);
      // The token's expiry is in whole seconds.
      const expiresAt = /expires-at="([^"]+)"/.exec(banner[1]!)![1]!;
      assert.equal(
        Math.floor(Date.parse(expiresAt) / 1000),
        Math.floor(Date.parse(started.expiresAt) / 1000),
      );
      assert.match(banner[1]!, /back-url="\/back"/);
      assert.match(page.body, /<script type="module" src="\/assets\/behalf-banner.js">/);
    }
    assert.match(
      (await browser.request(`${app.url}/`)).body,
      /Hello, Erika Mustermann/,
      "the subject's page",
    );
  });

  it('R-IMP-04 (seed 000): the telephony widget is hidden while acting, and a call is refused', async () => {
    const { user } = await newUser('Erika');
    const { browser } = await actingInApp(user.id);
    const home = await browser.request(`${app.url}/`);
    assert.doesNotMatch(home.body, /data-widget="telephony"|Telephony/);
    const call = await browser.request(`${app.url}/telephony/call`, { form: { number: '110' } });
    assert.equal(call.status, 403);
    assert.match(call.body, /The telephony functions are not available while you are acting as another user/);
    assert.deepEqual(app.store.callsOf(user.id), []);
  });

  it('R-IMP-04 (seed 002): a payment is refused with a clear message, as a page and as problem JSON', async () => {
    const { user } = await newUser('Erika');
    const { browser } = await actingInApp(user.id);
    const page = await browser.request(`${app.url}/shop/excel/buy`, { form: {} });
    assert.equal(page.status, 403);
    assert.match(page.body, /role="alert"/);
    assert.match(
      page.body,
      /Payments are not possible while you are acting as another user\. Only Erika Mustermann can buy/,
    );
    assert.match(page.body, /<behalf-banner /, 'the refusal page carries the banner too');
    const api = await browser.request(`${app.url}/shop/subscription/buy`, {
      form: {},
      accept: 'application/json',
    });
    assert.equal(api.status, 403);
    assert.match(api.headers.get('content-type')!, /application\/problem\+json/);
    const problem = JSON.parse(api.body);
    assert.equal(problem.code, 'blocked_during_impersonation');
    assert.equal(problem.status, 403);
    assert.equal(app.store.purchasesOf(user.id).length, 0, 'nothing bought');
  });

  it('R-IMP-04 (seed 002): an e-signature course cannot be opened or signed while acting', async () => {
    const { user } = await newUser('Erika');
    const { browser } = await actingInApp(user.id);
    const open = await browser.request(`${app.url}/courses/compliance-signed`);
    assert.equal(open.status, 403);
    assert.match(open.body, /E-signature courses are not available while you are acting as another user/);
    const sign = await browser.request(`${app.url}/courses/compliance-signed/sign`, {
      form: {},
      accept: 'application/json',
    });
    assert.equal(sign.status, 403);
    assert.equal(JSON.parse(sign.body).code, 'blocked_during_impersonation');
    assert.equal(app.store.signed(user.id, 'compliance-signed'), false);
  });

  it('R-IMP-04: the refusal is in German for a German browser', async () => {
    const { user } = await newUser('Erika');
    const admin = (await actingInApp(user.id)).admin;
    const browser = new Browser(admin, 'de-DE,de;q=0.9,en;q=0.5');
    await browser.signIn(app);
    const page = await browser.request(`${app.url}/shop/excel/buy`, { form: {} });
    assert.equal(page.status, 403);
    assert.match(page.body, /<html lang="de">/);
    assert.match(
      page.body,
      /Zahlungen sind nicht möglich, solange Sie vorübergehend als anderer Benutzer angemeldet sind/,
    );
    assert.match(page.body, /<behalf-banner [^>]*lang="de"/);
  });

  it("R-IMP-07: a lesson completed while acting is the user's own, with a note naming the actor, never the actor's", async () => {
    const { user, behalf } = await newUser('Erika');
    const { admin, browser } = await actingInApp(user.id);
    // Many at once, as double clicks and retries do: one record, the subject's.
    const answers = await Promise.all(
      Array.from({ length: 10 }, () =>
        browser.request(`${app.url}/courses/safety/lessons/intro/complete`, { form: {} }),
      ),
    );
    assert.deepEqual(new Set(answers.map((a) => a.status)), new Set([303]));
    const done = app.store.progressOf(user.id);
    assert.equal(done.length, 1);
    assert.equal(done[0]!.actingActorName, 'Super Admin');
    const actorId = (await s.admin.get('/api/v1/session')).body.user.id as string;
    assert.equal(done[0]!.actingActorId, actorId);
    assert.deepEqual(app.store.progressOf(actorId), [], 'nothing recorded for the actor');

    // Back to the admin's own account; the user signs in to the app later and finds it done.
    assert.equal((await admin.delete('/api/v1/impersonation')).status, 200);
    const own = new Browser(behalf);
    await own.signIn(app);
    const course = await own.request(`${app.url}/courses/safety`);
    assert.match(course.body, /1 of 3 lessons done/);
    assert.match(course.body, /Introduction<\/span> · <strong>Done<\/strong>/);
    assert.match(course.body, /Completed while Super Admin was acting as you \(impersonation\)/);
    assert.doesNotMatch(course.body, /<behalf-banner/);
  });

  it('R-IMP-05: "Back to your account" ends the app session at once and leads to Behalf', async () => {
    const { user } = await newUser('Erika');
    const { browser } = await actingInApp(user.id);
    assert.equal(app.store.countSessions(user.id), 1);
    const back = await browser.request(`${app.url}/back`);
    assert.equal(back.status, 303);
    assert.equal(back.location, `${s.url}/`);
    assert.equal(app.store.countSessions(user.id), 0);
    assert.match((await browser.request(`${app.url}/`)).body, /Sign in/);
  });

  it('R-APP-02: the app session of an impersonation ends with its planned expiry, not a working day later', async () => {
    const { user } = await newUser('Erika');
    const { browser, started } = await actingInApp(user.id);
    const end = Math.floor(Date.parse(started.expiresAt) / 1000) * 1000;
    const line = browser.setCookies.filter((c) => c.startsWith('lp_session=')).at(-1)!;
    const maxAge = Number(/Max-Age=(\d+)/.exec(line)![1]);
    assert.ok(maxAge > 0 && maxAge <= (end - Date.now()) / 1000 + 1, `cookie lifetime ${maxAge} s`);
    const id = browser.cookie(app.url, 'lp_session')!;
    assert.ok(app.store.findSession(id, end - 1000), 'valid until just before the end');
    assert.equal(app.store.findSession(id, end), undefined, 'gone at the end');
    assert.match((await browser.request(`${app.url}/`)).body, /Sign in/);
  });
});

describe('example app: back-channel logout (R-APP-02)', () => {
  it('R-APP-02: the end of the impersonation in Behalf ends the app session at once, by back-channel logout', async () => {
    const { user } = await newUser('Erika');
    const { admin, browser } = await actingInApp(user.id);
    assert.equal(app.store.countSessions(user.id), 1);
    await s.services.oidcLogout.runOnce(); // what earlier tests queued
    // "Back to your account" in Behalf itself (the app is not asked).
    assert.equal((await admin.delete('/api/v1/impersonation')).status, 200);
    const report = await s.services.oidcLogout.runOnce();
    assert.equal(report.delivered, 1, JSON.stringify(report));
    assert.equal(app.store.countSessions(user.id), 0, 'the app session of the impersonation is gone');
    assert.match((await browser.request(`${app.url}/`)).body, /Sign in/);
  });

  it("R-APP-02: the user's own sign-out of Behalf ends their app session, and only theirs", async () => {
    const one = await newUser('Anna');
    const other = await newUser('Bernd');
    await new Browser(one.behalf).signIn(app);
    await new Browser(other.behalf).signIn(app);
    assert.equal((await one.behalf.post('/api/v1/auth/logout')).status, 204);
    await s.services.oidcLogout.runOnce();
    assert.equal(app.store.countSessions(one.user.id), 0);
    assert.equal(app.store.countSessions(other.user.id), 1);
  });

  it('R-APP-02: a logout token that is not from Behalf ends nothing', async () => {
    const { user, behalf } = await newUser('Erika');
    await new Browser(behalf).signIn(app);
    const forged = `eyJhbGciOiJub25lIn0.${Buffer.from(JSON.stringify({ sub: user.id })).toString('base64url')}.`;
    const res = await fetch(`${app.url}/backchannel-logout`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ logout_token: forged }),
    });
    assert.equal(res.status, 400);
    assert.equal(app.store.countSessions(user.id), 1);
  });
});

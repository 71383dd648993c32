// Issue 7, the impersonation flow under attack: "back" needs proof from the actor's own browser
// (#1), a domain's handoff works only on its host (#2), the actor gets their session back at any
// time after an expiry (#4), one actor runs one impersonation (#7b), and the trail of an
// impersonation starts with its start (#7c).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { adminEmail, adminPassword, startServer, type Client, type TestServer } from '../../test/harness.ts';
import { actAs, auditEvents, startImpersonation } from '../../test/impersonation-helpers.ts';

const sessionCookie = 'behalf_session';
const actorCookie = 'behalf_session_actor';

function cookiesOf(c: Client): Map<string, string> {
  return new Map(
    c.cookieHeader
      .split('; ')
      .filter(Boolean)
      .map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]),
  );
}

/** A request as a browser holding exactly these cookies would send it. */
async function withCookies(s: TestServer, method: string, path: string, cookies: Record<string, string>) {
  const cookie = Object.entries(cookies)
    .map(([k, v]) => `${k}=${v}`)
    .join('; ');
  const res = await fetch(s.url + path, {
    method,
    redirect: 'manual',
    headers: { origin: new URL(s.services.config.publicUrl).origin, ...(cookie ? { cookie } : {}) },
  });
  const text = await res.text();
  return {
    status: res.status,
    setCookies: res.headers.getSetCookie(),
    body: text && /json/.test(res.headers.get('content-type') ?? '') ? JSON.parse(text) : text,
  };
}

/** A GET with this Host (and headers), as a browser on another host name would send it. */
function getWithHost(
  url: string,
  host: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: any; setCookies: string[] }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: { host, ...headers } }, (res) => {
      let text = '';
      res.on('data', (d) => (text += d));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          body: text && /json/.test(res.headers['content-type'] ?? '') ? JSON.parse(text) : text,
          setCookies: res.headers['set-cookie'] ?? [],
        }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

/** The token a Set-Cookie line gives a cookie, or null when it clears it (or there is none). */
function tokenSet(setCookies: string[], name: string): string | null {
  for (const line of setCookies) {
    const [pair] = line.split(';');
    if (pair!.startsWith(`${name}=`) && !/max-age=0|expires=thu, 01 jan 1970/i.test(line)) {
      const value = pair!.slice(name.length + 1);
      if (value !== '') return value;
    }
  }
  return null;
}

async function adminBrowser(s: TestServer) {
  const c = s.client();
  assert.equal((await c.login(adminEmail, adminPassword)).status, 200);
  return c;
}

async function activeOf(s: TestServer, actorId: string) {
  const res = await s.admin.get('/api/v1/admin/impersonations?active=true&limit=100');
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return (res.body.items as any[]).filter((i) => i.actor.id === actorId);
}

describe('issue 7: the impersonation flow under attack', () => {
  let s: TestServer;
  let superadminId: string;
  before(async () => {
    // A public URL with a port: a domain's handoff host carries that port (issue 7 #2).
    s = await startServer({ PUBLIC_URL: 'http://platform.example.test:8443' });
    superadminId = (await s.admin.get('/api/v1/session')).body.user.id;
  });
  after(() => s.close());

  it("issue 7 #1 (R-IMP-06): the impersonation session's token alone ends it but never yields the actor's session", async () => {
    const subject = await s.createUser();
    const admin = await adminBrowser(s);
    const ownToken = cookiesOf(admin).get(sessionCookie)!;
    await actAs(admin, subject.id);
    const stolen = cookiesOf(admin).get(sessionCookie)!;
    assert.notEqual(stolen, ownToken);
    assert.equal(cookiesOf(admin).get(actorCookie), ownToken, "the actor's browser keeps its own token");

    // The thief holds the acting tab's token only (also dressed up as the actor cookie).
    const tries: Array<Record<string, string>> = [
      { [sessionCookie]: stolen },
      { [sessionCookie]: stolen, [actorCookie]: stolen },
    ];
    for (const cookies of tries) {
      const back = await withCookies(s, 'DELETE', '/api/v1/impersonation', cookies);
      if (back.status === 200) {
        assert.equal(back.body.restored, false);
        assert.equal(back.body.returnTo, 'http://platform.example.test:8443/admin/users');
      } else assert.equal(back.body.code, 'not_impersonating', 'the second try: it has ended already');
      assert.equal(tokenSet(back.setCookies, sessionCookie), null, 'no session token for the thief');
      assert.equal(tokenSet(back.setCookies, actorCookie), null);
      assert.doesNotMatch(JSON.stringify(back.body), /Super Admin|sadmin/, 'no actor identity either');
      const who = await withCookies(s, 'GET', '/api/v1/session', cookies);
      assert.equal(who.status, 401, 'the stolen token authenticates nothing now');
      assert.equal(tokenSet(who.setCookies, sessionCookie), null);
    }
    const ended = await auditEvents(s, `action=impersonation.ended&targetId=${subject.id}`);
    assert.equal(ended[0].details.reason, 'back', 'the thief could end it: that is no escalation');

    // The actor's real session is not signed out: their browser (the actor cookie) gets it back.
    const back = await admin.delete('/api/v1/impersonation');
    assert.equal(back.status, 200, JSON.stringify(back.body));
    assert.deepEqual(back.body, { returnTo: '/admin/users', restored: true });
    const me = await admin.get('/api/v1/session');
    assert.equal(me.body.user.primaryEmail, adminEmail);
    assert.equal(me.body.impersonation, null);
    assert.equal(cookiesOf(admin).get(sessionCookie), ownToken, 'the very same session');
    assert.equal(cookiesOf(admin).has(actorCookie), false, 'the actor cookie is gone');
  });

  it('issue 7 #1 (R-IMP-06): with the actor cookie, back restores the actor at once; a forged one restores nothing', async () => {
    const subject = await s.createUser();
    const admin = await adminBrowser(s);
    const { impersonationId } = await actAs(admin, subject.id, { origin: 'power-users' });
    const jar = cookiesOf(admin);
    const forged = await withCookies(s, 'DELETE', '/api/v1/impersonation', {
      [sessionCookie]: jar.get(sessionCookie)!,
      [actorCookie]: 'A'.repeat(43),
    });
    assert.equal(forged.body.restored, false);
    assert.equal(tokenSet(forged.setCookies, sessionCookie), null);
    // Even after the end by the forged request, the real actor cookie still brings the actor back.
    const back = await withCookies(s, 'DELETE', '/api/v1/impersonation', {
      [sessionCookie]: jar.get(sessionCookie)!,
      [actorCookie]: jar.get(actorCookie)!,
    });
    assert.deepEqual(back.body, { returnTo: '/admin/power-users', restored: true });
    assert.equal(tokenSet(back.setCookies, sessionCookie), jar.get(actorCookie));
    const ends = await auditEvents(s, `impersonationId=${impersonationId}&action=impersonation.ended`);
    assert.equal(ends.length, 1, 'it ended once');
  });

  it("issue 7 #1 (R-IMP-06): 30 parallel backs with the stolen token, the actor's among them: only the actor's browser gets the session", async () => {
    const subject = await s.createUser();
    const admin = await adminBrowser(s);
    await actAs(admin, subject.id);
    const jar = cookiesOf(admin);
    const stolen = { [sessionCookie]: jar.get(sessionCookie)! };
    const own = { ...stolen, [actorCookie]: jar.get(actorCookie)! };
    const answers = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        withCookies(s, 'DELETE', '/api/v1/impersonation', i === 17 ? own : stolen).then((r) => ({ i, ...r })),
      ),
    );
    for (const a of answers.filter((x) => x.i !== 17)) {
      assert.equal(tokenSet(a.setCookies, sessionCookie), null, `thief ${a.i}: ${JSON.stringify(a.body)}`);
      assert.notEqual(a.body.restored, true);
    }
    const mine = answers.find((x) => x.i === 17)!;
    assert.equal(mine.body.restored, true, JSON.stringify(mine.body));
    assert.equal(tokenSet(mine.setCookies, sessionCookie), jar.get(actorCookie));
    const me = await withCookies(s, 'GET', '/api/v1/session', { [sessionCookie]: jar.get(actorCookie)! });
    assert.equal(me.body.user.primaryEmail, adminEmail);
  });

  it("issue 7 #1, #2 (R-IMP-02, R-IMP-06): on a domain's host, back signs that host out; the actor resumes on the platform's host", async () => {
    const domain = await s.admin.post('/api/v1/admin/domains', {
      name: 'Nord',
      hostName: 'nord.example.test',
    });
    assert.equal(domain.status, 201, JSON.stringify(domain.body));
    const subject = await s.createUser();
    const admin = await adminBrowser(s);
    const started = await startImpersonation(admin, subject.id, { domainId: domain.body.id });
    assert.equal(started.status, 201, JSON.stringify(started.body));
    const url = new URL(started.body.handoffUrl);
    assert.equal(url.host, 'nord.example.test:8443', "the domain's host name with PUBLIC_URL's port");
    const target = `${s.url}${url.pathname}${url.search}`;

    // #2: any other host is refused, and the link stays usable where it belongs.
    for (const host of [
      'evil.example.test:8443',
      'nord.example.test',
      'nord.example.test:8444',
      '127.0.0.1',
    ]) {
      const refused = await getWithHost(target, host);
      assert.equal(refused.status, 403, host);
      assert.equal(refused.body.code, 'handoff_wrong_host', host);
    }
    // Without TRUST_PROXY, X-Forwarded-Host is not believed.
    const forwarded = await getWithHost(target, 'evil.example.test', {
      'x-forwarded-host': 'nord.example.test:8443',
    });
    assert.equal(forwarded.body.code, 'handoff_wrong_host');
    const opened = await getWithHost(target, 'nord.example.test:8443');
    assert.equal(opened.status, 303);
    assert.equal(tokenSet(opened.setCookies, actorCookie), null, 'no actor token goes to the domain host');
    const onDomain = tokenSet(opened.setCookies, sessionCookie)!;
    assert.equal((await getWithHost(target, 'nord.example.test:8443')).status, 410, 'single use');

    // The admin's tabs on the platform's host hold the suspended own token: no session meanwhile.
    assert.equal((await admin.get('/api/v1/session')).status, 401);
    // "Back" on the domain's host: the impersonation ends, that host is signed out.
    const back = await withCookies(s, 'DELETE', '/api/v1/impersonation', { [sessionCookie]: onDomain });
    assert.deepEqual(back.body, {
      returnTo: 'http://platform.example.test:8443/admin/users',
      restored: false,
    });
    assert.equal(tokenSet(back.setCookies, sessionCookie), null);
    // The platform's host, where the browser kept the actor's own token: the actor's session again.
    const me = await admin.get('/api/v1/session');
    assert.equal(me.status, 200);
    assert.equal(me.body.user.primaryEmail, adminEmail);
    assert.equal((await s.admin.delete(`/api/v1/admin/domains/${domain.body.id}`)).status, 204);
  });

  it('issue 7 #2: with TRUST_PROXY the forwarded host decides, never the raw Host behind the proxy', async () => {
    const t = await startServer({ PUBLIC_URL: 'https://platform.example.test', TRUST_PROXY: 'true' });
    try {
      const domain = await t.admin.post('/api/v1/admin/domains', {
        name: 'Süd',
        hostName: 'SUED.example.test',
      });
      assert.equal(domain.status, 201, JSON.stringify(domain.body));
      const subject = await t.createUser();
      const admin = await adminBrowser(t);
      const started = await startImpersonation(admin, subject.id, { domainId: domain.body.id });
      const url = new URL(started.body.handoffUrl);
      assert.equal(url.origin, 'https://sued.example.test');
      const target = `${t.url}${url.pathname}${url.search}`;
      const refused = await getWithHost(target, 'sued.example.test', {
        'x-forwarded-host': 'evil.example.test',
      });
      assert.equal(refused.body.code, 'handoff_wrong_host');
      const opened = await getWithHost(target, 'internal:8080', { 'x-forwarded-host': 'sued.example.test' });
      assert.equal(opened.status, 303, JSON.stringify(opened.body));
    } finally {
      await t.close();
    }
  });

  it('issue 7 #4 (R-IMP-06, R-IMP-10): after an expiry and the sweeper, back still restores the actor', async () => {
    const subject = await s.createUser();
    const admin = await adminBrowser(s);
    const { impersonationId } = await actAs(admin, subject.id, { durationMinutes: 5 });
    s.clock.advance(6 * 60_000);
    await s.services.impersonation.expireDue();
    assert.ok((await s.services.sessions.sweep()) >= 1, 'the impersonation session is swept');
    // The page that showed the impersonation learns of the end (R-IMP-10) ...
    assert.equal((await admin.get('/api/v1/session?acting=true')).status, 401);
    // ... and "back" still works: the suspended session and the actor cookie are what count.
    const back = await admin.delete('/api/v1/impersonation');
    assert.equal(back.status, 200, JSON.stringify(back.body));
    assert.equal(back.body.restored, true);
    const me = await admin.get('/api/v1/session');
    assert.equal(me.body.user.primaryEmail, adminEmail);
    assert.equal((await admin.get(`/api/v1/admin/users/${subject.id}`)).status, 200);
    const ends = await auditEvents(s, `impersonationId=${impersonationId}&action=impersonation.ended`);
    assert.deepEqual(
      ends.map((e) => e.details.reason),
      ['expired'],
      'ended once, by the expiry',
    );
  });

  it("issue 7 #4 (R-IMP-06): a late visit of the actor's browser gets the actor's session back, before and after the sweeper", async () => {
    for (const sweep of [false, true]) {
      const subject = await s.createUser();
      const admin = await adminBrowser(s);
      const ownToken = cookiesOf(admin).get(sessionCookie)!;
      await actAs(admin, subject.id, { durationMinutes: 5 });
      s.clock.advance(6 * 60_000);
      await s.services.impersonation.expireDue();
      if (sweep) await s.services.sessions.sweep();
      // The actor's original tab, reloaded: just GET /api/v1/session with the actor cookie.
      const me = await admin.get('/api/v1/session');
      assert.equal(me.status, 200, `sweep ${sweep}: ${JSON.stringify(me.body)}`);
      assert.equal(me.body.user.primaryEmail, adminEmail);
      assert.equal(me.body.impersonation, null);
      assert.equal(cookiesOf(admin).get(sessionCookie), ownToken);
      assert.equal(cookiesOf(admin).has(actorCookie), false);
      assert.equal((await admin.get('/api/v1/admin/users?limit=1')).status, 200, 'with admin rights');
    }
  });

  it('issue 7 #4: while the impersonation runs, the actor cookie resumes nothing', async () => {
    const subject = await s.createUser();
    const admin = await adminBrowser(s);
    await actAs(admin, subject.id);
    const jar = cookiesOf(admin);
    const own = await withCookies(s, 'GET', '/api/v1/session', { [actorCookie]: jar.get(actorCookie)! });
    assert.equal(own.status, 401, 'the actor acts in another tab: their own session stays suspended');
    assert.equal((await admin.get('/api/v1/session')).body.user.id, subject.id);
    assert.equal((await admin.delete('/api/v1/impersonation')).body.restored, true);
  });

  it('issue 7 #7b (R-IMP-01): a second start by the same actor ends the first (superseded)', async () => {
    const [a, b] = [await s.createUser(), await s.createUser()];
    const browser1 = await adminBrowser(s);
    const browser2 = await adminBrowser(s);
    const first = await actAs(browser1, a.id);
    const second = await actAs(browser2, b.id);
    const active = await activeOf(s, superadminId);
    assert.deepEqual(
      active.map((i) => i.id),
      [second.impersonationId],
    );
    const ended = await auditEvents(s, `impersonationId=${first.impersonationId}&action=impersonation.ended`);
    assert.equal(ended[0].details.reason, 'superseded');
    // The first browser's page sees the end; its actor still gets their own session back.
    assert.equal((await browser1.get('/api/v1/session?acting=true')).status, 401);
    assert.equal((await browser1.delete('/api/v1/impersonation')).body.restored, true);
    assert.equal((await browser2.delete('/api/v1/impersonation')).body.restored, true);
  });

  it('issue 7 #7b (R-IMP-01): 20 parallel starts by one actor leave exactly one running impersonation', async () => {
    const subjects = await Promise.all(Array.from({ length: 5 }, () => s.createUser()));
    const browsers = await Promise.all(Array.from({ length: 4 }, () => adminBrowser(s)));
    const starts = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        startImpersonation(browsers[i % browsers.length]!, subjects[i % subjects.length]!.id),
      ),
    );
    assert.deepEqual(
      starts.map((r) => r.status),
      Array(20).fill(201),
    );
    const active = await activeOf(s, superadminId);
    assert.equal(active.length, 1, JSON.stringify(active));
    for (const r of starts) {
      const id = r.body.impersonationId;
      const ends = await auditEvents(s, `impersonationId=${id}&action=impersonation.ended`);
      if (id === active[0].id) assert.equal(ends.length, 0);
      else
        assert.deepEqual(
          ends.map((e) => e.details.reason),
          ['superseded'],
          'each other one ended once',
        );
    }
    await s.admin.delete(`/api/v1/admin/impersonations/${active[0].id}`);
  });

  it('issue 7 #7c (R-IMP-08): filtering the trail by impersonation ID finds its start, opening and end', async () => {
    const subject = await s.createUser();
    const admin = await adminBrowser(s);
    const { impersonationId } = await actAs(admin, subject.id, { reason: 'Ticket 7c' });
    assert.equal((await admin.delete('/api/v1/impersonation')).status, 200);
    const events = await auditEvents(s, `impersonationId=${impersonationId}`);
    assert.deepEqual(events.map((e) => e.action).reverse(), [
      'impersonation.started',
      'impersonation.opened',
      'impersonation.ended',
    ]);
    const startEvent = events.at(-1);
    assert.equal(startEvent.details.reason, 'Ticket 7c');
    assert.equal(startEvent.impersonationId, impersonationId);
    assert.equal(startEvent.actor.id, superadminId, 'started by the administrator, as themselves');
  });
});

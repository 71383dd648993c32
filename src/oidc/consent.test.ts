import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, type TestServer } from '../../test/harness.ts';
import {
  followAuthorization,
  redirectUri,
  registerApp,
  startAuthorization,
  type Rp,
} from '../../test/oidc.ts';

// Consent (issue 9): skipped for first-party apps (the other tests), asked for the others.

describe('OpenID Provider: consent for apps that are not first party (R-APP-01)', () => {
  let s: TestServer;
  let rp: Rp;
  before(async () => {
    s = await startServer();
    rp = await registerApp(s, { name: 'Shop <script>alert(1)</script>', firstParty: false });
  });
  after(() => s.close());

  async function consentPage() {
    const jar = new Map<string, string>();
    const started = await startAuthorization(rp);
    const page = await followAuthorization(started.url, s.admin, jar);
    assert.equal(page.status, 200, 'a page, not a redirect to the app');
    const action = /<form method="post" action="([^"]+)">/.exec(page.body)![1]!;
    return { jar, started, page, action: new URL(action.replaceAll('&#38;', '&'), s.url) };
  }

  function post(
    action: URL,
    jar: Map<string, string>,
    decision: string,
    origin: string | null = s.admin.origin,
  ) {
    return fetch(action, {
      method: 'POST',
      redirect: 'manual',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        cookie: [s.admin.cookieHeader, ...[...jar].map(([k, v]) => `${k}=${v}`)].join('; '),
        ...(origin ? { origin } : {}),
      },
      body: new URLSearchParams({ decision }),
    });
  }

  it('R-APP-01: the user is asked, the app name escaped; allowing completes the sign-in', async () => {
    const { jar, page, action } = await consentPage();
    assert.match(page.body, /Allow access\?/);
    assert.ok(page.body.includes('Shop &#60;script&#62;alert(1)&#60;/script&#62;'), 'escaped');
    assert.ok(!page.body.includes('<script>'), 'no markup from the name');
    const allowed = await post(action, jar, 'approve');
    assert.equal(allowed.status, 303);
    const end = await followAuthorization(new URL(allowed.headers.get('location')!, s.url), s.admin, jar);
    assert.ok(end.location?.href.startsWith(redirectUri));
    assert.ok(end.location?.searchParams.get('code'));
  });

  it('R-APP-01: denying sends the app access_denied and no code', async () => {
    const { jar, action } = await consentPage();
    const denied = await post(action, jar, 'deny');
    assert.equal(denied.status, 303);
    const end = await followAuthorization(new URL(denied.headers.get('location')!, s.url), s.admin, jar);
    assert.equal(end.location?.searchParams.get('error'), 'access_denied');
    assert.equal(end.location.searchParams.get('code'), null);
  });

  it('a consent post from another site, or with a bad decision, is refused and changes nothing', async () => {
    const { jar, action } = await consentPage();
    const foreign = await post(action, jar, 'approve', 'https://evil.example.test');
    assert.equal(foreign.status, 403);
    assert.equal(((await foreign.json()) as { code: string }).code, 'csrf_rejected');
    const none = await post(action, jar, 'approve', null);
    assert.equal(none.status, 403);
    const bad = await post(action, jar, 'maybe');
    assert.equal(bad.status, 422);
    assert.equal(((await bad.json()) as { code: string }).code, 'validation_failed');
    // Still pending: the user can allow it now.
    const allowed = await post(action, jar, 'approve');
    assert.equal(allowed.status, 303);
  });
});

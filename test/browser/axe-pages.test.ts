// Issue 10 #17 ("run axe on every page", four before): every page of the admin console and of
// the user client, in English and in German, without serious or critical accessibility
// violations (axe-core, WCAG 2.1 A and AA; test/browser/browser.ts). The pages are those of
// web/src/routes.tsx and web/src/admin/AdminRoutes.tsx (the console's entries: admin/nav.tsx);
// a page added there without an entry here fails the first test.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startServer, strongPassword, type TestServer } from '../harness.ts';
import { accessibilityProblems, browserClockStart, launchBrowser, newContext, watch } from './browser.ts';

let s: TestServer;
let browser: Browser;
const contexts: BrowserContext[] = [];
let other: { id: string };
// Run inside the page, where it exists.
declare const document: { documentElement: { lang: string } };

/** The console's pages by their navigation entry's path (admin/nav.tsx). */
const consolePages = [
  'users',
  'power-users',
  'groups',
  'domains',
  'settings',
  'notification-templates',
  'terms',
  'login-services',
  'audit',
  'outbox',
  'impersonations',
  'apps',
];

/** Every page a signed-in superadmin opens, each named for the report. */
const signedInPages = () => [
  ...consolePages.map((p) => [`console ${p}`, `/admin/${p}`]),
  ['console user page', `/admin/users/${other.id}`],
  ['console not found', '/admin/no-such-page'],
  ['client start', '/'],
  ['client My Profile', '/profile'],
  ['client notifications', '/notifications'],
  // Issue 12 #3: the page a consent mail links to, here with a link that names no request.
  ['client consent (unknown link)', '/consent?token=no-such-request'],
  ['client not found', '/no-such-page'],
];
const signInPages = [
  ['console sign-in', '/admin/sign-in'],
  ['client sign-in', '/sign-in'],
];

const ok = (res: { status: number; body: any }, status: number, what: string) => {
  if (res.status !== status) throw new Error(`${what}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
};

before(async () => {
  s = await startServer({}, { clockStart: browserClockStart() });
  s.clock.set(Date.now());
  // Something on every page: a user with a second address, a group, a domain, a power user.
  other = await s.createUser({ firstName: 'Anna', lastName: 'Anders' });
  ok(
    await s.admin.post(`/api/v1/admin/users/${other.id}/emails`, { address: 'anna.zwei@example.test' }),
    201,
    'email',
  );
  ok(await s.admin.post('/api/v1/admin/groups', { name: 'Support' }), 201, 'group');
  ok(await s.admin.post('/api/v1/admin/domains', { name: 'Northwind' }), 201, 'domain');
  const power = await s.createUser({ firstName: 'Paul', lastName: 'Power' });
  ok(await s.admin.put(`/api/v1/admin/users/${power.id}/role`, { role: 'power-user' }), 200, 'power user');
  browser = await launchBrowser();
});

after(async () => {
  for (const c of contexts) await c.close();
  await browser?.close();
  await s?.close();
});

async function context(locale: string): Promise<Page> {
  const c = await newContext(browser, locale);
  c.setDefaultTimeout(15_000);
  contexts.push(c);
  return c.newPage();
}

/** A superadmin who speaks this language, signed in. */
async function superadmin(language: 'en' | 'de'): Promise<Page> {
  const user = await s.createUser({
    firstName: 'Axel',
    lastName: `Axe ${language}`,
    language,
    password: strongPassword,
  });
  ok(await s.admin.put(`/api/v1/admin/users/${user.id}/role`, { role: 'superadmin' }), 200, 'superadmin');
  const page = await context(language === 'de' ? 'de-DE' : 'en-US');
  const signIn = await page.request.post(`${s.url}/api/v1/auth/login`, {
    data: { login: user.primaryEmail, password: strongPassword },
    headers: { origin: s.url },
  });
  assert.equal(signIn.status(), 200, await signIn.text());
  return page;
}

/** The page as it rests: loaded, its first heading there, the pointer off every control. */
async function settle(page: Page, path: string): Promise<void> {
  await page.goto(`${s.url}${path}`);
  await page.locator('h1').first().waitFor();
  await page.waitForLoadState('networkidle');
  await page.mouse.move(1270, 790);
}

describe('issue 10 #17: axe on every page, in both languages', () => {
  it('R-OPS-02: the list covers every page of the route tables', () => {
    const nav = readFileSync(new URL('../../web/src/admin/nav.tsx', import.meta.url), 'utf8');
    const paths = [...nav.matchAll(/path: '([^']+)'/g)].map((m) => m[1]);
    assert.deepEqual([...paths].sort(), [...consolePages].sort());
    const client = readFileSync(new URL('../../web/src/routes.tsx', import.meta.url), 'utf8');
    const clientPaths = [...client.matchAll(/path: '([^'*]+)'/g)].map((m) => m[1]).filter((p) => p !== '/');
    assert.deepEqual(clientPaths.sort(), [
      '/admin/sign-in',
      '/sign-in',
      'consent',
      'notifications',
      'profile',
    ]);
  });

  for (const language of ['en', 'de'] as const) {
    it(`R-OPS-02: no serious or critical violations on any page (${language})`, async () => {
      const found: string[] = [];
      const anonymous = await context(language === 'de' ? 'de-DE' : 'en-US');
      const anonymousProblems = watch(anonymous);
      for (const [name, path] of signInPages) {
        await settle(anonymous, path!);
        for (const p of await accessibilityProblems(anonymous)) found.push(`${name}: ${p}`);
      }
      const page = await superadmin(language);
      const problems = watch(page);
      const headings: string[] = [];
      for (const [name, path] of signedInPages()) {
        await settle(page, path!);
        // The page itself, in this language, not a sign-in form in its place.
        assert.equal(await page.getByRole('button', { name: /^(Sign in|Anmelden)$/ }).count(), 0, name);
        assert.equal(await page.evaluate(() => document.documentElement.lang), language, name);
        headings.push(await page.locator('h1').first().innerText());
        for (const p of await accessibilityProblems(page)) found.push(`${name}: ${p}`);
      }
      assert.deepEqual(found, []);
      assert.equal(new Set(headings).size >= consolePages.length, true, headings.join(' | '));
      assert.deepEqual([...anonymousProblems, ...problems], []);
    });
  }
});

// First journeys through the web pages in a real browser, each asserting what a person sees:
// the superadmin signs in to /admin, finds a user and logs in as them (R-IMP-01); the new tab
// shows the user's start page under the impersonation banner (R-IMP-05); "Back to your account"
// returns to the user list as the superadmin (R-IMP-06); an ended impersonation says so; the
// interface switches to German (R-OPS-02).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { adminEmail, adminPassword, startServer, strongPassword, type TestServer } from '../harness.ts';
import {
  accessibilityProblems,
  launchBrowser,
  newContext,
  screenshot,
  storageContents,
  watch,
  browserClockStart,
} from './browser.ts';

// Run inside the page, where these exist (the test code itself is type-checked without the DOM).
declare const document: any;
declare const window: any;

let s: TestServer;
let browser: Browser;
let subject: any;
const contexts: BrowserContext[] = [];

before(async () => {
  s = await startServer({}, { clockStart: browserClockStart() });
  subject = await s.createUser({ firstName: 'Erika', lastName: 'Mustermann', password: strongPassword });
  await s.createUser({ firstName: 'Max', lastName: 'Beispiel', language: 'de' });
  // The page counts down against the browser's clock: let the server's clock agree with it.
  s.clock.set(Date.now());
  browser = await launchBrowser();
});

after(async () => {
  for (const c of contexts) await c.close();
  await browser?.close();
  await s?.close();
});

async function context(locale = 'en-US'): Promise<BrowserContext> {
  const c = await newContext(browser, locale);
  c.setDefaultTimeout(15_000);
  contexts.push(c);
  return c;
}

async function signInToAdmin(page: Page): Promise<void> {
  await page.goto(`${s.url}/admin`);
  await page.waitForURL(/\/admin\/sign-in\?next=%2Fadmin$/);
  await page.getByLabel('E-mail or username').fill(adminEmail);
  await page.getByRole('textbox', { name: 'Password', exact: true }).fill(adminPassword);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Users', level: 1 }).waitFor();
}

const banner = (page: Page) => page.getByRole('region', { name: 'Impersonation' });

describe('web pages in a real browser', () => {
  it('R-IMP-01, R-IMP-05, R-IMP-06: log in as a user from the list, see the banner, come back', async () => {
    const c = await context();
    const page = await c.newPage();
    const problems = watch(page);
    await signInToAdmin(page);
    assert.equal(new URL(page.url()).pathname, '/admin/users');

    // Navigation by permission: a superadmin sees every section.
    const nav = page.getByRole('navigation', { name: 'Administration' });
    for (const item of ['Users', 'Power users', 'Groups', 'Settings', 'Audit trail', 'Mail outbox']) {
      assert.ok(
        await nav.getByRole('link', { name: item, exact: true }).isVisible(),
        `${item} in the navigation`,
      );
    }
    const row = page.getByRole('row', { name: /Erika Mustermann/ });
    await row.waitFor();
    assert.ok(await row.getByText('Active', { exact: true }).isVisible(), 'tags as badges');
    assert.ok(
      await page
        .getByRole('row', { name: /Super Admin/ })
        .getByText('Superadmin')
        .isVisible(),
    );
    await screenshot(page, 'admin-users');

    // Search on the server.
    await page.getByLabel('Search').fill('mustermann');
    await page.getByRole('row', { name: /Max Beispiel/ }).waitFor({ state: 'detached' });
    assert.equal(await page.getByRole('row', { name: /Erika Mustermann/ }).count(), 1);

    await row.getByRole('button', { name: /Log in as this user/ }).click();
    const dialog = page.getByRole('dialog', { name: 'Log in as Erika Mustermann' });
    await dialog.waitFor();
    await dialog.getByLabel('Reason').fill('Ticket 4711: cannot find the course');
    await screenshot(page, 'admin-impersonate-dialog');
    const opened = c.waitForEvent('page');
    await dialog.getByRole('button', { name: 'Log in as user' }).click();
    const tab = await opened;
    const tabProblems = watch(tab);

    // The user's own start page, under the banner that names both people.
    await tab.getByRole('heading', { name: 'Hello, Erika Mustermann' }).waitFor();
    assert.equal(new URL(tab.url()).pathname, '/');
    await banner(tab).waitFor();
    const text = await banner(tab).innerText();
    assert.match(text, /You are acting as Erika Mustermann/);
    assert.match(text, /Signed in as Super Admin/);
    assert.match(text, /time left (2[0-9]|30):[0-5]\d/, 'counts down from the planned 30 minutes');
    // The start notification is there, unread, and cannot be marked read while acting.
    const notice = tab.locator('li[data-unread]').first();
    await notice.waitFor();
    assert.equal(await notice.getByRole('button', { name: 'Mark as read' }).count(), 0);
    await screenshot(tab, 'client-start-impersonated');

    // Fixed above the page: what is at the banner's place is the banner, and the page starts below.
    const layout = await tab.evaluate(() => {
      const b = document.querySelector('[data-testid="impersonation-banner"]')!.getBoundingClientRect();
      const top = document.elementFromPoint(b.left + 5, b.top + b.height / 2);
      const header = document.querySelector('header')!.getBoundingClientRect();
      return {
        onTop: !!top?.closest('[data-testid="impersonation-banner"]'),
        below: header.top >= b.bottom - 1,
      };
    });
    assert.deepEqual(layout, { onTop: true, below: true });

    // Every page of both areas carries it: the admin console too, whose functions are unavailable.
    await tab.goto(`${s.url}/admin/users`);
    await banner(tab).waitFor();
    await tab.getByText('Administration is unavailable').waitFor();
    await screenshot(tab, 'admin-while-impersonating');

    // Back to your account: the user list, as the superadmin, without the banner.
    await banner(tab).getByRole('button', { name: 'Back to your account' }).click();
    await tab.waitForURL(`${s.url}/admin/users`);
    await tab.getByRole('heading', { name: 'Users', level: 1 }).waitFor();
    await tab.getByRole('row', { name: /Erika Mustermann/ }).waitFor();
    assert.equal(await banner(tab).count(), 0);
    const session: any = await tab.evaluate(() => fetch('/api/v1/session').then((r) => r.json()));
    assert.equal(session.user.displayName, 'Super Admin');
    assert.equal(session.impersonation, null);

    // The session is the HttpOnly cookie only: nothing in storage a script could steal.
    const stored = await storageContents(tab);
    assert.doesNotMatch(stored, /behalf_session|token|secret|password/i, stored);
    assert.deepEqual([...problems, ...tabProblems], []);
  });

  it('R-IMP-10, R-IMP-06: an impersonation that expires says so, with the way back', async () => {
    const c = await context();
    const page = await c.newPage();
    const problems = watch(page);
    const origin = { origin: s.url };
    const login = await c.request.post(`${s.url}/api/v1/auth/login`, {
      data: { login: adminEmail, password: adminPassword },
      headers: origin,
    });
    assert.equal(login.status(), 200);
    const start = await c.request.post(`${s.url}/api/v1/admin/users/${subject.id}/impersonation`, {
      data: { reason: 'Checking the expiry', durationMinutes: 15 },
      headers: origin,
    });
    assert.equal(start.status(), 201, await start.text());
    await page.goto(s.url + ((await start.json()) as { handoffUrl: string }).handoffUrl);
    await banner(page).getByText('You are acting as Erika Mustermann').waitFor();

    s.clock.advance(16 * 60_000);
    // The page asks again when it comes back into view (and every 20 seconds while acting).
    await page.evaluate(() => window.dispatchEvent(new Event('focus')));
    await page.getByRole('heading', { name: 'The impersonation has ended' }).waitFor();
    assert.match(await banner(page).innerText(), /Your session as Erika Mustermann has ended/);
    await screenshot(page, 'client-impersonation-ended');

    await banner(page).getByRole('button', { name: 'Back to your account' }).click();
    await page.waitForURL(`${s.url}/admin/users`);
    await page.getByRole('heading', { name: 'Users', level: 1 }).waitFor();
    assert.equal(await banner(page).count(), 0);
    assert.deepEqual(problems, []);
  });

  it('R-OPS-02: the interface follows the browser before sign-in and switches to German at once', async () => {
    const c = await context('de-DE');
    const page = await c.newPage();
    const problems = watch(page);
    await page.goto(`${s.url}/sign-in`);
    // A German browser gets German before anyone signs in.
    await page.getByRole('heading', { name: 'Anmelden' }).waitFor();
    await page.getByText('English', { exact: true }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();

    await page.getByLabel('E-mail or username').fill(subject.primaryEmail);
    await page.getByRole('textbox', { name: 'Password', exact: true }).fill(strongPassword);
    await page.getByRole('button', { name: 'Sign in' }).click();
    // The user's language (English) decides once signed in.
    await page.getByRole('heading', { name: 'Hello, Erika Mustermann' }).waitFor();
    await screenshot(page, 'client-start');

    await page.getByText('Deutsch', { exact: true }).click();
    await page.getByRole('heading', { name: 'Hallo, Erika Mustermann' }).waitFor();
    await page.getByRole('heading', { name: 'Benachrichtigungen' }).waitFor();
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'de');
    await screenshot(page, 'client-start-de');

    // The admin console, in German after switching there.
    const admin = await (await context()).newPage();
    await signInToAdmin(admin);
    await admin.getByText('Deutsch', { exact: true }).click();
    await admin.getByRole('heading', { name: 'Benutzer', level: 1 }).waitFor();
    const nav = admin.getByRole('navigation', { name: 'Administration' });
    await nav.getByRole('link', { name: 'Audit-Trail' }).waitFor();
    assert.ok(
      await admin
        .getByRole('button', { name: /Als dieser Benutzer anmelden/ })
        .first()
        .isVisible(),
    );
    // Dates in the German form (23.11.2026 style in the table's medium format: "23.11.2026").
    const created = await admin.locator('time').first().innerText();
    assert.match(created, /^\d{2}\.\d{2}\.\d{4}$/, created);
    await screenshot(admin, 'admin-users-de');
    // The switch is kept in each profile (issue 10 #7): back to English for the tests after this.
    for (const [p, heading] of [
      [admin, 'Users'],
      [page, 'Hello, Erika Mustermann'],
    ] as const) {
      await p.getByText('English', { exact: true }).click();
      await p.getByRole('heading', { name: heading }).first().waitFor();
      await p.waitForFunction(() =>
        fetch('/api/v1/session')
          .then((r) => r.json())
          .then((b: any) => b.user.language === 'en'),
      );
    }
    assert.deepEqual(problems, []);
  });

  it('the main pages have no serious or critical accessibility violations (axe-core, WCAG 2.1 AA)', async () => {
    const c = await context();
    const page = await c.newPage();
    const found: string[] = [];
    const check = async (name: string) => {
      for (const p of await accessibilityProblems(page)) found.push(`${name}: ${p}`);
    };
    await page.goto(`${s.url}/admin/sign-in`);
    await page.getByRole('heading', { name: 'Administration' }).waitFor();
    await check('admin sign-in');
    await signInToAdmin(page);
    await page.getByRole('row', { name: /Erika Mustermann/ }).waitFor();
    await check('admin users');
    await page
      .getByRole('row', { name: /Erika Mustermann/ })
      .getByRole('button', { name: /Log in as this user/ })
      .click();
    const dialog = page.getByRole('dialog', { name: 'Log in as Erika Mustermann' });
    await dialog.getByLabel('Reason').fill('Accessibility check');
    await check('impersonation dialog');
    const opened = c.waitForEvent('page');
    await dialog.getByRole('button', { name: 'Log in as user' }).click();
    const tab = await opened;
    await tab.getByRole('heading', { name: 'Hello, Erika Mustermann' }).waitFor();
    await tab.locator('li[data-unread]').first().waitFor();
    for (const p of await accessibilityProblems(tab)) found.push(`client start with banner: ${p}`);
    await banner(tab).getByRole('button', { name: 'Back to your account' }).click();
    await tab.waitForURL(`${s.url}/admin/users`);
    assert.deepEqual(found, []);
  });
});

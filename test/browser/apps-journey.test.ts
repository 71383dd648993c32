// The platform's apps obey an impersonation (issue 9, R-IMP-14, R-APP-03), in real Chromium
// against a real Behalf and the example app (examples/learning-platform): an administrator acts
// as a user, opens the app in that tab, sees the banner (subject and actor), no telephony
// widget, a refused payment and e-signature course with a clear message; completes a lesson;
// "Back to your account" ends the app session too; the user signs in to the app later and finds
// the lesson done as their own, and the two notifications in Behalf. Then one German check.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { adminEmail, adminPassword, startServer, strongPassword, type TestServer } from '../harness.ts';
import { startLearningPlatformFor } from '../../examples/learning-platform/test/helpers.ts';
import type { LearningPlatform } from '../../examples/learning-platform/src/server.ts';
import {
  accessibilityProblems,
  browserClockStart,
  launchBrowser,
  newContext,
  screenshot,
  watch,
} from './browser.ts';

let s: TestServer;
let app: LearningPlatform;
let browser: Browser;
let erika: any;
let max: any;
const contexts: BrowserContext[] = [];

before(async () => {
  s = await startServer({}, { clockStart: browserClockStart() });
  erika = await s.createUser({ firstName: 'Erika', lastName: 'Mustermann', password: strongPassword });
  max = await s.createUser({
    firstName: 'Max',
    lastName: 'Beispiel',
    language: 'de',
    password: strongPassword,
  });
  // The banners count down against the browser's clock: let the server's clock agree with it.
  s.clock.set(Date.now());
  app = await startLearningPlatformFor(s);
  browser = await launchBrowser();
});

after(async () => {
  for (const c of contexts) await c.close();
  await browser?.close();
  await app?.close();
  await s?.close();
});

async function context(locale = 'en-US'): Promise<BrowserContext> {
  const c = await newContext(browser, locale);
  c.setDefaultTimeout(15_000);
  contexts.push(c);
  return c;
}

/** The impersonation banner: Behalf's own, or the app's <behalf-banner> (same accessible name). */
const banner = (page: Page, name = 'Impersonation') => page.getByRole('region', { name });

describe('the example app in a real browser (R-IMP-14, seeds 000 and 002)', () => {
  it('R-IMP-14, R-IMP-04, R-IMP-05, R-IMP-07, R-IMP-09: acting in the app, refused payment and e-signature, a lesson done as the user, back to the account ends the app session', async () => {
    const c = await context();
    const page = await c.newPage();
    const problems = watch(page);

    // The administrator signs in to the console and logs in as Erika: a new tab opens.
    await page.goto(`${s.url}/admin`);
    await page.getByLabel('E-mail or username').fill(adminEmail);
    await page.getByRole('textbox', { name: 'Password', exact: true }).fill(adminPassword);
    await page.getByRole('button', { name: 'Sign in' }).click();
    const row = page.getByRole('row', { name: /Erika Mustermann/ });
    await row.getByRole('button', { name: /Log in as this user/ }).click();
    const dialog = page.getByRole('dialog', { name: 'Log in as Erika Mustermann' });
    await dialog.getByLabel('Reason').fill('Ticket 4711: cannot finish the safety course');
    const opened = c.waitForEvent('page');
    await dialog.getByRole('button', { name: 'Log in as user' }).click();
    const tab = await opened;
    const tabProblems = watch(tab);
    await tab.getByRole('heading', { name: 'Hello, Erika Mustermann' }).waitFor();

    // In that tab, the app: its sign-in goes through Behalf's session, without a prompt.
    await tab.goto(app.url);
    await tab.getByRole('link', { name: 'Sign in' }).click();
    await tab.getByRole('heading', { name: 'Hello, Erika Mustermann' }).waitFor();
    assert.equal(new URL(tab.url()).origin, app.url);

    // The banner names subject and actor, counts down, offers the way back (R-IMP-05).
    await banner(tab).waitFor();
    const text = await banner(tab).innerText();
    assert.match(text, /You are acting as Erika Mustermann/);
    assert.match(text, /Signed in as Super Admin/);
    assert.match(text, /time left (2[0-9]|30):[0-5]\d/);
    assert.ok(await banner(tab).getByRole('link', { name: 'Back to your account' }).isVisible());
    // Seed 000: no telephony widget while acting.
    assert.equal(await tab.getByRole('heading', { name: 'Telephony' }).count(), 0);
    assert.equal(await tab.locator('[data-widget="telephony"]').count(), 0);
    assert.deepEqual(await accessibilityProblems(tab), []);
    await screenshot(tab, 'example-app-impersonated');

    // Seed 002: a payment is refused with a clear message, and the banner stays.
    await tab.getByRole('link', { name: 'Shop' }).click();
    await tab.getByRole('button', { name: /^Buy for .*49/ }).click();
    const refusal = tab.getByRole('alert');
    await refusal.waitFor();
    assert.match(
      await refusal.innerText(),
      /Payments are not possible while you are acting as another user\. Only Erika Mustermann can buy/,
    );
    await tab.getByRole('heading', { name: 'Not possible during an impersonation' }).waitFor();
    await banner(tab).waitFor();
    await screenshot(tab, 'example-app-payment-refused');

    // Seed 002: the e-signature course cannot even be opened.
    await tab.getByRole('link', { name: 'My courses' }).click();
    await tab.getByRole('link', { name: 'Compliance (with e-signature)' }).click();
    assert.match(
      await tab.getByRole('alert').innerText(),
      /E-signature courses are not available while you are acting as another user: the signature must be made by Erika Mustermann/,
    );

    // A lesson completed while acting (R-IMP-07).
    await tab.getByRole('link', { name: 'My courses' }).click();
    await tab.getByRole('link', { name: 'Workplace safety' }).click();
    const intro = tab.getByRole('listitem').filter({ hasText: 'Introduction' });
    await intro.getByRole('button', { name: 'Mark as done' }).click();
    await intro.getByText('Done', { exact: true }).waitFor();
    await tab.getByText('1 of 3 lessons done').waitFor();

    // Back to your account, from the app's banner: the app session ends at once, Behalf's page
    // follows, and its own banner ends the impersonation.
    await banner(tab).getByRole('link', { name: 'Back to your account' }).click();
    await tab.waitForURL(`${s.url}/`);
    await banner(tab).getByRole('button', { name: 'Back to your account' }).click();
    await tab.waitForURL(`${s.url}/admin/users`);
    assert.equal(await banner(tab).count(), 0);
    await tab.goto(app.url);
    await tab.getByRole('link', { name: 'Sign in' }).waitFor();
    assert.equal(await banner(tab).count(), 0, 'the app session of the impersonation is gone');
    assert.deepEqual([...problems, ...tabProblems], []);

    // Later, Erika signs in to the app herself (Behalf's sign-in page, then back to the app).
    const own = await (await context()).newPage();
    const ownProblems = watch(own);
    await own.goto(`${app.url}/courses/safety`);
    await own.getByRole('link', { name: 'Sign in' }).click();
    await own.getByLabel('E-mail or username').fill(erika.primaryEmail);
    await own.getByRole('textbox', { name: 'Password', exact: true }).fill(strongPassword);
    await own.getByRole('button', { name: 'Sign in' }).click();
    await own.getByRole('heading', { name: 'Workplace safety' }).waitFor();
    assert.equal(await banner(own).count(), 0, 'her own session: no banner');
    const done = own.getByRole('listitem').filter({ hasText: 'Introduction' });
    await done.getByText('Done', { exact: true }).waitFor();
    assert.match(await done.innerText(), /Completed while Super Admin was acting as you \(impersonation\)/);
    await own.getByText('1 of 3 lessons done').waitFor();
    await screenshot(own, 'example-app-lesson-done-while-acting');

    // And in Behalf, the two notifications (start and end), unread (R-IMP-09).
    await own.goto(`${s.url}/notifications`);
    await own.getByRole('heading', { name: 'Notifications', level: 1 }).waitFor();
    const unread = own.locator('li[data-unread]');
    await unread.nth(1).waitFor();
    assert.equal(await unread.count(), 2);
    await own.getByText('Super Admin is now acting as you').waitFor();
    await own.getByText('Super Admin is no longer acting as you').waitFor();
    assert.deepEqual(ownProblems, []);
  });

  it('R-IMP-04, R-IMP-05, R-OPS-02: in German, the app’s banner and its refusal of a payment', async () => {
    const c = await context('de-DE');
    const page = await c.newPage();
    const problems = watch(page);
    const origin = { origin: s.url };
    const login = await c.request.post(`${s.url}/api/v1/auth/login`, {
      data: { login: adminEmail, password: adminPassword },
      headers: origin,
    });
    assert.equal(login.status(), 200);
    const start = await c.request.post(`${s.url}/api/v1/admin/users/${max.id}/impersonation`, {
      data: { reason: 'Ticket 4712: Kurs kaufen', durationMinutes: 15 },
      headers: origin,
    });
    assert.equal(start.status(), 201, await start.text());
    await page.goto(s.url + ((await start.json()) as { handoffUrl: string }).handoffUrl);
    // Behalf's own banner speaks the actor's language (issue 10 #6); the app's, the browser's.
    await page.locator('[data-testid="impersonation-banner"]').waitFor();

    await page.goto(app.url);
    await page.getByRole('link', { name: 'Anmelden' }).click();
    await page.getByRole('heading', { name: 'Hallo, Max Beispiel' }).waitFor();
    const text = await banner(page, 'Als Benutzer angemeldet').innerText();
    assert.match(text, /Sie sind vorübergehend als Max Beispiel angemeldet/);
    assert.match(text, /Angemeldet als Super Admin/);
    assert.ok(
      await banner(page, 'Als Benutzer angemeldet')
        .getByRole('link', { name: 'Zurück zu Ihrem Konto wechseln' })
        .isVisible(),
    );
    assert.equal(await page.getByRole('heading', { name: 'Telefonie' }).count(), 0);

    await page.getByRole('link', { name: 'Shop' }).click();
    await page.getByRole('button', { name: /^Für .*49.* kaufen$/ }).click();
    await page.getByRole('heading', { name: 'Während eines Identitätswechsels nicht möglich' }).waitFor();
    assert.match(
      await page.getByRole('alert').innerText(),
      /Zahlungen sind nicht möglich, solange Sie vorübergehend als anderer Benutzer angemeldet sind\. Nur Max Beispiel selbst kann kaufen/,
    );
    await screenshot(page, 'example-app-payment-refused-de');
    assert.deepEqual(problems, []);
  });
});

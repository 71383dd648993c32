// Issue 12 in a real browser: the user finds the impersonation under "who acted as me" in My
// Profile, sees what was done in their name, and ends the running one; the acting tab shows that
// it ended; the section in German (#1). A look-only impersonation cannot save a change (#2).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { adminEmail, adminPassword, startServer, strongPassword, type TestServer } from '../harness.ts';
import { launchBrowser, newContext, screenshot, watch, browserClockStart } from './browser.ts';

declare const window: any;

let s: TestServer;
let browser: Browser;
const contexts: BrowserContext[] = [];

before(async () => {
  s = await startServer({}, { clockStart: browserClockStart() });
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

/** A browser of the superadmin, acting as the subject in its page. */
async function actingTab(subjectId: string, reason: string): Promise<Page> {
  const c = await context();
  const page = await c.newPage();
  const origin = { origin: s.url };
  const login = await c.request.post(`${s.url}/api/v1/auth/login`, {
    data: { login: adminEmail, password: adminPassword },
    headers: origin,
  });
  assert.equal(login.status(), 200);
  const start = await c.request.post(`${s.url}/api/v1/admin/users/${subjectId}/impersonation`, {
    data: { reason, durationMinutes: 30 },
    headers: origin,
  });
  assert.equal(start.status(), 201, await start.text());
  await page.goto(s.url + ((await start.json()) as { handoffUrl: string }).handoffUrl);
  return page;
}

async function signedIn(login: string, locale = 'en-US'): Promise<Page> {
  const c = await context(locale);
  const res = await c.request.post(`${s.url}/api/v1/auth/login`, {
    data: { login, password: strongPassword },
    headers: { origin: s.url },
  });
  assert.equal(res.status(), 200);
  return c.newPage();
}

const banner = (p: Page) => p.getByRole('region', { name: 'Impersonation' });

describe('who acted as me, in a real browser (issue 12 #1)', () => {
  it('issue 12 #1: the user sees who acted, why and what was done, ends it, and the acting tab shows the end', async () => {
    const user = await s.createUser({ firstName: 'Lena', lastName: 'Vogt', password: strongPassword });
    const acting = await actingTab(user.id, 'Ticket 88: address help');
    await banner(acting).getByText('You are acting as Lena Vogt').waitFor();
    const changed = await acting.evaluate(() =>
      fetch('/api/v1/account/profile', {
        method: 'PATCH',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ lastName: 'Vogt-Berg' }),
      }).then((r) => r.status),
    );
    assert.equal(changed, 200);

    const own = await signedIn(user.primaryEmail);
    const problems = watch(own);
    await own.goto(`${s.url}/profile`);
    const section = own.getByRole('region', { name: 'Who acted as me' });
    const row = section.getByTestId('who-acted-row');
    await row.getByText('Ticket 88: address help').waitFor();
    await row.getByText('Super Admin').waitFor();
    await row.getByText('Running now').waitFor();
    await row.getByRole('button', { name: 'What was done' }).click();
    await section
      .getByTestId('who-acted-done')
      .getByText(/Super Admin \(acting as you\) changed their profile \(lastName\)\./)
      .waitFor();
    await screenshot(own, 'client-who-acted');

    await row.getByRole('button', { name: 'End now' }).click();
    const dialog = own.getByRole('dialog', { name: 'End this now?' });
    await dialog.getByText('Super Admin will no longer act as you.', { exact: false }).waitFor();
    await dialog.getByRole('button', { name: 'End now' }).click();
    await row.getByText('Ended by the user').waitFor();
    assert.equal(await row.getByRole('button', { name: 'End now' }).count(), 0);

    // The acting tab learns it at its next look at the session.
    await acting.evaluate(() => window.dispatchEvent(new Event('focus')));
    await acting.getByRole('heading', { name: 'The impersonation has ended' }).waitFor();
    assert.deepEqual(problems, []);
  });

  it('issue 12 #1: the section speaks German', async () => {
    const user = await s.createUser({
      firstName: 'Jonas',
      lastName: 'Keller',
      password: strongPassword,
      language: 'de',
    });
    const acting = await actingTab(user.id, 'Ticket 89');
    await banner(acting).waitFor();
    const own = await signedIn(user.primaryEmail, 'de-DE');
    await own.goto(`${s.url}/profile`);
    const section = own.getByRole('region', { name: 'Wer in meinem Namen gehandelt hat' });
    const row = section.getByTestId('who-acted-row');
    await row.getByText('Läuft gerade').waitFor();
    await row.getByRole('button', { name: 'Jetzt beenden' }).waitFor();
  });
});

describe('read-only impersonation, in a real browser (issue 12 #2)', () => {
  it('issue 12 #2: an administrator picks "look only"; the banner says so and a profile change is refused with the reason', async () => {
    await s.createUser({ firstName: 'Mira', lastName: 'Stein', password: strongPassword });
    const c = await context();
    const page = await c.newPage();
    await page.goto(`${s.url}/admin`);
    await page.getByLabel('E-mail or username').fill(adminEmail);
    await page.getByRole('textbox', { name: 'Password', exact: true }).fill(adminPassword);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Users', level: 1 }).waitFor();
    const row = page.getByRole('row', { name: /Mira Stein/ });
    await row.getByRole('button', { name: /Log in as this user/ }).click();
    const dialog = page.getByRole('dialog', { name: 'Log in as Mira Stein' });
    await dialog.getByLabel('Reason').fill('Ticket 90: just looking');
    await dialog.getByRole('radio', { name: 'Look only' }).check();
    const opened = c.waitForEvent('page');
    await dialog.getByRole('button', { name: 'Log in as user' }).click();
    const tab = await opened;
    await banner(tab).getByText("You are looking at Mira Stein's account").waitFor();

    await tab.goto(`${s.url}/profile`);
    await tab.getByLabel('First name').fill('Mirella');
    await tab.getByRole('button', { name: 'Save details' }).click();
    await tab.getByText('This is a look-only session: nothing can be changed.', { exact: false }).waitFor();
    await screenshot(tab, 'client-read-only');
    const profile = await tab.evaluate(() => fetch('/api/v1/account/profile').then((r) => r.json()));
    assert.equal((profile as { firstName: string }).firstName, 'Mira', 'nothing changed');
  });
});

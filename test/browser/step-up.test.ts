// Issue 12 #5 (R-IMP-17) in a real browser: with step-up on and the administrator's sign-in
// older than the window, the start dialog asks for the password inline, refuses a wrong one,
// proves the right one on the server, and then the impersonation starts in a new tab.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, BrowserContext } from 'playwright-core';
import { adminEmail, adminPassword, startServer, strongPassword, type TestServer } from '../harness.ts';
import { launchBrowser, newContext, watch, browserClockStart } from './browser.ts';

let s: TestServer;
let browser: Browser;
let context: BrowserContext | undefined;

before(async () => {
  s = await startServer({}, { clockStart: browserClockStart() });
  s.clock.set(Date.now());
  browser = await launchBrowser();
});

after(async () => {
  await context?.close();
  await browser?.close();
  await s?.close();
});

describe('step-up in the start dialog (issue 12 #5)', () => {
  it('R-IMP-17: past the window the dialog asks for the password, proves it, then the impersonation starts', async () => {
    const set = await s.admin.patch('/api/v1/admin/settings', { impersonation: { stepUpMinutes: 10 } });
    assert.equal(set.status, 200, JSON.stringify(set.body));
    await s.createUser({ firstName: 'Greta', lastName: 'Stepup', password: strongPassword });
    context = await newContext(browser);
    context.setDefaultTimeout(15_000);
    const page = await context.newPage();
    const problems = watch(page);
    await page.goto(`${s.url}/admin`);
    await page.getByLabel('E-mail or username').fill(adminEmail);
    await page.getByRole('textbox', { name: 'Password', exact: true }).fill(adminPassword);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Users', level: 1 }).waitFor();

    // The sign-in was proof enough for 10 minutes; 11 minutes later it no longer is.
    s.clock.advance(11 * 60_000);
    const row = page.getByRole('row', { name: /Greta Stepup/ });
    await row.getByRole('button', { name: /Log in as this user/ }).click();
    const dialog = page.getByRole('dialog', { name: 'Log in as Greta Stepup' });
    await dialog.getByLabel('Reason').fill('Ticket 12: step-up check');
    // The list read its preview before the window passed: the server's refusal of the start
    // makes the dialog ask (a fresh preview would have asked at once).
    await dialog.getByRole('button', { name: 'Log in as user' }).click();
    await dialog.getByText('from the last 10 minutes').waitFor();
    const password = dialog.getByLabel('Your password');
    await dialog.getByRole('button', { name: 'Log in as user' }).click();
    await dialog.getByText('Fill this in to start.').waitFor();

    await password.fill('not-the-password');
    await dialog.getByRole('button', { name: 'Log in as user' }).click();
    await dialog.getByText('is wrong').waitFor();

    await password.fill(adminPassword);
    const opened = context.waitForEvent('page');
    await dialog.getByRole('button', { name: 'Log in as user' }).click();
    const tab = await opened;
    await tab.getByRole('heading', { name: 'Hello, Greta Stepup' }).waitFor();
    await tab
      .getByRole('region', { name: 'Impersonation' })
      .getByText('You are acting as Greta Stepup')
      .waitFor();
    // The wrong password's 422 is expected; nothing else may go wrong.
    assert.deepEqual(
      problems.filter((p) => !p.includes('status of 422')),
      [],
    );
  });
});

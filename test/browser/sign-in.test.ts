// Signing in to the user client in a real browser: a wrong password says so, and current terms
// that the user has not accepted are shown with their text and accepted before the start page
// (R-IMP-12); declining signs out again.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { startServer, strongPassword, type TestServer } from '../harness.ts';
import { launchBrowser, newContext, screenshot, watch, browserClockStart } from './browser.ts';

let s: TestServer;
let browser: Browser;
const terms = 'You agree to be nice to the other users of this platform.';

before(async () => {
  s = await startServer({}, { clockStart: browserClockStart() });
  const policy = await s.admin.post('/api/v1/admin/policies', { kind: 'terms', title: 'Terms of use' });
  assert.equal(policy.status, 201, JSON.stringify(policy.body));
  const version = await s.admin.post(`/api/v1/admin/policies/${policy.body.id}/versions`, {
    body: terms,
    publish: true,
  });
  assert.equal(version.status, 201, JSON.stringify(version.body));
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await s?.close();
});

async function signIn(page: Page, login: string, password: string): Promise<void> {
  await page.goto(`${s.url}/`);
  await page.waitForURL(/\/sign-in\?next=%2F$/);
  await page.getByLabel('E-mail or username').fill(login);
  await page.getByRole('textbox', { name: 'Password', exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

describe('signing in to the user client', () => {
  it('R-IMP-12: the current terms are shown and accepted before the start page', async () => {
    const user = await s.createUser({ firstName: 'Tara', lastName: 'Terms', password: strongPassword });
    const c = await newContext(browser);
    const page = await c.newPage();
    const problems = watch(page);

    await signIn(page, user.primaryEmail, 'Wrong-Password-123');
    await page
      .getByRole('alert')
      .getByText(/password is not right/)
      .waitFor();

    await page.getByRole('textbox', { name: 'Password', exact: true }).fill(strongPassword);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Please accept the current terms' }).waitFor();
    const policy = page.getByRole('region', { name: 'Terms of use' });
    await policy.getByText(terms).waitFor();
    const accept = page.getByRole('button', { name: 'Accept and continue' });
    assert.ok(await accept.isDisabled(), 'only after ticking the box');
    await screenshot(page, 'client-terms');
    await page.getByLabel('I have read and accept these documents').check();
    await accept.click();

    await page.getByRole('heading', { name: 'Hello, Tara Terms' }).waitFor();
    const session: any = await page.evaluate(() => fetch('/api/v1/session').then((r) => r.json()));
    assert.deepEqual(session.pendingTerms, []);
    assert.deepEqual(problems, []);
    await c.close();
  });

  it('R-IMP-12: declining the terms signs out again', async () => {
    const user = await s.createUser({ firstName: 'Dora', lastName: 'Decline', password: strongPassword });
    const c = await newContext(browser);
    const page = await c.newPage();
    await signIn(page, user.primaryEmail, strongPassword);
    await page.getByRole('button', { name: 'Decline and sign out' }).click();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    const res = await page.evaluate(() => fetch('/api/v1/session').then((r) => r.status));
    assert.equal(res, 401);
    await c.close();
  });
});

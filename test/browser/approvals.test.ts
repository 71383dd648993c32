// Issue 12 #3 in a real browser, with a real SMTP peer: the administrator asks for consent from
// the start dialog, the user gets the mail, opens its link, approves, and the administrator then
// starts acting (R-IMP-17).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, BrowserContext } from 'playwright-core';
import { adminEmail, adminPassword, startServer, strongPassword, type TestServer } from '../harness.ts';
import { TestSmtpServer } from '../smtp.ts';
import { launchBrowser, newContext, watch, browserClockStart } from './browser.ts';

let s: TestServer;
let smtp: TestSmtpServer;
let browser: Browser;
const contexts: BrowserContext[] = [];

before(async () => {
  smtp = await TestSmtpServer.start();
  s = await startServer({ SMTP_URL: smtp.url }, { clockStart: browserClockStart() });
  s.clock.set(Date.now());
  browser = await launchBrowser();
});

after(async () => {
  for (const c of contexts) await c.close();
  await browser?.close();
  await s?.close();
  await smtp?.stop();
});

async function signedInContext(login: string, password: string): Promise<BrowserContext> {
  const c = await newContext(browser, 'en-US');
  c.setDefaultTimeout(15_000);
  contexts.push(c);
  const res = await c.request.post(`${s.url}/api/v1/auth/login`, {
    data: { login, password },
    headers: { origin: s.url },
  });
  assert.equal(res.status(), 200);
  return c;
}

async function mailTo(address: string): Promise<string> {
  for (let i = 0; i < 100; i++) {
    // The test server runs no mail worker loop; one pass delivers what the request queued.
    await s.services.mailWorker.runOnce();
    const mail = smtp.received.find((m) => m.to.includes(address) && /asks to act as you/.test(m.subject));
    if (mail) return mail.text;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no consent mail to ${address}`);
}

describe('consent in a real browser (issue 12 #3)', () => {
  it('R-IMP-17: consent asked from the dialog, approved from the mail link, then the start', async () => {
    assert.equal(
      (await s.admin.patch('/api/v1/admin/settings', { approval: { consent: 'always' } })).status,
      200,
    );
    const user = await s.createUser({ firstName: 'Nora', lastName: 'Linde', password: strongPassword });

    const admin = await signedInContext(adminEmail, adminPassword);
    const page = await admin.newPage();
    const problems = watch(page);
    await page.goto(`${s.url}/admin/users`);
    const row = page.getByRole('row', { name: /Nora Linde/ });
    await row.getByRole('button', { name: /Log in as this user/ }).click();
    const dialog = page.getByRole('dialog', { name: 'Log in as Nora Linde' });
    await dialog.getByText('Acting as Nora Linde needs their consent').waitFor();
    await dialog.getByLabel('Reason').fill('Ticket 512: the course does not open');
    await dialog.getByRole('button', { name: 'Ask for consent' }).click();
    await dialog.getByText('Waiting for Nora Linde to consent.').waitFor();

    const text = await mailTo(user.primaryEmail);
    const link = /(http\S+\/consent\?token=[A-Za-z0-9_-]{43})/.exec(text)?.[1];
    assert.ok(link, text);

    const own = await (await signedInContext(user.primaryEmail, strongPassword)).newPage();
    await own.goto(link);
    await own.getByText('Reason: Ticket 512: the course does not open').waitFor();
    await own.getByRole('button', { name: 'Approve' }).click();
    await own.getByText('Approved. Super Admin may now act as you, once.').waitFor();

    // The administrator reopens the dialog: consent is there, and the start opens the user's tab.
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await row.getByRole('button', { name: /Log in as this user/ }).click();
    await dialog.getByText('Nora Linde has consented: good for one start.').waitFor();
    await dialog.getByLabel('Reason').fill('Ticket 512: the course does not open');
    const opened = admin.waitForEvent('page');
    await dialog.getByRole('button', { name: 'Log in as user' }).click();
    const tab = await opened;
    await tab
      .getByRole('region', { name: 'Impersonation' })
      .getByText('You are acting as Nora Linde')
      .waitFor();
    assert.deepEqual(problems, []);
  });
});

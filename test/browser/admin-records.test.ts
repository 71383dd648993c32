// The admin console's record pages in a real browser, each step asserting what a person sees:
// notification templates with their preview (R-IMP-09), hidden from power users; the audit trail
// of an impersonation with "acting as" and a verified chain (R-IMP-08); ending an impersonation
// from the list (R-IMP-10); creating and publishing a policy (R-IMP-12).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { adminEmail, adminPassword, startServer, strongPassword, type TestServer } from '../harness.ts';
import {
  accessibilityProblems,
  launchBrowser,
  newContext,
  screenshot,
  watch,
  browserClockStart,
} from './browser.ts';

// Run inside the page, where these exist.
declare const window: any;

let s: TestServer;
let browser: Browser;
let erika: any;
const contexts: BrowserContext[] = [];

before(async () => {
  s = await startServer({}, { clockStart: browserClockStart() });
  erika = await s.createUser({ firstName: 'Erika', lastName: 'Mustermann', password: strongPassword });
  // The pages count down against the browser's clock: let the server's clock agree with it.
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
  // Generous: the test machine may be busy with other suites.
  c.setDefaultTimeout(30_000);
  contexts.push(c);
  return c;
}

async function signIn(page: Page, login: string, password: string, firstHeading: string): Promise<void> {
  await page.goto(`${s.url}/admin`);
  await page.waitForURL(/\/admin\/sign-in/);
  await page.getByLabel('E-mail or username').fill(login);
  await page.getByRole('textbox', { name: 'Password', exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: firstHeading, level: 1 }).waitFor();
}

/** axe on the page as it rests: the pointer off every control (a hovered link is darker). */
async function axe(page: Page): Promise<string[]> {
  await page.mouse.move(1270, 790);
  return accessibilityProblems(page);
}

const nav = (page: Page) => page.getByRole('navigation', { name: 'Administration' });

async function open(page: Page, item: string): Promise<void> {
  await nav(page).getByRole('link', { name: item, exact: true }).click();
  await page.getByRole('heading', { name: item, level: 1 }).waitFor();
}

describe('admin record pages in a real browser', () => {
  it('R-IMP-09: a superadmin edits a template, sees it in the preview and in the next notification', async () => {
    const page = await (await context()).newPage();
    const problems = watch(page);
    await signIn(page, adminEmail, adminPassword, 'Users');
    await open(page, 'Notification templates');

    // Impersonation started, English: the built-in text, its variables listed.
    const subject = page.getByRole('textbox', { name: 'Subject' });
    assert.equal(await subject.inputValue(), '{actor} is now acting as you');
    assert.ok(await page.getByText('{plannedDuration}', { exact: true }).isVisible());
    assert.ok(await page.getByRole('switch', { name: 'Enabled' }).isChecked());

    await subject.fill('Heads-up: {actor} works in your account');
    const body = page.getByRole('textbox', { name: 'Text' });
    await body.fill('Hello {subject}, {actor} is helping you. Reason: {reason}');
    // The preview beside renders the draft with example values, before anything is saved.
    const preview = page.getByRole('region', { name: 'Preview' });
    await preview.getByText(/^Heads-up: .+ works in your account$/).waitFor();
    assert.doesNotMatch(await preview.innerText(), /\{actor\}|\{reason\}/);
    await screenshot(page, 'admin-notification-templates');
    assert.deepEqual(await axe(page), []);

    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Saved.').waitFor();
    assert.ok(await page.getByText('Edited', { exact: true }).isVisible());

    // Someone else saves meanwhile: this page's next save meets a conflict and keeps the text.
    const other = await s.admin.get('/api/v1/admin/notification-templates/impersonation.started/en');
    const put = await s.admin.put(
      '/api/v1/admin/notification-templates/impersonation.started/en',
      { subject: other.body.subject, body: `${other.body.body} (checked)`, enabled: true },
      { 'if-match': other.headers.get('etag')! },
    );
    assert.equal(put.status, 200, JSON.stringify(put.body));
    await body.fill('Hello {subject}, {actor} is helping you now. Reason: {reason}');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Changed by someone else').waitFor();
    assert.equal(await body.inputValue(), 'Hello {subject}, {actor} is helping you now. Reason: {reason}');
    await page.getByRole('button', { name: 'Keep my text' }).click();
    await page.getByText('Changed by someone else').waitFor({ state: 'detached' });
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Saved.').waitFor();

    // The next impersonation sends the edited text, once its handoff is opened (issue 10 #3),
    // here in another browser of the superadmin's.
    const actor = s.client();
    assert.equal((await actor.login(adminEmail, adminPassword)).status, 200);
    const start = await actor.post(`/api/v1/admin/users/${erika.id}/impersonation`, {
      reason: 'Ticket 17',
      durationMinutes: 10,
    });
    assert.equal(start.status, 201, JSON.stringify(start.body));
    assert.equal((await actor.get(start.body.handoffUrl)).status, 303);
    const user = s.client();
    assert.equal((await user.login(erika.primaryEmail, strongPassword)).status, 200);
    const notes = await user.get('/api/v1/account/notifications');
    const started = notes.body.items.find((n: any) => n.type === 'impersonation.started');
    assert.equal(started.title, 'Heads-up: Super Admin works in your account');
    assert.equal(started.body, 'Hello Erika Mustermann, Super Admin is helping you now. Reason: Ticket 17');
    assert.equal(
      (await s.admin.delete(`/api/v1/admin/impersonations/${start.body.impersonationId}`)).status,
      204,
    );
    // The conflict's 412 answer was expected; nothing else may have gone wrong.
    assert.deepEqual(
      problems.filter((p) => !/status of 412/.test(p)),
      [],
    );
  });

  it('R-IMP-09: a power user does not see the templates and is refused at their address', async () => {
    const power = await s.createUser({ firstName: 'Paula', lastName: 'Power', password: strongPassword });
    assert.equal(
      (await s.admin.put(`/api/v1/admin/users/${power.id}/role`, { role: 'power-user' })).status,
      200,
    );
    const page = await (await context()).newPage();
    const problems = watch(page);
    await signIn(page, power.primaryEmail, strongPassword, 'Users');
    assert.equal(await nav(page).getByRole('link', { name: 'Notification templates' }).count(), 0);
    assert.equal(await nav(page).getByRole('link', { name: 'Mail outbox' }).count(), 0);
    await page.goto(`${s.url}/admin/notification-templates`);
    await page.getByRole('heading', { name: 'No access' }).waitFor();
    assert.equal(await page.getByRole('textbox', { name: 'Subject' }).count(), 0);
    // The server refuses too.
    const status = await page.evaluate(() =>
      window.fetch('/api/v1/admin/notification-templates').then((r: any) => r.status),
    );
    assert.equal(status, 403);
    assert.deepEqual(problems, []);
  });

  it('R-IMP-08, R-IMP-10: the trail of an impersonation shows actor and subject; ending it from the list signs the tab out', async () => {
    const jonas = await s.createUser({ firstName: 'Jonas', lastName: 'Beispiel' });
    // The acting administrator, in a browser of their own: start, open the user's client, act.
    const actingContext = await context();
    const origin = { origin: s.url };
    assert.equal(
      (
        await actingContext.request.post(`${s.url}/api/v1/auth/login`, {
          data: { login: adminEmail, password: adminPassword },
          headers: origin,
        })
      ).status(),
      200,
    );
    const start = await actingContext.request.post(`${s.url}/api/v1/admin/users/${jonas.id}/impersonation`, {
      data: { reason: 'Ticket 4711: wrong surname', durationMinutes: 20 },
      headers: origin,
    });
    assert.equal(start.status(), 201, await start.text());
    const started = (await start.json()) as { handoffUrl: string };
    const tab = await actingContext.newPage();
    const tabProblems = watch(tab);
    await tab.goto(s.url + started.handoffUrl);
    await tab
      .getByRole('region', { name: 'Impersonation' })
      .getByText('You are acting as Jonas Beispiel')
      .waitFor();
    const session: any = await tab.evaluate(() => window.fetch('/api/v1/session').then((r: any) => r.json()));
    const impersonationId: string = session.impersonation.id;
    const patched = await tab.evaluate(() =>
      window
        .fetch('/api/v1/account/profile', {
          method: 'PATCH',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ lastName: 'Beispielmann' }),
        })
        .then((r: any) => r.status),
    );
    assert.equal(patched, 200);

    // The superadmin's own browser: the audit trail, filtered by that impersonation.
    const page = await (await context()).newPage();
    const problems = watch(page);
    await signIn(page, adminEmail, adminPassword, 'Users');
    await open(page, 'Audit trail');
    // Issue 10 #11: the impersonation is reached through its link, not by typing its ID.
    const startRow = page
      .getByRole('row')
      .filter({ hasText: 'Super Admin started an impersonation: Jonas Beispiel.' })
      .first();
    await startRow.getByRole('button', { name: /^Show this impersonation/ }).click();
    await page.waitForURL(new RegExp(`impersonationId=${impersonationId}`));
    const acting = page.getByRole('row').filter({ hasText: /Super Admin \(acting as Jonas Beispiel\)/ });
    await acting.first().waitFor();
    const row = acting.filter({ hasText: 'changed their profile' }).first();
    assert.match(await row.innerText(), /Reason: Ticket 4711: wrong surname/);
    // Every row of this view belongs to that impersonation, its start with the reason included.
    await page
      .getByRole('row')
      .filter({
        hasText: 'Super Admin started an impersonation: Jonas Beispiel. Reason: Ticket 4711: wrong surname',
      })
      .waitFor();
    await page
      .getByText('Only the events of one impersonation (reason: Ticket 4711: wrong surname).')
      .waitFor();
    assert.doesNotMatch(await page.locator('main').innerText(), new RegExp(impersonationId.slice(0, 8)));
    await row.getByRole('button', { name: 'Details' }).click();
    const changes = page.getByRole('table', { name: 'Changes' });
    await changes.waitFor();
    const text = await changes.innerText();
    assert.match(text, /Beispiel\b/);
    assert.match(text, /Beispielmann/);
    await page.getByRole('button', { name: 'Verify chain' }).click();
    await page.getByText('The audit trail is intact').waitFor();
    await screenshot(page, 'admin-audit-trail');
    assert.deepEqual(await axe(page), []);

    // Active impersonations: end it now, with confirmation.
    await open(page, 'Active impersonations');
    const entry = page.getByRole('row', { name: /Jonas Beispiel/ });
    await entry.waitFor();
    assert.match(await entry.innerText(), /Ticket 4711/);
    assert.match(await entry.innerText(), /left/);
    await screenshot(page, 'admin-impersonations');
    await entry.getByRole('button', { name: /End now/ }).click();
    const dialog = page.getByRole('dialog', { name: 'End this impersonation?' });
    await dialog.waitFor();
    assert.deepEqual(await axe(page), []);
    await dialog.getByRole('button', { name: 'End impersonation' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByText('The impersonation of Jonas Beispiel has ended.').waitFor();
    await entry.waitFor({ state: 'detached' });
    // With the ended ones shown, it is there with how it ended.
    await page.getByRole('switch', { name: 'Show ended ones' }).check();
    await page
      .getByRole('row', { name: /Jonas Beispiel/ })
      .getByText('Ended by an administrator')
      .waitFor();

    // The acting page's next request is signed out of it (a plain visit of this browser would
    // get the administrator's own session back, issue 7 #4; the page asks as the acting page).
    const after = await tab.evaluate(() =>
      window.fetch('/api/v1/session?acting=true').then((r: any) => r.status),
    );
    assert.equal(after, 401);
    await tab.evaluate(() => window.dispatchEvent(new Event('focus')));
    await tab.getByRole('heading', { name: 'The impersonation has ended' }).waitFor();
    assert.deepEqual(problems, []);
    assert.deepEqual(
      tabProblems.filter((p) => !/status of 401/.test(p)),
      [],
    );
  });

  it('R-IMP-12: a superadmin creates a policy, adds a draft and publishes it', async () => {
    const page = await (await context()).newPage();
    const problems = watch(page);
    await signIn(page, adminEmail, adminPassword, 'Users');
    await open(page, 'Terms');
    await page.getByRole('button', { name: 'Create policy' }).click();
    const create = page.getByRole('dialog', { name: 'Create a policy' });
    await create.waitFor();
    await create.getByLabel('Kind').click();
    await page.getByRole('option', { name: 'Terms and conditions' }).click();
    await create.getByRole('textbox', { name: 'Title' }).fill('Terms of use');
    await create.getByRole('button', { name: 'Create' }).click();
    await create.waitFor({ state: 'detached' });
    const section = page.getByRole('region', { name: 'Terms of use' });
    await section.getByText('No version published yet').waitFor();

    await section.getByRole('button', { name: 'Add version: Terms of use' }).click();
    const add = page.getByRole('dialog', { name: 'New version of “Terms of use”' });
    await add.getByRole('textbox', { name: 'Text' }).fill('1. Be kind.\n2. Keep your password to yourself.');
    await add.getByRole('button', { name: 'Save as draft' }).click();
    await add.waitFor({ state: 'detached' });
    const v1 = section.getByRole('row', { name: /Version 1/ });
    await v1.getByText('Draft').waitFor();
    await screenshot(page, 'admin-terms');
    assert.deepEqual(await axe(page), []);

    await v1.getByRole('button', { name: 'Publish: version 1 of Terms of use' }).click();
    await section.getByText('Current version: 1').waitFor();
    assert.ok(await v1.getByText('Current', { exact: true }).isVisible());
    await page.getByText('Version 1 of “Terms of use” is now current.').waitFor();

    // Users are now asked to accept it.
    const user = s.client();
    const login = await user.login(erika.primaryEmail, strongPassword);
    assert.deepEqual(
      login.body.pendingTerms.map((p: any) => p.title),
      ['Terms of use'],
    );

    // Archived, it asks nothing of anyone any more.
    await section.getByRole('button', { name: 'Archive: Terms of use' }).click();
    const archive = page.getByRole('dialog', { name: 'Archive “Terms of use”?' });
    await archive.getByRole('button', { name: 'Archive' }).click();
    await section.getByText('Archived', { exact: true }).waitFor();
    assert.deepEqual(problems, []);
  });
});

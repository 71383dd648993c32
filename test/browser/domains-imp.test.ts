// Issue 10, impersonation and domains, as a new administrator met them in a real browser: a
// domain on the platform no longer stops a power user (#1); the domain is set and shown in the
// console (#2); a domain's handoff opens on its host with the platform's port (#3); acting as a
// power user shows their console (#4); the original tab after an expiry (#5); the banner in the
// actor's language (#6).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { adminEmail, adminPassword, startServer, strongPassword, type TestServer } from '../harness.ts';
import { assign, createDomain, makeRole, setDomainOf } from '../orgs.ts';
import { browserClockStart, launchBrowser, newContext, watch } from './browser.ts';

// Run inside the page, where this exists.
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

async function signIn(page: Page, login: string, password: string, heading = 'Users'): Promise<void> {
  await page.goto(`${s.url}/admin`);
  await page.waitForURL(/\/admin\/sign-in/);
  await page.getByLabel('E-mail or username').fill(login);
  await page.getByRole('textbox', { name: 'Password', exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: heading, level: 1 }).waitFor();
}

const banner = (page: Page) => page.getByRole('region', { name: /Impersonation|Als Benutzer/ });

/** Starts "log in as" from the list row of `name` in the console; answers the new tab. */
async function logInAsFromList(c: BrowserContext, page: Page, name: string): Promise<Page> {
  await page.getByLabel('Search').fill(name);
  const row = page.getByRole('row', { name: new RegExp(name) });
  await row.waitFor();
  await row.getByRole('button', { name: /Log in as this/ }).click();
  const dialog = page.getByRole('dialog', { name: `Log in as ${name}` });
  await dialog.waitFor();
  await dialog.getByLabel('Reason').fill('Issue 10: trying it out');
  const opened = c.waitForEvent('page');
  await dialog.getByRole('button', { name: /Log in as/ }).click();
  return opened;
}

describe('issue 10: impersonation and domains in a real browser', () => {
  it('issue 10 #1, #2: with a domain present, a power user without domains logs in as an assigned user; the list shows domains', async () => {
    const domain = await createDomain(s, 'Filiale Nord');
    const member = await s.createUser({ firstName: 'Jörg', lastName: 'Domänenmitglied' });
    await setDomainOf(s, member.id, domain.id);
    const plain = await s.createUser({ firstName: 'Paula', lastName: 'Ohnedomain' });
    const power = await s.createUser({ firstName: 'Pia', lastName: 'Power', password: strongPassword });
    await makeRole(s, power.id, 'power-user');
    await assign(s, power.id, { users: [plain.id] });

    // The superadmin sees the domain in the list, and creates a user into it.
    const admin = await context();
    const adminPage = await admin.newPage();
    const adminProblems = watch(adminPage);
    await signIn(adminPage, adminEmail, adminPassword);
    await adminPage.getByLabel('Search').fill('Domänenmitglied');
    const memberRow = adminPage.getByRole('row', { name: /Jörg Domänenmitglied/ });
    await memberRow.getByRole('cell', { name: 'Filiale Nord' }).waitFor();
    await adminPage.getByRole('button', { name: 'Create user' }).click();
    const dialog = adminPage.getByRole('dialog', { name: 'Create user' });
    await dialog.getByLabel('E-mail address').fill('neu@example.test');
    await dialog.getByLabel('First name').fill('Nora');
    await dialog.getByLabel('Last name').fill('Neu');
    await dialog.getByLabel('Domain').selectOption({ label: 'Filiale Nord' });
    await dialog.getByRole('button', { name: 'Create user' }).click();
    await adminPage.waitForURL(/\/admin\/users\/[0-9a-f-]+$/);
    const id = new URL(adminPage.url()).pathname.split('/').pop()!;
    assert.equal((await s.admin.get(`/api/v1/admin/users/${id}`)).body.domainId, domain.id);
    // The user's page shows the domain, and moves the user out of it.
    await adminPage.getByText('Filiale Nord').first().waitFor();
    await adminPage.getByRole('combobox', { name: 'Domain' }).click();
    await adminPage.getByRole('option', { name: 'No domain' }).click();
    await adminPage.getByRole('button', { name: 'Save details' }).click();
    await adminPage.getByRole('status').getByText('Saved.').waitFor();
    assert.equal((await s.admin.get(`/api/v1/admin/users/${id}`)).body.domainId, null);
    assert.deepEqual(adminProblems, []);

    // The power user (no domains of their own) acts as their assigned user despite the domain.
    const c = await context();
    const page = await c.newPage();
    await signIn(page, power.primaryEmail, strongPassword);
    const tab = await logInAsFromList(c, page, 'Paula Ohnedomain');
    await banner(tab).getByText('You are acting as Paula Ohnedomain').waitFor();
  });

  it('issue 10 #3: a domain with a host name opens the acting tab on that host, with the port', async () => {
    const domain = await createDomain(s, 'Filiale Hafen', 'hafen.localhost');
    const subject = await s.createUser({ firstName: 'Hanna', lastName: 'Hafen' });
    await setDomainOf(s, subject.id, domain.id);
    const power = await s.createUser({ firstName: 'Hugo', lastName: 'Hafenchef', password: strongPassword });
    await makeRole(s, power.id, 'power-user');
    await assign(s, power.id, { domains: [domain.id] });
    const c = await context();
    const page = await c.newPage();
    await signIn(page, power.primaryEmail, strongPassword);
    const tab = await logInAsFromList(c, page, 'Hanna Hafen');
    await banner(tab).getByText('You are acting as Hanna Hafen').waitFor();
    const url = new URL(tab.url());
    assert.equal(url.hostname, 'hafen.localhost');
    assert.equal(url.port, new URL(s.url).port, "the platform's port");
  });

  it("issue 10 #4: acting as a power user shows the power user's console, with their reach only", async () => {
    const mine = await s.createUser({ firstName: 'Mira', lastName: 'Zugewiesen' });
    await s.createUser({ firstName: 'Otto', lastName: 'Fremd' });
    const power = await s.createUser({ firstName: 'Paul', lastName: 'Poweruser' });
    await makeRole(s, power.id, 'power-user');
    await assign(s, power.id, { users: [mine.id] });
    const c = await context();
    const page = await c.newPage();
    const problems = watch(page);
    await signIn(page, adminEmail, adminPassword);
    const tab = await logInAsFromList(c, page, 'Paul Poweruser');
    await banner(tab).getByText('You are acting as Paul Poweruser').waitFor();
    await tab.goto(`${s.url}/admin/users`);
    await tab.getByRole('heading', { name: 'Users', level: 1 }).waitFor();
    await tab.getByRole('row', { name: /Mira Zugewiesen/ }).waitFor();
    assert.equal(await tab.getByRole('row', { name: /Otto Fremd/ }).count(), 0, 'only their reach');
    const nav = tab.getByRole('navigation', { name: 'Administration' });
    assert.equal(await nav.getByRole('link', { name: 'Settings', exact: true }).count(), 0);
    assert.equal(await tab.getByText('Administration is unavailable').count(), 0);
    assert.ok(await banner(tab).isVisible(), 'the banner stays');
    assert.deepEqual(problems, []);
  });

  it("issue 10 #5, #6: the banner speaks the actor's language; after the expiry the original tab says what ended", async () => {
    await s.createUser({ firstName: 'Greta', lastName: 'Deutsch', language: 'de' });
    const c = await context();
    const page = await c.newPage();
    await signIn(page, adminEmail, adminPassword);
    const tab = await logInAsFromList(c, page, 'Greta Deutsch');
    // The page is the subject's (German); the banner the administrator's (English).
    await tab.getByRole('heading', { name: 'Hallo, Greta Deutsch' }).waitFor();
    await banner(tab).getByText('You are acting as Greta Deutsch').waitFor();
    assert.match(await banner(tab).innerText(), /Back to your account/);

    // The original tab, after the expiry, meets the ended session on its next request.
    s.clock.advance(31 * 60_000);
    await page.bringToFront();
    await page.getByLabel('Search').fill('Deutsch Greta');
    const notice = page.getByTestId('impersonation-ended');
    await notice.waitFor();
    assert.match(await notice.innerText(), /Your impersonation of Greta Deutsch has ended/);
    assert.match(await notice.innerText(), /Maximum duration ran out/);
    assert.equal(await page.getByRole('button', { name: 'Sign in' }).count(), 0, 'not the sign-in form');
    await notice.getByRole('link', { name: 'Back to the user list' }).click();
    await page.getByRole('heading', { name: 'Users', level: 1 }).waitFor();
    await page.evaluate(() => window.dispatchEvent(new Event('focus')));
    assert.equal(new URL(page.url()).pathname, '/admin/users');
  });
});

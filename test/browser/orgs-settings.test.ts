// The power-user, group, domain and settings pages in a real browser, each journey asserting
// what a person sees: a superadmin builds a power user's reach out of a group and a user, and the
// power user then sees only the Users page and only those users (R-IMP-02); the settings change
// and survive a reload, and a conflicting save keeps what was typed (R-ADM-14, R-IMP-04); a
// domain in use is not deleted (R-IMP-02); "Log in as this power user" on the power-user page
// returns there (R-IMP-01, R-IMP-06).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { adminEmail, adminPassword, startServer, strongPassword, type TestServer } from '../harness.ts';
import { accessibilityProblems, launchBrowser, newContext, screenshot, watch } from './browser.ts';

let s: TestServer;
let browser: Browser;
let paula: any;
const contexts: BrowserContext[] = [];

before(async () => {
  s = await startServer();
  paula = await s.createUser({ firstName: 'Paula', lastName: 'Power', password: strongPassword });
  await s.createUser({ firstName: 'Gina', lastName: 'Gruppe' });
  await s.createUser({ firstName: 'Dirk', lastName: 'Direkt' });
  await s.createUser({ firstName: 'Otto', lastName: 'Outside' });
  s.clock.set(Date.now());
  await s.admin.login(adminEmail, adminPassword);
  browser = await launchBrowser();
});

after(async () => {
  for (const c of contexts) await c.close();
  await browser?.close();
  await s?.close();
});

async function context(): Promise<BrowserContext> {
  const c = await newContext(browser);
  c.setDefaultTimeout(15_000);
  contexts.push(c);
  return c;
}

async function signIn(page: Page, login: string, password: string): Promise<void> {
  await page.goto(`${s.url}/admin`);
  await page.waitForURL(/\/admin\/sign-in/);
  await page.getByLabel('E-mail or username').fill(login);
  await page.getByRole('textbox', { name: 'Password', exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Users', level: 1 }).waitFor();
}

/** The expected refusals these journeys provoke (a field error, a conflict) are not problems. */
const unexpected = (problems: string[]) => problems.filter((p) => !/status of (412|422)/.test(p));

const nav = (page: Page) => page.getByRole('navigation', { name: 'Administration' });

/** Types into a picker and chooses the option that names this person. */
async function pick(page: Page, scope: ReturnType<Page['getByRole']> | Page, label: string, name: string) {
  const input = scope.getByRole('combobox', { name: label, exact: true });
  await input.click();
  await input.fill(name.split(' ')[0]!);
  await page.getByRole('option', { name: new RegExp(name) }).click();
  // A multiple choice stays open for the next one: leave it, as a keyboard user would.
  await input.press('Tab');
}

describe('power users, groups, domains and settings in a real browser', () => {
  it('R-IMP-02: a superadmin gives a power user a group with members and a user; the power user sees only them', async () => {
    const c = await context();
    const page = await c.newPage();
    const problems = watch(page);
    await signIn(page, adminEmail, adminPassword);

    // A group with one member.
    await nav(page).getByRole('link', { name: 'Groups', exact: true }).click();
    await page.getByRole('heading', { name: 'Groups', level: 1 }).waitFor();
    await page.getByLabel('Name of a new group').fill('Support team');
    await page.getByRole('button', { name: 'Create group' }).click();
    const groupRow = page.getByRole('row', { name: /Support team/ });
    await groupRow.waitFor();
    await groupRow.getByRole('button', { name: 'Members: Support team' }).click();
    const members = page.getByRole('dialog', { name: 'Members of Support team' });
    await members.waitFor();
    await pick(page, members, 'Members', 'Gina Gruppe');
    await screenshot(page, 'admin-group-members');
    assert.deepEqual(await accessibilityProblems(page), []);
    await members.getByRole('button', { name: 'Save' }).click();
    await members.waitFor({ state: 'detached' });
    await groupRow.getByRole('cell', { name: '1', exact: true }).waitFor();

    // Paula becomes a power user; her resources open at once.
    await nav(page).getByRole('link', { name: 'Power users', exact: true }).click();
    await page.getByRole('heading', { name: 'Power users', level: 1 }).waitFor();
    await pick(page, page, 'Make a user a power user', 'Paula Power');
    await page.getByRole('button', { name: 'Make power user' }).click();
    const resources = page.getByRole('dialog', { name: 'Resources of Paula Power' });
    await resources.waitFor();
    await pick(page, resources, 'Users', 'Dirk Direkt');
    const groups = resources.getByRole('combobox', { name: 'Groups', exact: true });
    await groups.click();
    await page.getByRole('option', { name: 'Support team' }).click();
    await groups.press('Tab');
    await screenshot(page, 'admin-power-user-resources');
    assert.deepEqual(await accessibilityProblems(page), []);
    await resources.getByRole('button', { name: 'Save' }).click();
    await resources.waitFor({ state: 'detached' });
    await page.getByRole('row', { name: /Paula Power/ }).waitFor();
    await screenshot(page, 'admin-power-users');

    const stored = await s.admin.get(`/api/v1/admin/users/${paula.id}/power-user-resources`);
    assert.deepEqual(
      stored.body.users.map((u: any) => u.displayName),
      ['Dirk Direkt'],
    );
    assert.deepEqual(
      stored.body.groups.map((g: any) => g.name),
      ['Support team'],
    );

    // The power user signs in: the Users page only, with exactly the users in her reach.
    const pc = await context();
    const pp = await pc.newPage();
    const pProblems = watch(pp);
    await signIn(pp, paula.primaryEmail, strongPassword);
    const links = await nav(pp).getByRole('link').allInnerTexts();
    assert.deepEqual(
      links.map((l) => l.trim()),
      ['Users'],
    );
    await pp.getByRole('row', { name: /Gina Gruppe/ }).waitFor();
    await pp.getByRole('row', { name: /Dirk Direkt/ }).waitFor();
    assert.equal(await pp.getByRole('row', { name: /Otto Outside/ }).count(), 0);
    // Pages outside her reach are not there, even by address.
    await pp.goto(`${s.url}/admin/power-users`);
    assert.equal(await pp.getByRole('heading', { name: 'Power users', level: 1 }).count(), 0);
    assert.deepEqual([...problems, ...pProblems], []);
  });

  it('R-ADM-14, R-IMP-04: settings change, survive a reload, and a conflict keeps what was typed', async () => {
    const c = await context();
    const page = await c.newPage();
    const problems = watch(page);
    await signIn(page, adminEmail, adminPassword);
    await nav(page).getByRole('link', { name: 'Settings', exact: true }).click();
    await page.getByRole('heading', { name: 'Settings', level: 1 }).waitFor();

    const threshold = page.getByLabel('Wrong attempts before the account locks');
    assert.equal(await threshold.inputValue(), '5');
    await threshold.fill('7');
    const blocked = page.getByRole('combobox', { name: 'Blocked while acting as someone' });
    await blocked.fill('courses.purchase');
    await blocked.press('Enter');
    await page.mouse.move(900, 20); // not hovering a navigation link
    await screenshot(page, 'admin-settings');
    assert.deepEqual(await accessibilityProblems(page), []);
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByText('The settings are saved.').waitFor();

    await page.reload();
    await page.getByRole('heading', { name: 'Settings', level: 1 }).waitFor();
    assert.equal(await page.getByLabel('Wrong attempts before the account locks').inputValue(), '7');
    await page.getByText('courses.purchase', { exact: true }).waitFor();
    const saved = await s.admin.get('/api/v1/admin/settings');
    assert.equal(saved.body.lockout.threshold, 7);
    assert.ok(saved.body.impersonation.blockedCapabilities.includes('courses.purchase'));
    assert.ok(saved.body.impersonation.blockedCapabilities.includes('password.change'));

    // A value out of range is shown at its field.
    await page.getByLabel('Wrong attempts before the account locks').fill('0');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByText('Some values are not valid; see the marked fields.').waitFor();
    assert.equal(
      await page.getByLabel('Wrong attempts before the account locks').getAttribute('aria-invalid'),
      'true',
    );

    // Someone else saves meanwhile: 412, "reload" takes their version and keeps ours.
    await page.getByLabel('Wrong attempts before the account locks').fill('9');
    const other = await s.admin.patch('/api/v1/admin/settings', { lockout: { durationSeconds: 1800 } });
    assert.equal(other.status, 200);
    await page.getByRole('button', { name: 'Save settings' }).click();
    const conflict = page.getByRole('alert').filter({ hasText: 'Changed by someone else' });
    await conflict.waitFor();
    await conflict.getByRole('button', { name: 'Reload' }).click();
    await conflict.waitFor({ state: 'detached' });
    assert.equal(await page.getByLabel('Wrong attempts before the account locks').inputValue(), '9');
    assert.equal(await page.getByLabel('Lock duration (minutes)').inputValue(), '30');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByText('The settings are saved.').waitFor();
    const after = await s.admin.get('/api/v1/admin/settings');
    assert.deepEqual(after.body.lockout, { threshold: 9, durationSeconds: 1800 });
    assert.deepEqual(unexpected(problems), []);
  });

  it('R-IMP-02: a domain that users belong to is not deleted, and the page says why', async () => {
    const c = await context();
    const page = await c.newPage();
    const problems = watch(page);
    await signIn(page, adminEmail, adminPassword);
    await nav(page).getByRole('link', { name: 'Domains', exact: true }).click();
    await page.getByRole('heading', { name: 'Domains', level: 1 }).waitFor();
    await page.getByLabel('Name', { exact: true }).fill('Nord');
    await page.getByLabel('Host name (optional)').fill('Nord.Example.test');
    await page.getByRole('button', { name: 'Create domain' }).click();
    const row = page.getByRole('row', { name: /Nord/ });
    await row.getByText('nord.example.test').waitFor();
    // A host name that is not one is refused at its field.
    await page.getByLabel('Name', { exact: true }).fill('Süd');
    await page.getByLabel('Host name (optional)').fill('https://sued.example.test/');
    await page.getByRole('button', { name: 'Create domain' }).click();
    await page.getByText(/no scheme, port or path/).waitFor();
    await screenshot(page, 'admin-domains');

    const domains = await s.admin.get('/api/v1/admin/domains');
    const nord = domains.body.items.find((d: any) => d.name === 'Nord');
    const member = await s.createUser({ firstName: 'Nora', lastName: 'Nord' });
    assert.equal(
      (await s.admin.patch(`/api/v1/admin/users/${member.id}`, { domainId: nord.id })).status,
      200,
    );

    await row.getByRole('button', { name: 'Delete: Nord' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete Nord?' });
    await dialog.getByRole('button', { name: 'Delete domain' }).click();
    await dialog
      .getByRole('alert')
      .getByText(/Users still belong to this domain/)
      .waitFor();
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    assert.equal(await page.getByRole('row', { name: /Nord/ }).count(), 1);

    // Once nobody belongs to it, it goes.
    assert.equal((await s.admin.patch(`/api/v1/admin/users/${member.id}`, { domainId: null })).status, 200);
    await row.getByRole('button', { name: 'Delete: Nord' }).click();
    await dialog.getByRole('button', { name: 'Delete domain' }).click();
    await page.getByRole('row', { name: /Nord/ }).waitFor({ state: 'detached' });
    assert.deepEqual(unexpected(problems), []);
  });

  it('R-IMP-01, R-IMP-06: "Log in as this power user" on the power-user page, and back to it', async () => {
    const c = await context();
    const page = await c.newPage();
    const problems = watch(page);
    await signIn(page, adminEmail, adminPassword);
    await nav(page).getByRole('link', { name: 'Power users', exact: true }).click();
    const row = page.getByRole('row', { name: /Paula Power/ });
    await row.getByRole('button', { name: 'Log in as this power user: Paula Power' }).click();
    const dialog = page.getByRole('dialog', { name: 'Log in as Paula Power' });
    await dialog.getByLabel(/Reason/).fill('Ticket 815: checking what Paula sees');
    const opened = c.waitForEvent('page');
    await dialog.getByRole('button', { name: /^Log in as/ }).click();
    const tab = await opened;
    const tabProblems = watch(tab);
    const banner = tab.getByRole('region', { name: 'Impersonation' });
    await banner.getByText(/You are acting as Paula Power/).waitFor();

    await banner.getByRole('button', { name: 'Back to your account' }).click();
    await tab.waitForURL(`${s.url}/admin/power-users`);
    await tab.getByRole('heading', { name: 'Power users', level: 1 }).waitFor();
    await tab.getByRole('row', { name: /Paula Power/ }).waitFor();
    assert.equal(await banner.count(), 0);
    assert.deepEqual([...problems, ...tabProblems], []);
  });
});

// The admin user list in a real browser, each step asserting what a person sees: creating a user
// (R-ADM-01), search, filters, sorting, paging and column choice (R-ADM-06), tags and creation
// dates (R-ADM-03), the "log in as" row action and its dialog (R-IMP-01), and a power user's
// reach (R-IMP-02). One server and one browser for the whole file.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { adminEmail, adminPassword, startServer, strongPassword, type TestServer } from '../harness.ts';
import {
  accessibilityProblems,
  launchBrowser,
  newContext,
  screenshot,
  watch,
  browserClockStart,
} from './browser.ts';

let s: TestServer;
let browser: Browser;
const contexts: BrowserContext[] = [];
let domain: { id: string; name: string };
let powerUser: any;
let otherPowerUser: any;
let inDomain: any;
let outside: any;

const ok = (res: { status: number; body: any }, status: number, what: string) => {
  if (res.status !== status) throw new Error(`${what}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
};

before(async () => {
  s = await startServer({}, { clockStart: browserClockStart() });
  // ~60 users to search, filter, sort and page through: "Pat Zeta00" .. "Pat Zeta59".
  // One second apart, so newest first is Zeta59 .. Zeta00.
  const zetas: any[] = [];
  for (let i = 0; i < 60; i++) {
    s.clock.advance(1000);
    zetas.push(await s.createUser({ firstName: 'Pat', lastName: `Zeta${String(i).padStart(2, '0')}` }));
  }
  for (const u of [zetas[5], zetas[6]]) {
    ok(await s.admin.patch(`/api/v1/admin/users/${u.id}`, { active: false }), 200, 'deactivate');
  }
  const superadmin = await s.createUser({ firstName: 'Second', lastName: 'Superadmin' });
  ok(await s.admin.put(`/api/v1/admin/users/${superadmin.id}/role`, { role: 'superadmin' }), 200, 'role');

  // R-IMP-02: a power user with a domain; in it a user and another power user; one user outside.
  domain = ok(await s.admin.post('/api/v1/admin/domains', { name: 'Northwind' }), 201, 'domain');
  powerUser = await s.createUser({ firstName: 'Paula', lastName: 'Power', password: strongPassword });
  otherPowerUser = await s.createUser({ firstName: 'Otto', lastName: 'Other' });
  inDomain = await s.createUser({ firstName: 'Dora', lastName: 'Domain' });
  outside = await s.createUser({ firstName: 'Ursula', lastName: 'Outside' });
  for (const u of [powerUser, otherPowerUser]) {
    ok(await s.admin.put(`/api/v1/admin/users/${u.id}/role`, { role: 'power-user' }), 200, 'role');
  }
  for (const u of [otherPowerUser, inDomain]) {
    ok(await s.admin.patch(`/api/v1/admin/users/${u.id}`, { domainId: domain.id }), 200, 'move');
  }
  ok(
    await s.admin.put(`/api/v1/admin/users/${powerUser.id}/power-user-resources`, {
      users: [],
      groups: [],
      domains: [domain.id],
    }),
    200,
    'resources',
  );
  // The page counts down against the browser's clock: let the server's clock agree with it.
  s.clock.set(Date.now());
  browser = await launchBrowser();
});

after(async () => {
  for (const c of contexts) await c.close();
  await browser?.close();
  await s?.close();
});

async function signedIn(
  login = adminEmail,
  password = adminPassword,
): Promise<{ page: Page; problems: string[] }> {
  const c = await newContext(browser);
  c.setDefaultTimeout(15_000);
  contexts.push(c);
  const page = await c.newPage();
  const problems = watch(page);
  await page.goto(`${s.url}/admin`);
  await page.getByLabel('E-mail or username').fill(login);
  await page.getByRole('textbox', { name: 'Password', exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Users', level: 1 }).waitFor();
  return { page, problems };
}

/** The body rows of the table (the header row aside). */
const bodyRows = (page: Page) => page.locator('tbody tr');
const firstRowName = (page: Page) => bodyRows(page).first().locator('th').first().innerText();
const loginAs = (row: Locator) => row.getByRole('button', { name: /^Log in as this (power )?user/ });

/** The reason a disabled "log in as" button gives, as a screen reader hears it. */
/** The reason a disabled row action gives, once its preview has answered (not "Checking…"). */
async function reasonOf(button: Locator): Promise<string> {
  await button.page().waitForFunction(
    (el: any) => {
      const id = el.getAttribute('aria-describedby');
      const text = id ? ((globalThis as any).document.getElementById(id)?.textContent ?? '') : '';
      return el.getAttribute('aria-disabled') === 'true' && text !== '' && !text.startsWith('Checking');
    },
    await button.elementHandle(),
  );
  const id = await button.getAttribute('aria-describedby');
  return button.page().locator(`[id="${id}"]`).innerText();
}

async function waitForRows(page: Page, n: number): Promise<void> {
  await page.waitForFunction(
    (count: number) =>
      (globalThis as any).document.querySelectorAll('table[aria-busy="false"] tbody tr').length === count,
    n,
  );
}

describe('the user list in a real browser', () => {
  it('R-ADM-01: the superadmin creates a user in the dialog (field errors from the API) and lands on its page', async () => {
    const { page, problems } = await signedIn();
    await page.getByRole('button', { name: 'Create user' }).click();
    const dialog = page.getByRole('dialog', { name: 'Create user' });
    await dialog.waitFor();
    // Focus is in the dialog at once, on the first field.
    assert.equal(
      await dialog
        .getByLabel('E-mail address')
        .evaluate((el) => el === (el as any).ownerDocument.activeElement),
      true,
    );
    await dialog.getByLabel('E-mail address').fill('not-an-address');
    await dialog.getByLabel('Username').fill('ab');
    await dialog.getByLabel('First name').fill('Clara');
    await dialog.getByLabel('Last name').fill('Created');
    await dialog.getByRole('button', { name: 'Create user' }).click();
    // The API's messages at the fields they concern.
    await dialog.getByText('must be an e-mail address').waitFor();
    await dialog.getByText('must be at least 3 characters').waitFor();
    assert.equal(await dialog.getByLabel('E-mail address').getAttribute('aria-invalid'), 'true');
    assert.deepEqual(await accessibilityProblems(page), []);
    await screenshot(page, 'admin-create-user');

    await dialog.getByLabel('E-mail address').fill('clara.created@example.test');
    await dialog.getByLabel('Username').fill('clara.c');
    await dialog.getByLabel('Gender').selectOption('female');
    await dialog.getByLabel('Language').selectOption('de');
    await dialog.getByRole('button', { name: 'Create user' }).click();
    await page.waitForURL(/\/admin\/users\/[0-9a-f-]{36}$/);
    const id = new URL(page.url()).pathname.split('/').pop()!;
    const created = ok(await s.admin.get(`/api/v1/admin/users/${id}`), 200, 'read');
    assert.equal(created.displayName, 'Clara Created');
    assert.equal(created.username, 'clara.c');
    assert.equal(created.gender, 'female');
    assert.equal(created.language, 'de');
    assert.equal(created.primaryEmail, 'clara.created@example.test');
    // The 422 of the first try is the answer the dialog shows at the fields.
    assert.deepEqual(
      problems.filter((p) => !/status of 422/.test(p)),
      [],
    );
  });

  it('R-ADM-06, R-ADM-03: search, filters, sorting and cursor paging on the server; tags as badges; the exact creation time on hover', async () => {
    const { page, problems } = await signedIn();
    await page.getByLabel('Search').fill('zeta');
    await page.getByText('60 users').waitFor();
    await waitForRows(page, 25);
    // Newest first by default.
    assert.equal(await firstRowName(page), 'Pat Zeta59');
    const created = page.locator('tbody tr').first().locator('time');
    assert.match((await created.getAttribute('title')) ?? '', /20\d\d.*\d\d:\d\d:\d\d/);
    assert.ok(await bodyRows(page).first().getByText('Active', { exact: true }).isVisible(), 'tag badge');

    // Paging forward through a cursor stack, and back again.
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByText('Page 2').waitFor();
    await waitForRows(page, 25);
    const secondPageFirst = await firstRowName(page);
    assert.equal(secondPageFirst, 'Pat Zeta34');
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByText('Page 3').waitFor();
    await waitForRows(page, 10);
    assert.equal(await page.getByRole('button', { name: 'Next' }).isDisabled(), true);
    await page.getByRole('button', { name: 'Previous' }).click();
    await page.getByText('Page 2').waitFor();
    await waitForRows(page, 25);
    assert.equal(await firstRowName(page), secondPageFirst);

    // Sorting by a column header: back to the first page, aria-sort says the order.
    const nameHeader = page.getByRole('columnheader', { name: /Name/ });
    await page.getByRole('button', { name: 'Sort by Name' }).click();
    await page.getByText('Page 1').waitFor();
    await page.waitForFunction(
      () => (globalThis as any).document.querySelector('tbody tr th')?.innerText === 'Pat Zeta00',
    );
    assert.equal(await nameHeader.getAttribute('aria-sort'), 'ascending');
    await page.getByRole('button', { name: 'Sort by Name' }).click();
    await page.waitForFunction(
      () => (globalThis as any).document.querySelector('tbody tr th')?.innerText === 'Pat Zeta59',
    );
    assert.equal(await nameHeader.getAttribute('aria-sort'), 'descending');
    assert.equal(await page.getByRole('columnheader', { name: /Created/ }).getAttribute('aria-sort'), null);

    // Filters: status, tag, role, domain.
    await page.getByLabel('Status', { exact: true }).selectOption('inactive');
    await page.getByText('2 users').waitFor();
    await waitForRows(page, 2);
    assert.deepEqual(await bodyRows(page).locator('th').allInnerTexts(), ['Pat Zeta06', 'Pat Zeta05']);
    assert.ok(await bodyRows(page).first().getByText('Inactive', { exact: true }).isVisible());
    await page.getByLabel('Status', { exact: true }).selectOption('');
    await page.getByLabel('Tag', { exact: true }).selectOption('inactive');
    await page.getByText('2 users').waitFor();
    await page.getByRole('button', { name: 'Reset filters' }).click();
    await page.getByText('60 users').waitFor();

    await page.getByLabel('Search').fill('');
    await page.getByLabel('Role', { exact: true }).selectOption('power-user');
    await page.getByText('2 users').waitFor();
    await waitForRows(page, 2);
    assert.deepEqual((await bodyRows(page).locator('th').allInnerTexts()).sort(), [
      'Otto Other',
      'Paula Power',
    ]);
    await page.getByLabel('Role', { exact: true }).selectOption('');
    await page.getByLabel('Domain', { exact: true }).selectOption({ label: 'Northwind' });
    await page.getByText('2 users').waitFor();
    await waitForRows(page, 2);
    assert.deepEqual((await bodyRows(page).locator('th').allInnerTexts()).sort(), [
      'Dora Domain',
      'Otto Other',
    ]);
    assert.deepEqual(await accessibilityProblems(page), []);
    assert.deepEqual(problems, []);
  });

  it('R-ADM-06: the column choice is remembered for the administrator and survives a reload', async () => {
    const { page, problems } = await signedIn();
    const header = (name: string) => page.getByRole('columnheader', { name, exact: true });
    await page.getByRole('button', { name: 'Sort by E-mail' }).waitFor();
    assert.equal(await page.getByRole('button', { name: 'Sort by Username' }).count(), 0);
    await page.getByRole('button', { name: 'Columns' }).click();
    await page.getByRole('checkbox', { name: 'E-mail' }).uncheck();
    await page.getByRole('checkbox', { name: 'Username' }).check();
    await page.getByRole('checkbox', { name: 'ID' }).check();
    await page.keyboard.press('Escape');
    await header('ID').waitFor();
    assert.equal(await page.getByRole('button', { name: 'Sort by E-mail' }).count(), 0);
    await page.waitForFunction(async () => {
      const r: any = await fetch('/api/v1/account/preferences').then((x) => x.json());
      return JSON.stringify(r.preferences['users.columns']) === '["username","tags","created","id"]';
    });

    await page.reload();
    await header('ID').waitFor();
    await page.getByRole('button', { name: 'Sort by Username' }).waitFor();
    assert.equal(await page.getByRole('button', { name: 'Sort by E-mail' }).count(), 0);
    assert.deepEqual(problems, []);
  });

  it('R-IMP-01: "Log in as" is disabled with the reason for a superadmin and for yourself, and on for a user', async () => {
    const { page, problems } = await signedIn();
    await page.getByLabel('Search').fill('superadmin');
    const other = page.getByRole('row', { name: /Second Superadmin/ });
    await other.waitFor();
    assert.equal(await reasonOf(loginAs(other)), 'Superadmins cannot be impersonated.');
    await page.getByLabel('Search').fill('Super Admin');
    const self = page.getByRole('row', { name: /Super Admin/ }).filter({ hasNotText: 'Second' });
    await self.waitFor();
    assert.equal(await reasonOf(loginAs(self)), 'You cannot act as yourself.');
    // Clicking a disabled action opens nothing; hovering shows the reason.
    await loginAs(self).click({ force: true });
    assert.equal(await page.getByRole('dialog').count(), 0);
    await loginAs(self).hover();
    await page.getByRole('tooltip', { name: 'You cannot act as yourself.' }).waitFor();

    await page.getByLabel('Search').fill('Zeta10');
    const row = page.getByRole('row', { name: /Pat Zeta10/ });
    await row.waitFor();
    const button = loginAs(row);
    await page.waitForFunction((el: any) => !el.hasAttribute('aria-disabled'), await button.elementHandle());
    await button.click();
    const dialog = page.getByRole('dialog', { name: 'Log in as Pat Zeta10' });
    await dialog.waitFor();
    // No domain to pick for a superadmin; the planned duration is bounded by the setting.
    assert.equal(await dialog.getByLabel('Domain').count(), 0);
    assert.ok(
      (await dialog.getByLabel('Planned duration').locator('option').allInnerTexts()).includes('30 minutes'),
    );
    assert.deepEqual(await accessibilityProblems(page), []);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });
    assert.deepEqual(problems, []);
  });

  it('R-IMP-02, R-IMP-01: a power user sees only assigned users, cannot act as a power user, and picks the domain', async () => {
    const { page, problems } = await signedIn(powerUser.primaryEmail, strongPassword);
    await page.getByRole('row', { name: /Dora Domain/ }).waitFor();
    await waitForRows(page, 2);
    assert.deepEqual((await bodyRows(page).locator('th').allInnerTexts()).sort(), [
      'Dora Domain',
      'Otto Other',
    ]);
    assert.equal(await page.getByRole('row', { name: /Ursula Outside/ }).count(), 0);
    // Neither creating users nor a domain filter for a power user.
    assert.equal(await page.getByRole('button', { name: 'Create user' }).count(), 0);
    assert.equal(await page.getByLabel('Domain', { exact: true }).count(), 0);

    const other = page.getByRole('row', { name: /Otto Other/ });
    assert.equal(
      await reasonOf(other.getByRole('button', { name: /^Log in as this power user/ })),
      'Power users cannot act as other power users.',
    );

    const row = page.getByRole('row', { name: /Dora Domain/ });
    const button = loginAs(row);
    await page.waitForFunction((el: any) => !el.hasAttribute('aria-disabled'), await button.elementHandle());
    await button.click();
    const dialog = page.getByRole('dialog', { name: 'Log in as Dora Domain' });
    await dialog.waitFor();
    const picker = dialog.getByLabel('Domain');
    assert.equal(await picker.inputValue(), domain.id);
    assert.deepEqual(await picker.locator('option').allInnerTexts(), ['Northwind']);
    await dialog.getByLabel('Reason').fill('Ticket 42: profile check');
    await screenshot(page, 'admin-impersonate-domain');
    const opened = page.context().waitForEvent('page');
    await dialog.getByRole('button', { name: 'Log in as user' }).click();
    const tab = await opened;
    const tabProblems = watch(tab);
    await tab.getByRole('heading', { name: 'Hello, Dora Domain' }).waitFor();
    await tab
      .getByRole('region', { name: 'Impersonation' })
      .getByText('You are acting as Dora Domain')
      .waitFor();
    const active = ok(await s.admin.get('/api/v1/admin/impersonations'), 200, 'list');
    const started = active.items.find((i: any) => i.subject.id === inDomain.id);
    assert.equal(started?.domainId, domain.id, 'acting in the picked domain');
    assert.equal(started?.reason, 'Ticket 42: profile check');
    assert.deepEqual([...problems, ...tabProblems], []);
    assert.ok(outside.id);
  });
});

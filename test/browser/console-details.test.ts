// Issue 10 #17, the smaller things an administrator hit in the console, each in a real browser:
// the member picker lay over its own Save button; the search was gone on coming back to the
// list; "1,000+" instead of a sentence and a way to the exact count; the user page was one
// 3,000 px scroll; an administrator's own user page said "not here" six times.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { adminEmail, adminPassword, startServer, strongPassword, type TestServer } from '../harness.ts';
import { seedUsers } from '../../bench/seed-users.ts';
import { accessibilityProblems, browserClockStart, launchBrowser, newContext, watch } from './browser.ts';

let s: TestServer;
let browser: Browser;
const contexts: BrowserContext[] = [];
/** The users seeded beyond the list's cap of 1000 (bench/seed-users.ts: user<i>@peer.test). */
const seeded = 1100;

before(async () => {
  s = await startServer({}, { clockStart: browserClockStart() });
  s.clock.set(Date.now());
  await seedUsers(s.services.database, { users: seeded });
  browser = await launchBrowser();
});

after(async () => {
  for (const c of contexts) await c.close();
  await browser?.close();
  await s?.close();
});

async function signedIn(
  path: string,
  locale = 'en-US',
  who = { email: adminEmail, password: adminPassword },
) {
  const c = await newContext(browser, locale);
  c.setDefaultTimeout(15_000);
  contexts.push(c);
  const page = await c.newPage();
  const problems = watch(page);
  await page.goto(`${s.url}${path}`);
  const de = locale.startsWith('de');
  await page.getByLabel(de ? 'E-Mail oder Benutzername' : 'E-mail or username').fill(who.email);
  await page.getByRole('textbox', { name: de ? 'Passwort' : 'Password', exact: true }).fill(who.password);
  await page.getByRole('button', { name: de ? 'Anmelden' : 'Sign in' }).click();
  return { page, problems };
}

// Run inside the page, where it exists.
declare const location: { hash: string };

const count = (page: Page) => page.getByTestId('user-count');

describe('issue 10 #17: the smaller things, in a real browser', () => {
  it('R-ADM-06: past 1000 the list says "more than 1,000 users" and counts exactly on demand', async () => {
    const { page, problems } = await signedIn('/admin/users');
    await page.getByRole('heading', { name: 'Users', level: 1 }).waitFor();
    await count(page).getByText('more than 1,000 users').waitFor();
    assert.doesNotMatch(await count(page).innerText(), /\+/);
    await page.getByRole('button', { name: 'Count exactly' }).click();
    await count(page)
      .getByText(`${(seeded + 1).toLocaleString('en-GB')} users`, { exact: true })
      .waitFor();
    assert.equal(await page.getByRole('button', { name: 'Count exactly' }).count(), 0);
    // A narrower search counts anew, exactly at once when under the cap.
    await page.getByRole('searchbox', { name: 'Search' }).fill('user105');
    await count(page).getByText('11 users', { exact: true }).waitFor();
    assert.deepEqual(await accessibilityProblems(page), []);
    assert.deepEqual(problems, []);
  });

  it('R-ADM-06 (German): "mehr als 1.000 Benutzer", and the exact count in German digits', async () => {
    const { user } = await s.signedInWith(['users.read'], { language: 'de' });
    const { page, problems } = await signedIn('/admin/users', 'de-DE', {
      email: user.primaryEmail,
      password: strongPassword,
    });
    await count(page).getByText('mehr als 1.000 Benutzer').waitFor();
    await page.getByRole('button', { name: 'Genau zählen' }).click();
    await count(page)
      .getByText(/^1\.\d{3} Benutzer$/)
      .waitFor();
    assert.deepEqual(problems, []);
  });

  it('R-ADM-06: the search stays when coming back to the list, by "back" and by the navigation', async () => {
    const target = await s.createUser({ firstName: 'Selma', lastName: 'Suchbar' });
    const { page, problems } = await signedIn('/admin/users');
    const box = page.getByRole('searchbox', { name: 'Search' });
    await box.fill('Suchbar');
    const row = page.getByRole('row', { name: /Selma Suchbar/ });
    await row.waitFor();
    await count(page).getByText('1 user', { exact: true }).waitFor();
    await row.getByRole('link', { name: 'Selma Suchbar' }).click();
    await page.getByRole('heading', { name: 'Selma Suchbar', level: 1 }).waitFor();

    await page.goBack();
    await page.getByRole('heading', { name: 'Users', level: 1 }).waitFor();
    assert.equal(await box.inputValue(), 'Suchbar', 'kept after "back"');
    await count(page).getByText('1 user', { exact: true }).waitFor();

    await page.goto(`${s.url}/admin/users/${target.id}`);
    await page.getByRole('link', { name: 'Back to the users' }).click();
    await page.getByRole('heading', { name: 'Users', level: 1 }).waitFor();
    assert.equal(await box.inputValue(), 'Suchbar', 'kept after the link back');
    await page.getByRole('row', { name: /Selma Suchbar/ }).waitFor();
    await page
      .getByRole('navigation', { name: 'Administration' })
      .getByRole('link', { name: 'Users', exact: true })
      .click();
    assert.equal(await box.inputValue(), 'Suchbar', 'kept after the navigation link');
    // Emptying the box is a new, empty search that stays empty.
    await box.fill('');
    await count(page).getByText('more than 1,000 users').waitFor();
    await page.reload();
    await page.getByRole('heading', { name: 'Users', level: 1 }).waitFor();
    assert.equal(await box.inputValue(), '');
    assert.deepEqual(problems, []);
  });

  it('R-ADM-06: the member picker, closed after a pick, leaves the Save button to the mouse', async () => {
    await s.createUser({ firstName: 'Gundula', lastName: 'Gruppe' });
    const group = await s.admin.post('/api/v1/admin/groups', { name: 'Helpdesk' });
    assert.equal(group.status, 201, JSON.stringify(group.body));
    const { page, problems } = await signedIn('/admin/groups');
    const row = page.getByRole('row', { name: /Helpdesk/ });
    await row.getByRole('button', { name: 'Members: Helpdesk' }).click();
    const dialog = page.getByRole('dialog', { name: 'Members of Helpdesk' });
    const input = dialog.getByRole('combobox', { name: 'Members', exact: true });
    await input.click();
    await input.fill('Gundula');
    await page.getByRole('option', { name: /Gundula Gruppe/ }).click();
    // Straight to Save with the mouse, as a person does: nothing may lie over it.
    await dialog.getByRole('button', { name: 'Save' }).click({ timeout: 5_000 });
    await dialog.waitFor({ state: 'detached' });
    const members = await s.admin.get(`/api/v1/admin/groups/${group.body.id}/members`);
    assert.deepEqual(
      members.body.users.map((u: any) => u.displayName),
      ['Gundula Gruppe'],
    );
    assert.deepEqual(problems, []);
  });

  it('R-ADM-03: the user page has a bar of links to its sections that stays in reach', async () => {
    const user = await s.createUser({ firstName: 'Lena', lastName: 'Lang' });
    const { page, problems } = await signedIn(`/admin/users/${user.id}`);
    await page.getByRole('heading', { name: 'Lena Lang', level: 1 }).waitFor();
    const bar = page.getByRole('navigation', { name: 'Sections of this page' });
    const links = await bar.getByRole('link').allInnerTexts();
    assert.deepEqual(links, [
      'Profile properties',
      'Personal details',
      'Permissions',
      'E-mails',
      'Linked accounts',
      'Security',
      'User information',
      'Delete user',
    ]);
    await bar.getByRole('link', { name: 'E-mails' }).click();
    const heading = page.getByRole('heading', { name: 'E-mails', level: 2 });
    await page.waitForFunction(() => location.hash === '#user-emails');
    const box = await heading.boundingBox();
    assert.ok(
      box && box.y >= 56 && box.y < 400,
      `the section's heading is at the top: ${JSON.stringify(box)}`,
    );
    // The bar stayed on screen, below the console's header.
    const barBox = await bar.boundingBox();
    assert.ok(barBox && barBox.y >= 50 && barBox.y < 120, JSON.stringify(barBox));
    await bar.getByRole('link', { name: 'Security' }).click();
    await page.waitForFunction(() => location.hash === '#user-security');
    const security = await page.getByRole('heading', { name: 'Security', level: 2 }).boundingBox();
    assert.ok(security && security.y >= 56 && security.y < 400, JSON.stringify(security));
    assert.deepEqual(await accessibilityProblems(page), []);
    assert.deepEqual(problems, []);
  });

  it('R-ADM-08: on their own user page an administrator gets one notice with a link to My Profile', async () => {
    const { user } = await s.signedInWith(['users.read', 'users.update', 'users.credentials'], {
      firstName: 'Sina',
      lastName: 'Selbst',
    });
    const { page, problems } = await signedIn(`/admin/users/${user.id}`, 'en-US', {
      email: user.primaryEmail,
      password: strongPassword,
    });
    await page.getByRole('heading', { name: 'Sina Selbst', level: 1 }).waitFor();
    const notice = page.getByRole('note');
    await notice.getByText('You cannot administer your own account here.').waitFor();
    assert.equal(await page.getByText(/your own account/).count(), 1, 'said once');
    assert.ok(await page.getByLabel('First name').isDisabled(), 'the sections stay read-only');
    await notice.getByRole('link', { name: 'Change it in My Profile' }).click();
    await page.waitForURL(`${s.url}/profile`);
    assert.deepEqual(await accessibilityProblems(page), []);
    assert.deepEqual(problems, []);
  });
});

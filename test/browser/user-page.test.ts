// The user page /admin/users/:id in a real browser (seed 004, issue 4): a generated password is
// shown once and works after saving (R-ADM-12); a locked account is shown and unlocked
// (R-ADM-14); deleting needs the typed ID (R-ADM-15); e-mail actions without mails (R-ADM-09);
// an edit that meets someone else's change says so and keeps what was typed (ETag, If-Match).
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

async function newPage(locale = 'en-US'): Promise<{ page: Page; problems: string[] }> {
  const c = await newContext(browser, locale);
  c.setDefaultTimeout(15_000);
  contexts.push(c);
  const page = await c.newPage();
  return { page, problems: watch(page) };
}

/** Signs the superadmin in and opens the user page of `id`. */
async function openUserPage(page: Page, id: string, name: string): Promise<void> {
  await page.goto(`${s.url}/admin/users/${id}`);
  await page.getByLabel('E-mail or username').fill(adminEmail);
  await page.getByRole('textbox', { name: 'Password', exact: true }).fill(adminPassword);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name, level: 1 }).waitFor();
}

const section = (page: Page, name: string) => page.getByRole('region', { name });

/** Problems other than the refusals a step provokes on purpose (the page shows them). */
const unexpected = (problems: string[], statuses: number[]) =>
  problems.filter((p) => !statuses.some((code) => p.includes(`status of ${code}`)));

describe('the user page in a real browser', () => {
  it('R-ADM-03, R-ADM-12: a generated password is shown once, saved, and the user signs in with it', async () => {
    const user = await s.createUser({ firstName: 'Greta', lastName: 'Neu', username: 'greta.neu' });
    const { page, problems } = await newPage();
    await openUserPage(page, user.id, 'Greta Neu');

    // Profile properties: username read-only with the reason, ID, creation date, tags.
    const profile = section(page, 'Profile properties');
    assert.ok(await profile.getByText('greta.neu').isVisible());
    assert.ok(await profile.getByText('Only the user can change the username, from My Profile.').isVisible());
    assert.equal(await page.getByTestId('user-id').innerText(), user.id);
    assert.ok(await profile.getByRole('button', { name: 'Copy ID' }).isVisible());
    assert.ok(await profile.getByText('Active', { exact: true }).isVisible());
    assert.ok(await profile.getByText('Cannot log in', { exact: true }).isVisible(), 'no password yet');
    await profile.locator('time').hover();
    await page.getByRole('tooltip').waitFor();
    assert.match(
      await page.getByRole('tooltip').innerText(),
      /\d{2}:\d{2}:\d{2}/,
      'exact timestamp on hover',
    );
    // No field for the username anywhere (R-ADM-02).
    assert.equal(await page.getByRole('textbox', { name: 'Username' }).count(), 0);
    // The authenticator app cannot be chosen by an administrator (R-ADM-13).
    const security = section(page, 'Security');
    assert.ok(await security.getByRole('radio', { name: 'Authenticator app' }).isDisabled());
    assert.ok(await security.getByText('Only the user can set up an authenticator app').isVisible());

    await security.getByRole('button', { name: 'Generate new password' }).click();
    const shown = page.getByTestId('generated-password');
    await shown.waitFor();
    const password = await shown.innerText();
    assert.ok(password.length >= 12, 'a policy-conforming password');
    assert.ok(await security.getByRole('button', { name: 'Copy password' }).isVisible());
    await screenshot(page, 'admin-user-page');
    // Not in effect before "Save".
    assert.equal((await s.client().login(user.primaryEmail, password)).status, 401);
    await security.getByRole('button', { name: 'Save new password' }).click();
    await security.getByText('The new password is in effect.').waitFor();
    // Gone after saving, and the user can now sign in.
    assert.equal(await shown.count(), 0);
    assert.equal(await page.getByText(password).count(), 0);
    await profile.getByText('Cannot log in', { exact: true }).waitFor({ state: 'detached' });
    assert.deepEqual(await accessibilityProblems(page), []);
    assert.deepEqual(problems, []);

    const { page: client, problems: clientProblems } = await newPage();
    await client.goto(`${s.url}/`);
    await client.getByLabel('E-mail or username').fill(user.primaryEmail);
    await client.getByRole('textbox', { name: 'Password', exact: true }).fill(password);
    await client.getByRole('button', { name: 'Sign in' }).click();
    await client.getByRole('heading', { name: 'Hello, Greta Neu' }).waitFor();
    assert.deepEqual(clientProblems, []);
  });

  it('R-ADM-14: five wrong passwords lock the account; the admin sees the lock, resets, sign-in works', async () => {
    const user = await s.createUser({ firstName: 'Lars', lastName: 'Gesperrt', password: strongPassword });
    const outsider = s.client();
    for (let i = 0; i < 5; i++) await outsider.login(user.primaryEmail, 'Wrong-Password-123');
    assert.notEqual((await s.client().login(user.primaryEmail, strongPassword)).status, 200, 'locked');

    const { page, problems } = await newPage();
    await openUserPage(page, user.id, 'Lars Gesperrt');
    const security = section(page, 'Security');
    const lock = page.getByTestId('lock-state');
    assert.match(await lock.innerText(), /Locked until/);
    assert.match(await lock.innerText(), /5 failed logins/);
    assert.ok(await section(page, 'Profile properties').getByText('Locked', { exact: true }).isVisible());
    await security.getByRole('button', { name: 'Reset login attempts' }).click();
    await security.getByText('The login attempts were reset').waitFor();
    await lock.getByText('Not locked.').waitFor();
    assert.ok(await security.getByRole('button', { name: 'Reset login attempts' }).isDisabled());
    assert.equal((await s.client().login(user.primaryEmail, strongPassword)).status, 200);
    assert.deepEqual(problems, []);
  });

  it('R-ADM-15: deleting needs the user ID typed', async () => {
    const user = await s.createUser({ firstName: 'Dora', lastName: 'Weg' });
    const { page, problems } = await newPage();
    await openUserPage(page, user.id, 'Dora Weg');
    await section(page, 'Delete user').getByRole('button', { name: 'Delete user…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete Dora Weg?' });
    await dialog.waitFor();
    const field = dialog.getByLabel('User ID');
    assert.ok(
      await field.evaluate((el) => el === (el.ownerDocument as any).activeElement),
      'focus in the dialog',
    );
    const confirm = dialog.getByRole('button', { name: 'Delete for good' });
    assert.ok(await confirm.isDisabled());
    await field.fill(user.id.slice(0, -1));
    assert.ok(await confirm.isDisabled(), 'a wrong ID does not do');
    await field.fill(user.id);
    assert.ok(await confirm.isEnabled());
    await screenshot(page, 'admin-user-delete');
    await confirm.click();
    await page.waitForURL(`${s.url}/admin/users`);
    assert.equal((await s.admin.get(`/api/v1/admin/users/${user.id}`)).status, 404);
    assert.deepEqual(problems, []);
  });

  it('R-ADM-03 (ETag): a change by someone else meanwhile is shown, and what was typed stays', async () => {
    const user = await s.createUser({ firstName: 'Karl', lastName: 'Alt' });
    const { page, problems } = await newPage();
    await openUserPage(page, user.id, 'Karl Alt');
    const details = section(page, 'Personal details');
    await details.getByLabel('First name').fill('Karla');
    // Someone else changes the user in between.
    const other = await s.admin.patch(`/api/v1/admin/users/${user.id}`, { lastName: 'Anders' });
    assert.equal(other.status, 200);

    await details.getByRole('button', { name: 'Save details' }).click();
    const alert = details.getByRole('alert');
    await alert.getByText('Changed by someone else', { exact: true }).waitFor();
    assert.equal(await details.getByLabel('First name').inputValue(), 'Karla', 'typed value kept');
    assert.equal(
      (await s.admin.get(`/api/v1/admin/users/${user.id}`)).body.firstName,
      'Karl',
      'nothing saved',
    );

    await alert.getByRole('button', { name: 'Reload' }).click();
    await page.getByRole('heading', { name: 'Karl Anders', level: 1 }).waitFor();
    assert.equal(await details.getByLabel('First name').inputValue(), 'Karla', 'still kept after reload');
    // The field this form did not touch follows the other change, so saving does not undo it.
    assert.equal(await details.getByLabel('Last name').inputValue(), 'Anders');
    assert.equal(await alert.count(), 0);
    await details.getByRole('button', { name: 'Save details' }).click();
    await details.getByText('Saved.').waitFor();
    await page.getByRole('heading', { name: 'Karla Anders', level: 1 }).waitFor();
    const now = (await s.admin.get(`/api/v1/admin/users/${user.id}`)).body;
    assert.equal(now.firstName, 'Karla');
    assert.equal(now.lastName, 'Anders');
    assert.deepEqual(unexpected(problems, [412]), []);
  });

  it('R-ADM-09: add, verify, make primary and remove addresses without a mail', async () => {
    const user = await s.createUser({ firstName: 'Emma', lastName: 'Mail' });
    const { page, problems } = await newPage();
    await openUserPage(page, user.id, 'Emma Mail');
    const emails = section(page, 'E-mails');
    const first = emails.getByRole('listitem', { name: user.primaryEmail });
    assert.ok(await first.getByText('Primary', { exact: true }).isVisible());
    assert.ok(await first.getByText('Not verified', { exact: true }).isVisible());

    // A field error from the API appears at the field.
    await emails.getByLabel('New e-mail address').fill('not-an-address');
    await emails.getByRole('button', { name: 'Add address' }).click();
    await emails.getByText('must be an e-mail address').waitFor();

    await emails.getByLabel('New e-mail address').fill('emma.second@example.test');
    await emails.getByRole('button', { name: 'Add address' }).click();
    const second = emails.getByRole('listitem', { name: 'emma.second@example.test' });
    await second.waitFor();
    assert.equal(await emails.getByLabel('New e-mail address').inputValue(), '');

    await second.getByRole('button', { name: 'Verify' }).click();
    await second.getByText('Verified', { exact: true }).waitFor();
    await second.getByRole('button', { name: 'Use as primary' }).click();
    await second.getByText('Primary', { exact: true }).waitFor();
    await section(page, 'Profile properties').getByText('emma.second@example.test').waitFor();
    await first.getByRole('button', { name: 'Remove' }).click();
    await first.waitFor({ state: 'detached' });

    const now = (await s.admin.get(`/api/v1/admin/users/${user.id}`)).body;
    assert.equal(now.primaryEmail, 'emma.second@example.test');
    assert.deepEqual(
      now.emails.map((e: any) => [e.address, e.verified, e.primary]),
      [['emma.second@example.test', true, true]],
    );
    const outbox = await s.admin.get('/api/v1/admin/outbox');
    if (outbox.status === 200) {
      const items: any[] = outbox.body.items ?? [];
      assert.ok(!items.some((m) => JSON.stringify(m).includes('emma.second@example.test')), 'no mail sent');
    }
    assert.deepEqual(unexpected(problems, [422]), []);
  });

  it('R-ADM-08, R-ADM-07: a reader sees read-only sections with the reason, and their own account is not theirs to edit here (German)', async () => {
    const other = await s.createUser({ firstName: 'Otto', lastName: 'Anderer' });
    const { user: reader } = await s.signedInWith(['users.read'], {
      firstName: 'Rita',
      lastName: 'Leser',
      language: 'de',
    });
    const { page, problems } = await newPage('de-DE');
    await page.goto(`${s.url}/admin/users/${other.id}`);
    await page.getByLabel('E-Mail oder Benutzername').fill(reader.primaryEmail);
    await page.getByRole('textbox', { name: 'Passwort', exact: true }).fill(strongPassword);
    await page.getByRole('button', { name: 'Anmelden' }).click();
    await page.getByRole('heading', { name: 'Otto Anderer', level: 1 }).waitFor();
    const details = section(page, 'Persönliche Angaben');
    await details.getByText('Sie haben nicht die Berechtigung, dies zu ändern.').waitFor();
    assert.ok(await details.getByLabel('Vorname').isDisabled());
    assert.ok(await page.getByRole('switch', { name: 'Profil ist aktiv' }).isDisabled());
    assert.equal(await page.getByRole('button', { name: 'Neues Passwort generieren' }).count(), 0);
    assert.equal(await page.getByRole('button', { name: 'Benutzer löschen…' }).count(), 0);
    assert.equal(await page.getByRole('button', { name: 'Adresse hinzufügen' }).count(), 0);
    // No audit.read: no history.
    assert.equal(await page.getByRole('heading', { name: 'Letzte Ereignisse' }).count(), 0);
    await section(page, 'Benutzerinformationen').waitFor();

    await page.goto(`${s.url}/admin/users/${reader.id}`);
    await page.getByRole('heading', { name: 'Rita Leser', level: 1 }).waitFor();
    await page
      .getByRole('note')
      .getByText('Ihr eigenes Konto können Sie hier nicht administrieren')
      .waitFor();
    assert.deepEqual(problems, []);
  });
});

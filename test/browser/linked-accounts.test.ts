// Linked accounts in a real browser (issue 8): a user removes a link in My Profile, and is
// refused, translated, when it is their last way to sign in (R-ADM-16); an administrator links
// an account with the wizard and removes it again (R-ADM-11); the same pages in German.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { adminEmail, adminPassword, startServer, strongPassword, type TestServer } from '../harness.ts';
import { createLoginService, linkAccount } from '../login-services.ts';
import { accessibilityProblems, browserClockStart, launchBrowser, newContext, watch } from './browser.ts';

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

async function signIn(page: Page, path: string, login: string, password: string, german = false) {
  await page.goto(`${s.url}${path}`);
  await page.getByLabel(german ? 'E-Mail oder Benutzername' : 'E-mail or username').fill(login);
  await page.getByRole('textbox', { name: german ? 'Passwort' : 'Password', exact: true }).fill(password);
  await page.getByRole('button', { name: german ? 'Anmelden' : 'Sign in' }).click();
}

const section = (page: Page, name: string) => page.getByRole('region', { name });
/** Problems other than the refusals a step provokes on purpose (the page shows them). */
const unexpected = (problems: string[], statuses: number[]) =>
  problems.filter((p) => !statuses.some((code) => p.includes(`status of ${code}`)));

describe('linked accounts in a real browser', () => {
  it('R-ADM-16: a user removes a link in My Profile after confirming; the last way to sign in is refused, translated', async () => {
    const shown = await createLoginService(s, { displayName: 'Campus Login' });
    const other = await createLoginService(s, { displayName: 'Partner Login' });
    const user = await s.createUser({ firstName: 'Lina', lastName: 'Link', password: strongPassword });
    await linkAccount(s, user.id, shown.id, 'lina@campus');
    await linkAccount(s, user.id, other.id, 'lina@partner');
    const { page, problems } = await newPage();
    await signIn(page, '/profile', user.primaryEmail, strongPassword);
    const links = section(page, 'Linked accounts');
    await links.getByRole('cell', { name: 'lina@partner' }).waitFor();
    await links.getByRole('cell', { name: 'lina@campus' }).waitFor();
    // Linking is a plain link to the service's sign-in, coming back to My Profile.
    const linkButton = links.getByRole('link', { name: 'Link with Campus Login' });
    assert.equal(
      await linkButton.getAttribute('href'),
      `/api/v1/account/linked-accounts/link/${shown.id}?returnTo=%2Fprofile`,
    );

    await links.getByRole('button', { name: 'Remove the account at Partner Login' }).click();
    const dialog = page.getByRole('dialog', { name: 'Remove linked account?' });
    await dialog.getByText('lina@partner').waitFor();
    await dialog.getByRole('button', { name: 'Remove' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await links.getByRole('cell', { name: 'lina@partner' }).waitFor({ state: 'detached' });
    assert.deepEqual(
      (await s.admin.get(`/api/v1/admin/users/${user.id}/linked-accounts`)).body.items.map(
        (l: any) => l.subject,
      ),
      ['lina@campus'],
    );

    // Without a password the remaining link is the last way in (the session goes on).
    await s.services.database.db
      .updateTable('users')
      .set({ password_hash: null })
      .where('id', '=', user.id)
      .execute();
    await links.getByRole('button', { name: 'Remove the account at Campus Login' }).click();
    await dialog.getByRole('button', { name: 'Remove' }).click();
    await dialog
      .getByRole('alert')
      .getByText('This is your last way to sign in. Set a password or link another account first.')
      .waitFor();
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await links.getByRole('cell', { name: 'lina@campus' }).waitFor();

    // The outcome of linking at the service, as its callback reports it.
    await page.goto(`${s.url}/profile?linkedAccount=linked`);
    await section(page, 'Linked accounts').getByText('The account is linked.').waitFor();
    assert.deepEqual(await accessibilityProblems(page), []);
    assert.deepEqual(unexpected(problems, [409]), []);
  });

  it('R-ADM-11: an administrator links an account with the wizard, sees who holds a taken one, and removes the link', async () => {
    const service = await createLoginService(s, { displayName: 'Staff ID' });
    const user = await s.createUser({ firstName: 'Wim', lastName: 'Wizard' });
    const holder = await s.createUser({ firstName: 'Hedda', lastName: 'Holder' });
    await linkAccount(s, holder.id, service.id, 'taken-subject');
    const { page, problems } = await newPage();
    await signIn(page, `/admin/users/${user.id}`, adminEmail, adminPassword);
    await page.getByRole('heading', { name: 'Wim Wizard', level: 1 }).waitFor();
    const links = section(page, 'Linked accounts');
    await links.getByText('No accounts are linked.').waitFor();
    // R-ADM-04: no password, no link: the tag shows.
    await page.getByText('Cannot log in', { exact: true }).waitFor();

    await links.getByRole('button', { name: 'Link account' }).click();
    const wizard = page.getByRole('dialog', { name: 'Link account' });
    await wizard.getByRole('combobox', { name: 'Login service' }).click();
    await page.getByRole('option', { name: 'Staff ID' }).click();
    await wizard.getByRole('textbox', { name: "User's identifier" }).fill('taken-subject');
    await wizard.getByRole('button', { name: 'Link account' }).click();
    await wizard.getByRole('alert').getByText('This account is already linked to the profile of').waitFor();
    await wizard.getByRole('link', { name: 'Hedda Holder' }).waitFor();

    await wizard.getByRole('textbox', { name: "User's identifier" }).fill('wim-4711');
    await wizard.getByRole('button', { name: 'Link account' }).click();
    await wizard.waitFor({ state: 'hidden' });
    await links.getByRole('listitem', { name: 'Staff ID: wim-4711' }).waitFor();
    // R-ADM-04: the page's tags follow at once.
    await page.getByText('Cannot log in', { exact: true }).waitFor({ state: 'detached' });
    assert.ok(!(await s.admin.get(`/api/v1/admin/users/${user.id}`)).body.tags.includes('cannot-log-in'));

    await links.getByRole('button', { name: 'Remove the account wim-4711 at Staff ID' }).click();
    const confirm = page.getByRole('dialog', { name: 'Remove linked account?' });
    await confirm.getByRole('button', { name: 'Remove' }).click();
    await links.getByText('No accounts are linked.').waitFor();
    assert.deepEqual((await s.admin.get(`/api/v1/admin/users/${user.id}/linked-accounts`)).body.items, []);
    assert.deepEqual(await accessibilityProblems(page), []);
    assert.deepEqual(unexpected(problems, [409]), []);
  });

  it('R-ADM-11, R-ADM-16: in German, the wizard and My Profile use the words of the platform documentation', async () => {
    await createLoginService(s, {
      displayName: 'Campus ID',
      displayNameDe: 'Campus-Kennung',
    });
    const user = await s.createUser({ firstName: 'Karl', lastName: 'Konto' });
    const { user: admin } = await s.signedInWith(['users.read', 'users.credentials'], {
      firstName: 'Anna',
      lastName: 'Admin',
      language: 'de',
    });
    const { page, problems } = await newPage('de-DE');
    await signIn(page, `/admin/users/${user.id}`, admin.primaryEmail, strongPassword, true);
    await page.getByRole('heading', { name: 'Karl Konto', level: 1 }).waitFor();
    const links = section(page, 'Verknüpfte Konten');
    await links.getByText('Es sind keine Konten verknüpft.').waitFor();
    await links.getByRole('button', { name: 'Konto verknüpfen' }).click();
    const wizard = page.getByRole('dialog', { name: 'Konto verknüpfen' });
    await wizard.getByText('Der Benutzer erhält darüber keine E-Mail.').waitFor();
    await wizard.getByRole('combobox', { name: 'Login-Dienst' }).click();
    await page.getByRole('option', { name: 'Campus-Kennung' }).click();
    await wizard.getByRole('textbox', { name: 'Identifikator des Benutzers' }).fill('karl-1');
    await wizard.getByRole('button', { name: 'Konto verknüpfen' }).click();
    await links.getByRole('listitem', { name: 'Campus-Kennung: karl-1' }).waitFor();
    await links.getByRole('button', { name: 'Das Konto karl-1 bei Campus-Kennung entfernen' }).waitFor();

    // The administrator's own My Profile, in German.
    await page.goto(`${s.url}/profile?linkedAccount=linked`);
    const own = section(page, 'Verknüpfte Konten');
    await own.getByText('Das Konto ist verknüpft.').waitFor();
    await own.getByText('Es sind keine Konten verknüpft.').waitFor();
    await own.getByRole('link', { name: 'Mit Campus-Kennung verknüpfen' }).waitFor();
    assert.deepEqual(problems, []);
  });
});

// R-ADM-10 in a real browser (seed 004, "Profile verbinden"): on the user page, an unverified
// address that is verified in another profile offers "Connect profiles"; the preview shows
// both profiles, what moves and what is dropped, and the choice a difference needs; "Connect"
// leaves one profile. The same in German.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, BrowserContext } from 'playwright-core';
import { adminEmail, adminPassword, startServer, strongPassword, type TestServer } from '../harness.ts';
import {
  accessibilityProblems,
  browserClockStart,
  launchBrowser,
  newContext,
  screenshot,
  watch,
} from './browser.ts';
import { connectedPair, ok } from '../merge.ts';

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

async function signedInPage(
  locale: string,
  path: string,
  labels: { login: string; password: string; submit: string },
  who = { login: adminEmail, password: adminPassword },
) {
  const c = await newContext(browser, locale);
  c.setDefaultTimeout(15_000);
  contexts.push(c);
  const page = await c.newPage();
  const problems = watch(page);
  await page.goto(`${s.url}${path}`);
  await page.getByLabel(labels.login).fill(who.login);
  await page.getByRole('textbox', { name: labels.password, exact: true }).fill(who.password);
  await page.getByRole('button', { name: labels.submit }).click();
  return { page, problems };
}

/** Browser problems other than the 404 the absorbed ID answers on purpose. */
const unexpected = (problems: string[]) => problems.filter((p) => !p.includes('status of 404'));

const en = { login: 'E-mail or username', password: 'Password', submit: 'Sign in' };
const de = { login: 'E-Mail oder Benutzername', password: 'Passwort', submit: 'Anmelden' };

async function pair(firstA: string, firstB: string) {
  const { a, b, address } = await connectedPair(s, { password: false });
  ok(
    await s.admin.patch(`/api/v1/admin/users/${a.id}`, { firstName: firstA, lastName: 'Doppel' }),
    200,
    'name A',
  );
  ok(
    await s.admin.patch(`/api/v1/admin/users/${b.id}`, { firstName: firstB, lastName: 'Doppel' }),
    200,
    'name B',
  );
  return { a, b, address };
}

describe('connect profiles in a real browser', () => {
  it('R-ADM-10: an administrator reads the preview, decides the difference, and connects', async () => {
    const { a, b, address } = await pair('Anna', 'Berta');
    ok(
      await s.admin.put(`/api/v1/admin/users/${a.id}/permissions`, { general: ['help'], system: [] }),
      200,
      'help',
    );
    const { page, problems } = await signedInPage('en-US', `/admin/users/${a.id}`, en);
    await page.getByRole('heading', { name: 'Anna Doppel', level: 1 }).waitFor();

    const emails = page.getByRole('region', { name: 'E-mails' });
    await emails.getByRole('button', { name: `Connect profiles: ${address}` }).click();
    const dialog = page.getByRole('dialog', { name: 'Connect profiles' });
    await dialog.getByText('Stays', { exact: true }).waitFor();
    assert.ok(
      await dialog.getByRole('radio', { name: 'Berta Doppel (holds the verified address)' }).isChecked(),
    );
    assert.ok(await dialog.getByLabel('Stays: Berta Doppel').isVisible());
    assert.ok(await dialog.getByLabel('Is absorbed: Anna Doppel').isVisible());
    const drops = dialog.getByRole('list', { name: 'Is dropped' });
    assert.ok(await drops.getByText(`${address} (the remaining profile has it already)`).isVisible());
    assert.ok(await drops.getByText(/Of the absorbed profile: first name, last name/).isVisible());

    // Permissions differ: "Connect" waits for the choice.
    const connect = dialog.getByRole('button', { name: 'Connect', exact: true });
    assert.ok(await connect.isDisabled());
    await dialog.getByRole('radio', { name: /^Both together/ }).check();
    assert.deepEqual(await accessibilityProblems(page), []);
    await screenshot(page, 'admin-connect-profiles');
    await connect.click();

    await page.getByRole('heading', { name: 'Berta Doppel', level: 1 }).waitFor();
    assert.equal(new URL(page.url()).pathname, `/admin/users/${b.id}`);
    const survivor = ok(await s.admin.get(`/api/v1/admin/users/${b.id}`), 200, 'survivor');
    assert.deepEqual(survivor.permissions.general, ['help']);
    assert.equal((await s.admin.get(`/api/v1/admin/users/${a.id}`)).body.code, 'user_merged');
    // The absorbed ID leads to the survivor.
    await page.goto(`${s.url}/admin/users/${a.id}`);
    await page.getByRole('link', { name: 'Open the profile it was connected into' }).click();
    await page.getByRole('heading', { name: 'Berta Doppel', level: 1 }).waitFor();
    assert.deepEqual(unexpected(problems), []);
  });

  it('R-ADM-10: the same in German, keeping this profile', async () => {
    const { a, address } = await pair('Carla', 'Dora');
    // A German-speaking administrator with just the rights connecting needs (no superadmin).
    const admin = await s.createUser({ language: 'de', password: strongPassword });
    const rights = ['users.read', 'users.update', 'users.credentials', 'users.delete'];
    ok(
      await s.admin.put(`/api/v1/admin/users/${admin.id}/permissions`, { general: [], system: rights }),
      200,
      'grant',
    );
    const { page, problems } = await signedInPage('de-DE', `/admin/users/${a.id}`, de, {
      login: admin.primaryEmail,
      password: strongPassword,
    });
    await page.getByRole('heading', { name: 'Carla Doppel', level: 1 }).waitFor();
    await page
      .getByRole('region', { name: 'E-Mails' })
      .getByRole('button', { name: `Profile verbinden: ${address}` })
      .click();
    const dialog = page.getByRole('dialog', { name: 'Profile verbinden' });
    await dialog.getByRole('radio', { name: 'Carla Doppel (dieses Profil)' }).check();
    await dialog.getByLabel('Bleibt: Carla Doppel').waitFor();
    assert.ok(await dialog.getByRole('list', { name: 'Geht auf das verbleibende Profil über' }).isVisible());
    assert.ok(await dialog.getByText(`${address} wird verifiziert`).isVisible());
    await dialog.getByRole('button', { name: 'Verbinden', exact: true }).click();
    await dialog.waitFor({ state: 'detached' });
    const survivor = ok(await s.admin.get(`/api/v1/admin/users/${a.id}`), 200, 'survivor');
    assert.ok(survivor.emails.some((e: any) => e.address === address && e.verified));
    assert.ok(await page.getByRole('region', { name: 'E-Mails' }).getByText(address).first().isVisible());
    assert.deepEqual(problems, []);
  });
});

// issue 10, German and English, in a real browser: the language chosen is kept (#7), server
// messages arrive in the interface's language down to each field (#8), the console uses the
// glossary's words (#9) and shows audit actions as words, not codes (#10).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startServer, strongPassword, type TestServer } from '../harness.ts';
import { accessibilityProblems, browserClockStart, launchBrowser, newContext, watch } from './browser.ts';

declare const document: any;

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

async function page(locale = 'en-US'): Promise<Page> {
  const c = await newContext(browser, locale);
  c.setDefaultTimeout(20_000);
  contexts.push(c);
  return c.newPage();
}

const htmlLang = (p: Page) => p.evaluate(() => document.documentElement.lang as string);

/** Signs in on the user's sign-in page and waits for the greeting `heading`. */
async function signIn(p: Page, login: string, heading: string): Promise<void> {
  await p.goto(`${s.url}/sign-in`);
  await p.getByLabel('E-mail or username').fill(login);
  await p.getByRole('textbox', { name: 'Password', exact: true }).fill(strongPassword);
  await p.getByRole('button', { name: 'Sign in' }).click();
  await p.getByRole('heading', { name: heading }).waitFor();
}

describe('German and English in a real browser (issue 10)', () => {
  it('issue 10 #7: signed out, the language chosen on the sign-in page survives a reload (R-OPS-02)', async () => {
    const p = await page('en-US');
    const problems = watch(p);
    await p.goto(`${s.url}/sign-in`);
    await p.getByRole('heading', { name: 'Sign in' }).waitFor();
    await p.getByText('Deutsch', { exact: true }).click();
    await p.getByRole('heading', { name: 'Anmelden' }).waitFor();
    await p.reload();
    await p.getByRole('heading', { name: 'Anmelden' }).waitFor();
    assert.equal(await htmlLang(p), 'de');
    // And back: English is kept just the same.
    await p.getByText('English', { exact: true }).click();
    await p.getByRole('heading', { name: 'Sign in' }).waitFor();
    await p.reload();
    await p.getByRole('heading', { name: 'Sign in' }).waitFor();
    assert.deepEqual(problems, []);
  });

  it('issue 10 #7: signed in, the choice is kept in the profile: after a reload and in another browser', async () => {
    const user = await s.createUser({
      firstName: 'Jörg',
      lastName: 'Schröder',
      language: 'en',
      password: strongPassword,
    });
    const p = await page('en-US');
    const problems = watch(p);
    await signIn(p, user.primaryEmail, 'Hello, Jörg Schröder');

    await p.getByText('Deutsch', { exact: true }).click();
    await p.getByRole('heading', { name: 'Hallo, Jörg Schröder' }).waitFor();
    // The profile holds the choice (the server's record, not only this page).
    for (let i = 0; i < 50; i++) {
      if ((await s.admin.get(`/api/v1/admin/users/${user.id}`)).body.language === 'de') break;
      await p.waitForTimeout(100);
    }
    assert.equal((await s.admin.get(`/api/v1/admin/users/${user.id}`)).body.language, 'de');
    await p.reload();
    await p.getByRole('heading', { name: 'Hallo, Jörg Schröder' }).waitFor();

    // Another browser, English by its settings: the sign-in page is English, the account German.
    const other = await page('en-US');
    await other.goto(`${s.url}/sign-in`);
    await other.getByLabel('E-mail or username').fill(user.primaryEmail);
    await other.getByRole('textbox', { name: 'Password', exact: true }).fill(strongPassword);
    await other.getByRole('button', { name: 'Sign in' }).click();
    await other.getByRole('heading', { name: 'Hallo, Jörg Schröder' }).waitFor();
    assert.equal(await htmlLang(other), 'de');
    assert.deepEqual(problems, []);
  });

  it('issue 10 #7: switched to German and back to English at once, the profile keeps English', async () => {
    const user = await s.createUser({
      firstName: 'Ida',
      lastName: 'Ortmann',
      language: 'en',
      password: strongPassword,
    });
    const p = await page('en-US');
    const problems = watch(p);
    await signIn(p, user.primaryEmail, 'Hello, Ida Ortmann');
    // The session read that follows the switch to German is held back until English is chosen,
    // as a slow answer would be: until it arrives, the page's session still says English.
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    await p.route('**/api/v1/session', async (route) => {
      if (route.request().method() === 'GET') await held;
      await route.continue();
    });
    const refreshAfterGerman = p.waitForRequest(
      (r) => r.method() === 'GET' && new URL(r.url()).pathname === '/api/v1/session',
    );
    await p.getByRole('group', { name: 'Language' }).getByText('Deutsch', { exact: true }).click();
    await p.getByRole('heading', { name: 'Hallo, Ida Ortmann' }).waitFor();
    await refreshAfterGerman;
    const englishSent = p.waitForRequest(
      (r) => r.method() === 'PATCH' && /"language":"en"/.test(r.postData() ?? ''),
    );
    await p.getByRole('group', { name: 'Sprache' }).getByText('English', { exact: true }).click();
    await englishSent;
    // From here every session read passes at once, the held one first.
    release();
    for (let i = 0; i < 50; i++) {
      if ((await s.admin.get(`/api/v1/admin/users/${user.id}`)).body.language === 'en') break;
      await p.waitForTimeout(100);
    }
    assert.equal((await s.admin.get(`/api/v1/admin/users/${user.id}`)).body.language, 'en');
    await p.reload();
    await p.getByRole('heading', { name: 'Hello, Ida Ortmann' }).waitFor();
    assert.deepEqual(problems, []);
  });

  it("issue 10 #8, #9, #10: a German administrator sees German field errors, the glossary's words and actions as words", async () => {
    const taken = await s.createUser({ username: 'erika.m', firstName: 'Erika', lastName: 'Mustermann' });
    const admin = await s.createUser({
      firstName: 'Karl',
      lastName: 'Köhler',
      language: 'de',
      password: strongPassword,
    });
    const grant = await s.admin.put(`/api/v1/admin/users/${admin.id}/permissions`, {
      general: [],
      system: ['users.read', 'users.create', 'audit.read', 'notifications.manage', 'domains.manage'],
    });
    assert.equal(grant.status, 200, JSON.stringify(grant.body));

    const p = await page('de-DE');
    const problems = watch(p);
    await p.goto(`${s.url}/admin`);
    await p.getByLabel('E-Mail oder Benutzername').fill(admin.primaryEmail);
    await p.getByRole('textbox', { name: 'Passwort', exact: true }).fill(strongPassword);
    await p.getByRole('button', { name: 'Anmelden' }).click();
    await p.getByRole('heading', { name: 'Benutzer', level: 1 }).waitFor();

    // #9: the navigation in the seeds' words.
    const nav = p.getByRole('navigation', { name: 'Administration' });
    for (const word of ['Audit-Trail', 'Postausgang', 'Domains']) {
      await nav.getByRole('link', { name: word }).waitFor();
    }

    // #8: the API's field errors, in German at the fields they concern.
    await p.getByRole('button', { name: 'Benutzer anlegen' }).click();
    const dialog = p.getByRole('dialog', { name: 'Benutzer anlegen' });
    await dialog.getByLabel('E-Mail-Adresse').fill('keine-adresse');
    await dialog.getByLabel('Benutzername').fill('ab');
    await dialog.getByLabel('Vorname').fill('Clara');
    await dialog.getByLabel('Nachname').fill('Neu');
    await dialog.getByRole('button', { name: 'Benutzer anlegen' }).click();
    await dialog.getByText('muss eine E-Mail-Adresse sein').waitFor();
    await dialog.getByText('muss mindestens 3 Zeichen lang sein').waitFor();
    await dialog.getByLabel('E-Mail-Adresse').fill('clara.neu@example.test');
    await dialog.getByLabel('Benutzername').fill(taken.username);
    await dialog.getByRole('button', { name: 'Benutzer anlegen' }).click();
    await dialog.getByText('ist bereits vergeben').waitFor();
    const dialogText = await dialog.innerText();
    assert.doesNotMatch(dialogText, /must be|is already taken|Too small/, dialogText);
    assert.deepEqual(await accessibilityProblems(p), []);
    await dialog.getByRole('button', { name: 'Abbrechen' }).click();

    // #10: the audit trail says what happened in words.
    await nav.getByRole('link', { name: 'Audit-Trail' }).click();
    await p.getByRole('heading', { name: 'Audit-Trail', level: 1 }).waitFor();
    await p.getByText('hat einen Benutzer angelegt').first().waitFor();
    const trail = await p.locator('main').innerText();
    assert.doesNotMatch(trail, /\buser\.created\b|\bauth\.login\b|\buser\.permissions_changed\b/);
    assert.match(trail, /Benutzer/);
    // The refused attempts above were answered 422 and 409, as they should be.
    assert.deepEqual(
      problems.filter((m) => !/status of (409|422)/.test(m)),
      [],
    );
  });
});

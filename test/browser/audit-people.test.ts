// Issue 10 #11, the audit trail for people, in a real browser and in German: an administrator
// finds a user's events through the person picker (a name, not an ID), an impersonation's
// events through its link (its start with the reason included), narrows by an action chosen
// by its words, and reads the same sentences in the user page's recent history (R-IMP-08).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { adminEmail, adminPassword, startServer, strongPassword, type TestServer } from '../harness.ts';
import { actAs } from '../impersonation-helpers.ts';
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

async function page(locale: string): Promise<Page> {
  const c = await newContext(browser, locale);
  c.setDefaultTimeout(30_000);
  contexts.push(c);
  return c.newPage();
}

/** axe on the page as it rests: the pointer off every control. */
async function axe(p: Page): Promise<string[]> {
  await p.mouse.move(1270, 790);
  return accessibilityProblems(p);
}

const rows = (p: Page) => p.getByRole('table', { name: /Einträge im Audit-Trail/ }).getByRole('row');

describe('the audit trail for people, in German (issue 10 #11)', () => {
  it('R-IMP-08, issue 10 #11: a new administrator finds a user’s events by the picker and an impersonation’s by its link', async () => {
    const erika = await s.createUser({
      firstName: 'Erika',
      lastName: 'Musterfrau',
      password: strongPassword,
    });
    await s.createUser({ firstName: 'Otto', lastName: 'Nebenbei' });
    // The superadmin acts as Erika in a browser of their own, changes her profile, and ends it.
    const acting = s.client();
    assert.equal((await acting.login(adminEmail, adminPassword)).status, 200);
    const started = await actAs(acting, erika.id, { reason: 'Ticket 12: Name falsch' });
    assert.equal((await acting.patch('/api/v1/account/profile', { lastName: 'Mustermann' })).status, 200);
    assert.equal(
      (await s.admin.delete(`/api/v1/admin/impersonations/${started.impersonationId}`)).status,
      204,
    );

    // A new administrator who reads users and the audit trail, in German.
    const { user: karl } = await s.signedInWith(['users.read', 'audit.read'], {
      firstName: 'Karl',
      lastName: 'Köhler',
      language: 'de',
    });
    const p = await page('de-DE');
    const problems = watch(p);
    await p.goto(`${s.url}/admin`);
    await p.getByLabel('E-Mail oder Benutzername').fill(karl.primaryEmail);
    await p.getByRole('textbox', { name: 'Passwort', exact: true }).fill(strongPassword);
    await p.getByRole('button', { name: 'Anmelden' }).click();
    await p.getByRole('heading', { name: 'Benutzer', level: 1 }).waitFor();
    await p
      .getByRole('navigation', { name: 'Administration' })
      .getByRole('link', { name: 'Audit-Trail' })
      .click();
    await p.getByRole('heading', { name: 'Audit-Trail', level: 1 }).waitFor();

    // The person: typed by name, chosen by name and e-mail address. The trail keeps the names
    // as they were (Musterfrau); the picker shows the current one.
    const picker = p.getByRole('combobox', { name: 'Person', exact: true });
    await picker.click();
    await picker.fill('Erika');
    await p.getByRole('option', { name: new RegExp(`Erika Mustermann <${erika.primaryEmail}>`) }).click();
    await p.getByRole('button', { name: 'Filter anwenden' }).click();
    await p.waitForURL(new RegExp(`personId=${erika.id}`));
    const start = rows(p).filter({
      hasText:
        'Super Admin hat einen Identitätswechsel begonnen: Erika Musterfrau. Grund: Ticket 12: Name falsch',
    });
    await start.waitFor();
    await rows(p)
      .filter({
        hasText: 'Super Admin (im Identitätswechsel als Erika Musterfrau) hat das eigene Profil geändert.',
      })
      .first()
      .waitFor();
    const text = await p.locator('main').innerText();
    assert.doesNotMatch(text, /Otto Nebenbei/, 'only events of Erika');
    assert.doesNotMatch(text, /\bimpersonation\.started\b|\buser\.created\b|\baccount\.profile_updated\b/);
    assert.doesNotMatch(text, new RegExp(erika.id), 'no IDs in the list');
    assert.deepEqual(await axe(p), []);

    // The impersonation, through the link of its start: start, opening, change and end.
    await start.getByRole('button', { name: /^Diesen Identitätswechsel anzeigen/ }).click();
    await p.waitForURL(new RegExp(`impersonationId=${started.impersonationId}`));
    await p.getByText('Nur die Einträge eines Identitätswechsels (Grund: Ticket 12: Name falsch).').waitFor();
    await rows(p).filter({ hasText: 'hat einen Identitätswechsel beendet' }).waitFor();
    const sentences = await rows(p).filter({ hasText: 'Grund: Ticket 12: Name falsch' }).allInnerTexts();
    assert.equal(sentences.length, 4, sentences.join('\n'));
    assert.match(sentences.at(-1)!, /hat einen Identitätswechsel begonnen/);
    assert.deepEqual(await axe(p), []);

    // Actions chosen by their words: only the starts.
    await p.getByRole('button', { name: 'Alle Identitätswechsel zeigen' }).click();
    const actions = p.getByRole('combobox', { name: 'Aktionen', exact: true });
    await actions.click();
    await actions.fill('begonnen');
    await p.getByRole('option', { name: 'hat einen Identitätswechsel begonnen' }).click();
    await actions.press('Tab');
    await p.getByRole('button', { name: 'Filter anwenden' }).click();
    await p.waitForURL(/action=impersonation\.started/);
    await start.waitFor();
    await rows(p)
      .filter({ hasText: 'hat das eigene Profil geändert' })
      .first()
      .waitFor({ state: 'detached' });

    // The user page's recent history: the same sentences, and a way to all of them.
    await p.goto(`${s.url}/admin/users/${erika.id}`);
    await p.getByRole('heading', { name: 'Erika Mustermann', level: 1 }).waitFor();
    const history = p.getByRole('table', { name: 'Letzte Ereignisse' });
    await history
      .getByRole('row')
      .filter({
        hasText: 'Super Admin hat einen Identitätswechsel begonnen: Erika Musterfrau. Grund: Ticket 12',
      })
      .waitFor();
    assert.doesNotMatch(await history.innerText(), /impersonation\.|account\./);
    assert.deepEqual(await axe(p), []);
    await p.getByRole('link', { name: 'Alle Einträge zu Erika Mustermann im Audit-Trail' }).click();
    await p.waitForURL(new RegExp(`/admin/audit\\?personId=${erika.id}`));
    await p.getByRole('heading', { name: 'Audit-Trail', level: 1 }).waitFor();
    // The picker shows "…" until it has read the person's name.
    await p.waitForFunction((el) => (el as { value: string }).value !== '…', await picker.elementHandle());
    assert.match(await picker.inputValue(), /^Erika Mustermann/);
    assert.deepEqual(problems, []);
  });
});

// The console's Apps page in a real browser (issue 9, `apps.manage`): a superadmin registers an
// app, sees its secret once (and the secret works at the provider), gives it a new secret (the
// old one stops working), changes and deletes it; a refused URI is explained at its field; and a
// German-speaking administrator holding only `apps.manage` sees the page in German.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { adminEmail, adminPassword, startServer, strongPassword, type TestServer } from '../harness.ts';
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

async function page(): Promise<Page> {
  const c = await newContext(browser);
  c.setDefaultTimeout(15_000);
  contexts.push(c);
  return c.newPage();
}

async function signIn(p: Page, login: string, password: string, heading: string): Promise<void> {
  await p.goto(`${s.url}/admin`);
  await p.waitForURL(/\/admin\/sign-in/);
  await p.getByLabel('E-mail or username').fill(login);
  await p.getByRole('textbox', { name: 'Password', exact: true }).fill(password);
  await p.getByRole('button', { name: 'Sign in' }).click();
  await p.getByRole('heading', { name: heading, level: 1 }).waitFor();
}

/** What the provider says to these client credentials: 200 when they are right, 401 if not. */
async function providerAccepts(clientId: string, secret: string): Promise<number> {
  const res = await fetch(`${s.url}/oidc/token/introspection`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${clientId}:${secret}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams({ token: 'not-a-token' }),
  });
  await res.arrayBuffer();
  return res.status;
}

/** The dialog that shows client ID and secret: returns both, then closes it with "Done". */
async function readCredentials(p: Page, name: string): Promise<{ clientId: string; secret: string }> {
  const dialog = p.getByRole('dialog', { name: `Sign-in data of ${name}` });
  await dialog.waitFor();
  await dialog.getByText('Copy the secret now: it is shown only once').waitFor();
  await dialog.getByRole('button', { name: 'Copy secret' }).waitFor();
  const clientId = (await dialog.getByLabel('Client ID', { exact: true }).textContent())!.trim();
  const secret = (await dialog.getByLabel('Client secret', { exact: true }).textContent())!.trim();
  assert.ok(clientId.length > 10 && secret.length > 20);
  await dialog.getByRole('button', { name: 'Done' }).click();
  await dialog.waitFor({ state: 'hidden' });
  assert.ok(!(await p.content()).includes(secret), 'the secret is gone from the page once the dialog closes');
  return { clientId, secret };
}

describe('the Apps page in a real browser', () => {
  it('issue 9: register an app, see its secret once, give it a new secret, change it and delete it', async () => {
    const p = await page();
    const problems = watch(p);
    await signIn(p, adminEmail, adminPassword, 'Users');
    await p.getByRole('navigation', { name: 'Administration' }).getByRole('link', { name: 'Apps' }).click();
    await p.getByRole('heading', { name: 'Apps', level: 1 }).waitFor();
    await p.getByText('No app is registered yet.').waitFor();

    // Register: a refused redirect URI is explained at its field, and nothing is created.
    await p.getByRole('button', { name: 'Register app' }).click();
    const form = p.getByRole('dialog', { name: 'Register an app' });
    await form.getByLabel('Name', { exact: true }).fill('Learning portal');
    await form
      .getByRole('textbox', { name: 'Redirect URIs', exact: true })
      .fill('learn.example.com/callback');
    await form.getByRole('switch', { name: 'First-party app' }).check({ force: true });
    await form.getByRole('button', { name: 'Register app' }).click();
    await form
      .getByText('must be an absolute URI starting with https:// or http://, without a # part')
      .waitFor();
    await form
      .getByRole('textbox', { name: 'Redirect URIs', exact: true })
      .fill('https://learn.example.com/callback\n');
    await form
      .getByRole('textbox', { name: 'Back-channel logout URI (optional)' })
      .fill('https://learn.example.com/backchannel-logout');
    assert.deepEqual(await accessibilityProblems(p), []);
    await form.getByRole('button', { name: 'Register app' }).click();

    const first = await readCredentials(p, 'Learning portal');
    assert.equal(
      await providerAccepts(first.clientId, first.secret),
      200,
      'the shown secret signs the app in',
    );
    const row = p.getByRole('row', { name: /Learning portal/ });
    await row.getByText('First party').waitFor();
    await row.getByText(first.clientId).waitFor();
    const stored = (await s.admin.get(`/api/v1/admin/apps/${first.clientId}`)).body;
    assert.equal(stored.backchannelLogoutUri, 'https://learn.example.com/backchannel-logout');
    assert.deepEqual(stored.redirectUris, ['https://learn.example.com/callback']);
    assert.equal(stored.firstParty, true);

    // A new secret: the old one stops working at once, the new one is shown once.
    await p.getByRole('button', { name: 'New secret: Learning portal' }).click();
    const confirm = p.getByRole('dialog', { name: 'New secret for Learning portal?' });
    await confirm.getByText('the current one stops working at once', { exact: false }).waitFor();
    await confirm.getByRole('button', { name: 'Create new secret' }).click();
    const second = await readCredentials(p, 'Learning portal');
    assert.equal(second.clientId, first.clientId);
    assert.notEqual(second.secret, first.secret);
    assert.equal(await providerAccepts(first.clientId, first.secret), 401, 'the old secret no longer works');
    assert.equal(await providerAccepts(second.clientId, second.secret), 200);

    // Change the name.
    await p.getByRole('button', { name: 'Change: Learning portal' }).click();
    const edit = p.getByRole('dialog', { name: 'Change Learning portal' });
    await edit.getByLabel('Name', { exact: true }).fill('Lernportal');
    await edit.getByRole('button', { name: 'Save' }).click();
    await edit.waitFor({ state: 'hidden' });
    await p.getByRole('row', { name: /Lernportal/ }).waitFor();

    // Delete, after confirming.
    await p.getByRole('button', { name: 'Delete: Lernportal' }).click();
    const del = p.getByRole('dialog', { name: 'Delete Lernportal?' });
    await del.getByText('This cannot be undone', { exact: false }).waitFor();
    await del.getByRole('button', { name: 'Delete app' }).click();
    await p.getByText('No app is registered yet.').waitFor();
    assert.equal((await s.admin.get(`/api/v1/admin/apps/${first.clientId}`)).status, 404);
    assert.equal(await providerAccepts(second.clientId, second.secret), 401, 'a deleted app cannot sign in');
    assert.deepEqual(
      problems.filter((x) => !/status of 422/.test(x)),
      [],
    );
  });

  it('R-OPS-02: an administrator holding only apps.manage sees the page in German', async () => {
    const { user } = await s.signedInWith(['apps.manage'], { language: 'de' });
    await s.admin.post('/api/v1/admin/apps', {
      name: 'Telefonie',
      type: 'public',
      redirectUris: ['https://phone.example.com/callback'],
    });
    const p = await page();
    const problems = watch(p);
    await signIn(p, user.primaryEmail, strongPassword, 'Apps');
    const nav = p.getByRole('navigation', { name: 'Administration' });
    assert.deepEqual(await nav.getByRole('link').allTextContents(), ['Apps'], 'only the Apps page');
    await p.getByText('Die Apps der Plattform melden ihre Benutzer über Behalf an').waitFor();
    const row = p.getByRole('row', { name: /Telefonie/ });
    await row.getByText('Öffentlich (nur PKCE)').waitFor();
    assert.equal(
      await row.getByRole('button', { name: 'Neues Geheimnis: Telefonie' }).count(),
      0,
      'no secret',
    );
    await p.getByRole('button', { name: 'App registrieren' }).click();
    const form = p.getByRole('dialog', { name: 'App registrieren' });
    await form.getByRole('textbox', { name: 'Weiterleitungs-URIs', exact: true }).waitFor();
    await form.getByText('Vertraulich (mit Geheimnis)').waitFor();
    await form.getByRole('switch', { name: 'Eigene App der Plattform' }).waitFor();
    await form.getByLabel('Name', { exact: true }).fill('Shop');
    await form.getByText('Öffentlich (nur PKCE)').click();
    await form.getByRole('textbox', { name: 'Weiterleitungs-URIs', exact: true }).fill('shop.example.com/cb');
    await form.getByRole('button', { name: 'App registrieren' }).click();
    await form
      .getByText('muss eine absolute URI sein, die mit https:// oder http:// beginnt', { exact: false })
      .waitFor();
    await form
      .getByRole('textbox', { name: 'Weiterleitungs-URIs', exact: true })
      .fill('https://shop.example.com/cb');
    await form.getByRole('button', { name: 'App registrieren' }).click();
    const shown = p.getByRole('dialog', { name: 'Anmeldedaten von Shop' });
    await shown.getByText('Eine öffentliche App hat kein Geheimnis', { exact: false }).waitFor();
    await shown.getByRole('button', { name: 'Client-ID kopieren' }).waitFor();
    await shown.getByRole('button', { name: 'Fertig' }).click();
    await p.getByRole('row', { name: /Shop/ }).waitFor();
    assert.deepEqual(
      problems.filter((x) => !/status of 422/.test(x)),
      [],
    );
  });
});

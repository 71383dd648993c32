// Login services in a real browser (issue 8): a user signs in with a provider from the sign-in
// page (a real oidc-provider on another port), a refusal is explained on the sign-in page, and an
// administrator configures a service on the console page (English, and German once).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startServer, strongPassword, type TestServer } from '../harness.ts';
import type { TestIdp } from '../idp.ts';
import { addService, idpFor, linkDirectly } from '../login-service-flows.ts';
import {
  accessibilityProblems,
  browserClockStart,
  launchBrowser,
  newContext,
  screenshot,
  watch,
} from './browser.ts';

let s: TestServer;
let browser: Browser;
let idp: TestIdp;
let service: any;
const contexts: BrowserContext[] = [];

before(async () => {
  s = await startServer({}, { clockStart: browserClockStart() });
  idp = await idpFor(s);
  service = await addService(s, idp, { displayName: 'Company account', displayNameDe: 'Firmenkonto' });
  browser = await launchBrowser();
  s.clock.set(Date.now());
});

after(async () => {
  for (const c of contexts) await c.close();
  await browser?.close();
  await idp?.close();
  await s?.close();
});

async function context(locale = 'en-US'): Promise<BrowserContext> {
  const c = await newContext(browser, locale);
  c.setDefaultTimeout(30_000);
  contexts.push(c);
  return c;
}

async function signInWithPassword(page: Page, login: string, heading: string): Promise<void> {
  await page.goto(`${s.url}/admin`);
  await page.waitForURL(/\/admin\/sign-in/);
  await page.getByLabel(/E-mail or username|E-Mail oder Benutzername/).fill(login);
  await page.getByRole('textbox', { name: /^(Password|Passwort)$/ }).fill(strongPassword);
  await page.getByRole('button', { name: /^(Sign in|Anmelden)$/ }).click();
  await page.getByRole('heading', { name: heading, level: 1 }).waitFor();
}

describe('login services in the browser (issue 8)', () => {
  it('R-ADM-11: a user signs in with the provider from the sign-in page', async () => {
    const user = await s.createUser({ firstName: 'Olga', lastName: 'Openid' });
    idp.addAccount({ sub: 'olga', email: user.primaryEmail, emailVerified: true });
    await linkDirectly(s, user.id, service.id, 'olga');
    idp.signInAs('olga');
    const page = await (await context()).newPage();
    const problems = watch(page);
    await page.goto(`${s.url}/`);
    await page.waitForURL(/\/sign-in/);
    const button = page.getByRole('link', { name: 'Sign in with Company account' });
    await button.waitFor();
    await screenshot(page, 'sign-in-login-services');
    assert.deepEqual(await accessibilityProblems(page), []);
    await button.click();
    await page.getByRole('heading', { name: 'Hello, Olga Openid' }).waitFor();
    const session: any = await page.evaluate(() => fetch('/api/v1/session').then((r) => r.json()));
    assert.equal(session.user.id, user.id);
    assert.deepEqual(problems, []);
  });

  it('R-ADM-16: a user links an account from My Profile by signing in at the provider, signs in with it, and removes it', async () => {
    const user = await s.createUser({ firstName: 'Lina', lastName: 'Linker', password: strongPassword });
    idp.addAccount({ sub: 'lina-at-company', email: user.primaryEmail, emailVerified: true });
    idp.signInAs('lina-at-company');
    const c = await context();
    const login = await c.request.post(`${s.url}/api/v1/auth/login`, {
      data: { login: user.primaryEmail, password: strongPassword },
      headers: { origin: s.url },
    });
    assert.equal(login.status(), 200);
    const page = await c.newPage();
    const problems = watch(page);
    await page.goto(`${s.url}/profile`);
    const section = page.getByRole('region', { name: 'Linked accounts' });
    await section.getByText('No accounts are linked.').waitFor();
    await section.getByRole('link', { name: 'Link with Company account' }).click();
    // Behalf -> the provider (signs Lina in at once) -> Behalf's callback -> back to My Profile.
    await page.waitForURL(/\/profile\?linkedAccount=linked/);
    await section.getByText('The account is linked.').waitFor();
    await section.getByRole('cell', { name: 'lina-at-company' }).waitFor();
    await screenshot(page, 'client-linked-account');

    // The link signs her in, in a fresh browser.
    const other = await (await context()).newPage();
    await other.goto(`${s.url}/sign-in`);
    await other.getByRole('link', { name: 'Sign in with Company account' }).click();
    await other.getByRole('heading', { name: 'Hello, Lina Linker' }).waitFor();

    // She still has a password, so the link is not her last way in: removing it is allowed.
    await section.getByRole('button', { name: 'Remove the account at Company account' }).click();
    await page
      .getByRole('dialog', { name: 'Remove linked account?' })
      .getByRole('button', { name: 'Remove' })
      .click();
    await section.getByText('No accounts are linked.').waitFor();
    assert.deepEqual(problems, []);
  });

  it("R-ADM-13: after the provider, the sign-in page asks Behalf's second factor", async () => {
    const user = await s.createUser({ firstName: 'Tom', lastName: 'Twofactor' });
    const put = await s.admin.put(`/api/v1/admin/users/${user.id}/two-factor`, { method: 'email' });
    assert.equal(put.status, 200, JSON.stringify(put.body));
    idp.addAccount({ sub: 'tom' });
    await linkDirectly(s, user.id, service.id, 'tom');
    idp.signInAs('tom');
    const page = await (await context()).newPage();
    const problems = watch(page);
    await page.goto(`${s.url}/sign-in`);
    await page.getByRole('link', { name: 'Sign in with Company account' }).click();
    await page.waitForURL(/secondFactor=email/);
    const row = await s.services.database.db
      .selectFrom('outbox')
      .select('body_text')
      .where('recipient', '=', user.primaryEmail)
      .orderBy('created_at', 'desc')
      .executeTakeFirstOrThrow();
    await page.getByLabel('Code').fill(/(\d{6})/.exec(row.body_text)![1]!);
    await page.getByRole('button', { name: 'Confirm' }).click();
    await page.getByRole('heading', { name: 'Hello, Tom Twofactor' }).waitFor();
    assert.deepEqual(problems, []);
  });

  it('R-ADM-11: an account linked to nobody is refused with a clear message, in German too', async () => {
    idp.addAccount({ sub: 'nobody' });
    idp.signInAs('nobody');
    const page = await (await context('de-DE')).newPage();
    await page.goto(`${s.url}/sign-in`);
    await page.getByRole('link', { name: 'Anmelden mit Firmenkonto' }).click();
    await page.waitForURL(/loginServiceError=linked_account_unknown/);
    await page
      .getByRole('alert')
      .getByText(/mit keinem Profil verknüpft/)
      .waitFor();
    const status = await page.evaluate(() => fetch('/api/v1/session').then((r) => r.status));
    assert.equal(status, 401);
  });

  it('R-ADM-17: an administrator adds a login service and sees the redirect URI to register', async () => {
    const { user } = await s.signedInWith(['settings.manage', 'settings.read']);
    const page = await (await context()).newPage();
    const problems = watch(page);
    await signInWithPassword(page, user.primaryEmail, 'Settings');
    await page.getByRole('link', { name: 'Login services' }).click();
    await page.getByRole('heading', { name: 'Login services', level: 1 }).waitFor();
    await page.getByRole('button', { name: 'Add login service' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add a login service' });
    await dialog.getByLabel('Name (English)').fill('Staff Keycloak');
    await dialog.getByLabel('Issuer URL').fill('http://login.example.test/realms/staff');
    await dialog.getByLabel('Client ID').fill('behalf');
    await dialog.getByLabel('Client secret').fill('s3cret-value');
    await dialog.getByRole('button', { name: 'Add', exact: true }).click();
    // http off loopback is refused at the field.
    await dialog.getByText(/must be an https URL \(http only on localhost/).waitFor();
    await dialog.getByLabel('Issuer URL').fill('https://login.example.test/realms/staff');
    await dialog.getByRole('button', { name: 'Add', exact: true }).click();
    await dialog.waitFor({ state: 'detached' });
    const row = page.getByRole('row', { name: /Staff Keycloak/ });
    await row.getByText('On the sign-in page').waitFor();
    const items = (await s.admin.get('/api/v1/admin/login-services')).body.items as any[];
    const created = items.find((i) => i.displayName === 'Staff Keycloak');
    assert.ok(created);
    await row.getByText(created.redirectUri).waitFor();
    await screenshot(page, 'login-services-page');
    assert.deepEqual(await accessibilityProblems(page), []);

    // Change it: the secret shows as set and is kept when left empty.
    await row.getByRole('button', { name: /Change/ }).click();
    const edit = page.getByRole('dialog', { name: 'Change Staff Keycloak' });
    await edit.getByText('set', { exact: true }).waitFor();
    await edit.getByLabel('Show on the sign-in page').uncheck();
    await edit.getByRole('button', { name: 'Save' }).click();
    await edit.waitFor({ state: 'detached' });
    await row.getByText('Not on the sign-in page').waitFor();
    const row2 = await s.services.database.db
      .selectFrom('login_services')
      .select('secret_ciphertext')
      .where('id', '=', created.id)
      .executeTakeFirstOrThrow();
    assert.equal(s.services.loginServices.box.open(row2.secret_ciphertext), 's3cret-value', 'secret kept');
    // The refused http issuer was a 422 on purpose; nothing else may go wrong.
    assert.deepEqual(
      problems.filter((p) => !/status of 422/.test(p)),
      [],
    );
  });

  it('R-ADM-17: the console page speaks German', async () => {
    const { user } = await s.signedInWith(['settings.manage', 'settings.read'], { language: 'de' });
    const page = await (await context('de-DE')).newPage();
    await signInWithPassword(page, user.primaryEmail, 'Einstellungen');
    await page.getByRole('link', { name: 'Login-Dienste' }).click();
    await page.getByRole('heading', { name: 'Login-Dienste', level: 1 }).waitFor();
    await page
      .getByRole('row', { name: /Company account/ })
      .getByText('Auf der Login-Seite')
      .waitFor();
    await page.getByRole('button', { name: 'Login-Dienst hinzufügen' }).waitFor();
  });
});

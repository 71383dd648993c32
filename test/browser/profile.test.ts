// My Profile and notifications in a real browser (R-ADM-16): what an administrator acting as a
// user cannot do is shown as unavailable with the reason (R-IMP-04, issue 4 journey 2); the
// user finds the impersonation's notices unread, with the bell's dot (R-IMP-09, journey 3);
// the language switches the whole interface and stays; an address is verified with the mailed
// code; the password changes with the current one.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { Secret, TOTP } from 'otpauth';
import { adminEmail, adminPassword, startServer, strongPassword, type TestServer } from '../harness.ts';
import { accessibilityProblems, launchBrowser, newContext, screenshot, watch } from './browser.ts';

declare const document: any;

let s: TestServer;
let browser: Browser;
const contexts: BrowserContext[] = [];

before(async () => {
  s = await startServer();
  s.clock.set(Date.now());
  await s.admin.login(adminEmail, adminPassword);
  browser = await launchBrowser();
});

after(async () => {
  for (const c of contexts) await c.close();
  await browser?.close();
  await s?.close();
});

async function page(locale = 'en-US'): Promise<Page> {
  const c = await newContext(browser, locale);
  c.setDefaultTimeout(15_000);
  contexts.push(c);
  return c.newPage();
}

async function signIn(p: Page, login: string, password: string, greeting: string): Promise<void> {
  await p.goto(`${s.url}/sign-in`);
  await p.getByLabel('E-mail or username').fill(login);
  await p.getByRole('textbox', { name: 'Password', exact: true }).fill(password);
  await p.getByRole('button', { name: 'Sign in' }).click();
  await p.getByRole('heading', { name: greeting }).waitFor();
}

const section = (p: Page, name: string) => p.getByRole('region', { name });
const banner = (p: Page) => p.getByRole('region', { name: 'Impersonation' });

describe('My Profile in a real browser', () => {
  it('R-IMP-04, R-IMP-09, R-ADM-16: acting as a user, My Profile shows password, e-mails and two-factor as unavailable; the user later finds both notices unread', async () => {
    const user = await s.createUser({ firstName: 'Jana', lastName: 'Novak', password: strongPassword });
    const admin = await page();
    const problems = watch(admin);
    await signIn(admin, adminEmail, adminPassword, 'Hello, Super Admin');
    const started: any = await admin.evaluate(
      (id: string) =>
        fetch(`/api/v1/admin/users/${id}/impersonation`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ reason: 'Ticket 12: profile help', durationMinutes: 30 }),
        }).then((r) => r.json()),
      user.id,
    );
    await admin.goto(s.url + started.handoffUrl);
    await banner(admin).getByText('You are acting as Jana Novak').waitFor();

    await admin.getByRole('link', { name: 'My Profile' }).click();
    await admin.getByRole('heading', { name: 'My Profile', level: 1 }).waitFor();
    for (const name of ['Password', 'E-mail addresses', 'Two-factor sign-in']) {
      await section(admin, name).getByText('Not available while acting as this user.').waitFor();
    }
    assert.equal(await admin.getByRole('button', { name: 'Change password' }).count(), 0);
    assert.equal(await admin.getByRole('button', { name: 'Add address' }).count(), 0);
    assert.equal(await admin.getByRole('button', { name: 'Set up authenticator app' }).count(), 0);
    // Names stay editable: they are not on the blocked list.
    assert.ok(await admin.getByRole('button', { name: 'Save details' }).isEnabled());
    await screenshot(admin, 'client-profile-impersonated');

    // The notifications page: the start notice is unread and says why it stays so.
    await admin.getByRole('link', { name: /Notifications: 1 unread/ }).click();
    await admin.waitForURL(`${s.url}/notifications`);
    await admin.getByRole('heading', { name: 'Notifications', level: 1 }).waitFor();
    await admin.getByText('Cannot be marked read while acting as this user').first().waitFor();
    assert.equal(await admin.getByRole('button', { name: 'Mark as read' }).count(), 0);

    await banner(admin).getByRole('button', { name: 'Back to your account' }).click();
    await admin.waitForURL(`${s.url}/admin/users`);
    assert.deepEqual(problems, []);

    // Journey 3: the user signs in and finds the start and end notices unread, with the dot.
    const own = await page();
    const ownProblems = watch(own);
    await signIn(own, user.primaryEmail, strongPassword, 'Hello, Jana Novak');
    const bell = own.getByRole('link', { name: 'Notifications: 2 unread' });
    await bell.waitFor();
    assert.equal(
      await own.locator('[data-testid="bell-dot"][data-unread] .mantine-Indicator-indicator').count(),
      1,
    );
    await bell.click();
    await own.waitForURL(`${s.url}/notifications`);
    const unread = own.locator('li[data-unread]');
    await unread.nth(1).waitFor();
    assert.equal(await unread.count(), 2);
    assert.equal(await own.getByRole('button', { name: 'Mark as read' }).count(), 2);
    await own.getByRole('button', { name: 'Mark as read' }).first().click();
    await own.getByRole('link', { name: 'Notifications: 1 unread' }).waitFor();
    assert.deepEqual(ownProblems, []);
  });

  it('R-ADM-16, R-OPS-02: changing the language in My Profile switches the whole interface at once and stays after a reload', async () => {
    const user = await s.createUser({ firstName: 'Lena', lastName: 'Weber', password: strongPassword });
    const p = await page();
    const problems = watch(p);
    await signIn(p, user.primaryEmail, strongPassword, 'Hello, Lena Weber');
    await p.goto(`${s.url}/profile`);
    await p.getByRole('heading', { name: 'My Profile', level: 1 }).waitFor();
    await p.getByRole('combobox', { name: 'Language' }).selectOption('de');
    await p.getByRole('heading', { name: 'Mein Profil', level: 1 }).waitFor();
    // The whole interface: the header and every section, not only this control.
    await p.getByRole('link', { name: 'Mein Profil' }).waitFor();
    await p.getByRole('heading', { name: 'E-Mail-Adressen' }).waitFor();
    assert.equal(await p.evaluate(() => document.documentElement.lang), 'de');
    await p.reload();
    await p.getByRole('heading', { name: 'Mein Profil', level: 1 }).waitFor();
    await p
      .getByRole('link', { name: 'Startseite' })
      .or(p.getByRole('link', { name: 'Behalf' }))
      .first()
      .waitFor();
    const saved = await s.admin.get(`/api/v1/admin/users/${user.id}`);
    assert.equal(saved.body.language, 'de', 'saved to the profile');
    await screenshot(p, 'client-profile-de');
    assert.deepEqual(problems, []);
  });

  it('R-ADM-16: adds an e-mail address and verifies it with the code from the mail; makes it primary', async () => {
    const user = await s.createUser({ firstName: 'Omar', lastName: 'Haddad', password: strongPassword });
    const p = await page();
    const problems = watch(p);
    await signIn(p, user.primaryEmail, strongPassword, 'Hello, Omar Haddad');
    await p.goto(`${s.url}/profile`);
    const emails = section(p, 'E-mail addresses');
    const address = `omar.work-${Date.now()}@example.test`;
    await emails.getByLabel('New e-mail address').fill(address);
    await emails.getByRole('button', { name: 'Add address' }).click();
    const dialog = p.getByRole('dialog', { name: 'Verify e-mail address' });
    await dialog.waitFor();
    const mail = await s.services.database.db
      .selectFrom('outbox')
      .select('body_text')
      .where('recipient', '=', address)
      .executeTakeFirstOrThrow();
    const code = /Code: (\d{6})/.exec(mail.body_text)![1]!;
    assert.ok(
      await dialog.getByLabel('Code from the mail').evaluate((el: any) => el === document.activeElement),
    );
    await dialog.getByLabel('Code from the mail').fill(code);
    await dialog.getByRole('button', { name: 'Verify' }).click();
    await dialog.waitFor({ state: 'detached' });
    const item = emails.getByRole('listitem', { name: address });
    await item.getByText('Verified', { exact: true }).waitFor();
    await item.getByRole('button', { name: 'Make primary' }).click();
    await item.getByText('Primary', { exact: true }).waitFor();
    assert.deepEqual(await accessibilityProblems(p), []);
    await screenshot(p, 'client-profile');
    assert.deepEqual(problems, []);
  });

  it('R-ADM-16: changes the password with the current one; a wrong current password is said so, still signed in', async () => {
    const user = await s.createUser({ firstName: 'Pia', lastName: 'Lind', password: strongPassword });
    const p = await page();
    const problems = watch(p);
    await signIn(p, user.primaryEmail, strongPassword, 'Hello, Pia Lind');
    await p.goto(`${s.url}/profile`);
    const form = section(p, 'Password');
    await form.getByLabel('Current password').fill('not-the-password');
    await form.getByLabel(/^New password/).fill('Fresh-Horse-Staple-31');
    await form.getByLabel('Repeat new password').fill('Fresh-Horse-Staple-31');
    await form.getByRole('button', { name: 'Change password' }).click();
    await form.getByRole('alert').getByText('The password is not right.').waitFor();
    await form.getByLabel('Current password').fill(strongPassword);
    await form.getByRole('button', { name: 'Change password' }).click();
    await form.getByText('Your password was changed.').waitFor();
    assert.equal((await s.client().login(user.primaryEmail, 'Fresh-Horse-Staple-31')).status, 200);
    // The wrong password's 422 answer is expected here; Chromium logs every failed request.
    assert.deepEqual(
      problems.filter((m) => !/status of 422/.test(m)),
      [],
    );
  });

  it('R-ADM-13, R-ADM-16: enrols an authenticator app from the QR dialog, and signs out the other browsers', async () => {
    const user = await s.createUser({ firstName: 'Ida', lastName: 'Berg', password: strongPassword });
    const other = await page();
    await signIn(other, user.primaryEmail, strongPassword, 'Hello, Ida Berg');
    const p = await page();
    const problems = watch(p);
    await signIn(p, user.primaryEmail, strongPassword, 'Hello, Ida Berg');
    await p.goto(`${s.url}/profile`);
    const twoFactor = section(p, 'Two-factor sign-in');
    await twoFactor.getByRole('button', { name: 'Set up authenticator app' }).click();
    const dialog = p.getByRole('dialog', { name: 'Set up authenticator app' });
    await dialog.getByRole('img', { name: 'QR code for the authenticator app' }).waitFor();
    const drawn = await dialog.locator('canvas').evaluate((c: any) => c.width > 0 && c.height > 0);
    assert.ok(drawn, 'the QR code is drawn');
    const secret = await dialog.getByTestId('totp-secret').innerText();
    await screenshot(p, 'client-profile-totp');
    const code = new TOTP({ secret: Secret.fromBase32(secret), digits: 6, period: 30 }).generate({
      timestamp: s.clock.now(),
    });
    await dialog.getByLabel('Code from the app').fill(code);
    await dialog.getByRole('button', { name: 'Confirm and switch on' }).click();
    await dialog.waitFor({ state: 'detached' });
    await twoFactor.getByText('Authenticator app', { exact: true }).waitFor();

    const sessions = section(p, 'Your sessions');
    await sessions.getByText('This browser').waitFor();
    assert.equal(await sessions.getByRole('row').count(), 3, 'a header and two browsers');
    await sessions.getByRole('button', { name: 'Sign out everywhere else' }).click();
    await sessions.getByRole('button', { name: 'Sign out everywhere else' }).waitFor({ state: 'detached' });
    assert.equal(await sessions.getByRole('row').count(), 2);
    const elsewhere: any = await other.evaluate(() => fetch('/api/v1/session').then((r) => r.status));
    assert.equal(elsewhere, 401);
    assert.deepEqual(problems, []);
  });
});

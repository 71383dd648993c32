import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { auditKeyEnv, startServer, strongPassword, type TestServer } from '../../test/harness.ts';
import { auditEvents } from '../../test/impersonation-helpers.ts';
import {
  adminId,
  createLoginService,
  linkAccount,
  linkDirectly,
  setShownOnSignIn,
} from '../../test/login-services.ts';

const switchTo = (s: TestServer, on: boolean, client = s.admin) =>
  client.patch('/api/v1/admin/settings', { login: { passwordLoginEnabled: on } });

describe('the login page settings', () => {
  let s: TestServer;
  before(async () => {
    s = await startServer();
  });
  after(() => s.close());

  it('R-ADM-17: password login cannot be switched off while no login service is shown on the sign-in page', async () => {
    const hidden = await createLoginService(s, { showOnSignIn: false });
    await linkDirectly(s, await adminId(s), hidden.id, 'admin-at-hidden');
    const refused = await switchTo(s, false);
    assert.equal(refused.status, 409);
    assert.equal(refused.body.code, 'password_login_needs_service');
    assert.equal((await s.admin.get('/api/v1/admin/settings')).body.login.passwordLoginEnabled, true);
    assert.ok(
      !(await auditEvents(s, 'action=settings.updated')).some(
        (e) => 'login.passwordLoginEnabled' in (e.changes ?? {}),
      ),
    );
  });

  it('R-ADM-17: nor while the administrator switching it has no link at a shown service (they could not sign in again)', async () => {
    const shown = await createLoginService(s, { showOnSignIn: true });
    // Someone else can sign in through it; the one switching cannot.
    const other = await s.createUser();
    await linkAccount(s, other.id, shown.id, 'someone-else');
    const { client } = await s.signedInWith(['settings.read', 'settings.manage']);
    const refused = await switchTo(s, false, client);
    assert.equal(refused.status, 409);
    assert.equal(refused.body.code, 'password_login_needs_own_link');
    assert.equal((await s.admin.get('/api/v1/admin/settings')).body.login.passwordLoginEnabled, true);
  });

  it('R-ADM-17: with a shown service the administrator is linked at, it switches off; a right password then no longer signs in', async () => {
    const shown = await createLoginService(s, { showOnSignIn: true });
    await linkDirectly(s, await adminId(s), shown.id, 'admin-at-shown');
    const user = await s.createUser({ password: strongPassword });
    assert.equal((await switchTo(s, false)).status, 200);
    try {
      const refused = await s.client().login(user.primaryEmail, strongPassword);
      assert.equal(refused.status, 401);
      assert.equal(refused.body.code, 'invalid_credentials');
      const shownUser = await s.admin.get(`/api/v1/admin/users/${user.id}`);
      assert.ok(shownUser.body.tags.includes('cannot-log-in'), 'R-ADM-04: no linked account, no way in');
      // Switching other settings while it is off needs no check again.
      assert.equal(
        (await s.admin.patch('/api/v1/admin/settings', { login: { passwordLoginEnabled: false } })).status,
        200,
      );
    } finally {
      // Sessions that exist go on: the administrator switches it back on, which is always allowed.
      assert.equal((await switchTo(s, true)).status, 200);
      await setShownOnSignIn(s, shown.id, false);
    }
    assert.equal((await s.client().login(user.primaryEmail, strongPassword)).status, 200);
  });

  it('R-ADM-17: while password login is off, the last service on the sign-in page can be neither hidden nor deleted', async () => {
    // Earlier cases left services on the sign-in page: this one is to be the last.
    for (const other of (await s.admin.get('/api/v1/admin/login-services')).body.items ?? [])
      if (other.showOnSignIn) await setShownOnSignIn(s, other.id, false);
    const shown = await createLoginService(s, { showOnSignIn: true });
    await linkDirectly(s, await adminId(s), shown.id, 'admin-at-the-last-service');
    assert.equal((await switchTo(s, false)).status, 200);
    try {
      const path = `/api/v1/admin/login-services/${shown.id}`;
      const hide = await s.admin.patch(path, { showOnSignIn: false });
      assert.equal(hide.status, 409, JSON.stringify(hide.body));
      assert.equal(hide.body.code, 'password_login_needs_service');
      const remove = await s.admin.delete(`${path}?force=true`);
      assert.equal(remove.status, 409, JSON.stringify(remove.body));
      assert.equal(remove.body.code, 'password_login_needs_service');
      assert.equal((await s.admin.get(path)).body.showOnSignIn, true, 'nothing changed');
      // With a second service on the sign-in page, the first may go.
      const second = await createLoginService(s, { showOnSignIn: true });
      assert.equal((await s.admin.patch(path, { showOnSignIn: false })).status, 200);
      await setShownOnSignIn(s, shown.id, true);
      await setShownOnSignIn(s, second.id, false);
    } finally {
      assert.equal((await switchTo(s, true)).status, 200);
      await setShownOnSignIn(s, shown.id, false);
    }
  });

  it('R-ADM-17: when every service breaks, `npm run admin -- enable-password-login` switches password login back on (audited)', async () => {
    const shown = await createLoginService(s, { showOnSignIn: true });
    await linkDirectly(s, await adminId(s), shown.id, 'admin-before-the-outage');
    const user = await s.createUser({ password: strongPassword });
    assert.equal((await switchTo(s, false)).status, 200);
    assert.equal((await s.client().login(user.primaryEmail, strongPassword)).status, 401);

    const run = spawnSync(process.execPath, ['scripts/admin.ts', 'enable-password-login'], {
      env: { ...process.env, ...auditKeyEnv, DATABASE_URL: s.services.config.databaseUrl },
      encoding: 'utf8',
    });
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /password sign-in is on again/);
    // Another process changed it: this instance reads it afresh (PostgreSQL tells it at once).
    s.services.settings.forget();
    assert.equal((await s.admin.get('/api/v1/admin/settings')).body.login.passwordLoginEnabled, true);
    assert.equal((await s.client().login(user.primaryEmail, strongPassword)).status, 200);
    const [event] = await auditEvents(s, 'action=settings.updated');
    assert.deepEqual(event.changes['login.passwordLoginEnabled'], { before: false, after: true });
    await setShownOnSignIn(s, shown.id, false);
  });
});

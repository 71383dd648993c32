import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, strongPassword, type TestServer } from '../../test/harness.ts';

describe('the login page settings', () => {
  let s: TestServer;
  before(async () => {
    s = await startServer();
  });
  after(() => s.close());

  it('R-ADM-17: with password login switched off, a right password no longer signs in; switched on, it does', async () => {
    const user = await s.createUser({ password: strongPassword });
    assert.equal(
      (await s.admin.patch('/api/v1/admin/settings', { login: { passwordLoginEnabled: false } })).status,
      200,
    );
    const refused = await s.client().login(user.primaryEmail, strongPassword);
    assert.equal(refused.status, 401);
    assert.equal(refused.body.code, 'invalid_credentials');
    const shown = await s.admin.get(`/api/v1/admin/users/${user.id}`);
    assert.ok(
      shown.body.tags.includes('cannot-log-in'),
      'R-ADM-04: nobody without a linked account can log in',
    );
    // Sessions that exist go on: the administrator switches it back on.
    assert.equal(
      (await s.admin.patch('/api/v1/admin/settings', { login: { passwordLoginEnabled: true } })).status,
      200,
    );
    assert.equal((await s.client().login(user.primaryEmail, strongPassword)).status, 200);
  });
});

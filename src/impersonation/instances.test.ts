import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  adminEmail,
  adminPassword,
  dialect,
  startServer,
  strongPassword,
  type TestServer,
} from '../../test/harness.ts';
import { actAs } from '../../test/impersonation-helpers.ts';

// R-OPS-01: several instances behind a load balancer share one PostgreSQL database; what one
// revokes, the others see at once. (SQLite is one process by design, so this runs on PostgreSQL.)
describe(
  'two server instances on one PostgreSQL database',
  { skip: dialect !== 'postgres' && 'PostgreSQL only' },
  () => {
    let one: TestServer;
    let two: TestServer;
    before(async () => {
      one = await startServer();
      two = await startServer({}, { sameDatabaseAs: one });
    });
    after(async () => {
      await two.close();
      await one.close();
    });

    it('R-IMP-10, R-OPS-01: an impersonation ended on one instance is refused by the other on the next request', async () => {
      const subject = await one.createUser();
      const browserOnOne = one.client();
      await browserOnOne.login(adminEmail, adminPassword);
      const { impersonationId } = await actAs(browserOnOne, subject.id);
      // The same browser's cookie, sent through the other instance (a load balancer's choice).
      const sameBrowserOnTwo = async () =>
        fetch(`${two.url}/api/v1/session?acting=true`, { headers: { cookie: browserOnOne.cookieHeader } });
      assert.equal((await sameBrowserOnTwo()).status, 200);
      assert.equal((await one.admin.delete(`/api/v1/admin/impersonations/${impersonationId}`)).status, 204);
      assert.equal((await sameBrowserOnTwo()).status, 401);
    });

    it('R-ADM-05, R-OPS-01: deactivating a user on one instance ends their sessions on the other at once', async () => {
      const user = await one.createUser({ password: strongPassword });
      const onTwo = two.client();
      assert.equal((await onTwo.login(user.primaryEmail, strongPassword)).status, 200);
      assert.equal((await onTwo.get('/api/v1/session')).status, 200, 'cached on instance two');
      assert.equal((await one.admin.patch(`/api/v1/admin/users/${user.id}`, { active: false })).status, 200);
      assert.equal((await onTwo.get('/api/v1/session')).status, 401);
    });

    it('R-OPS-01: a permission revoked on one instance is gone from the other by the next request', async () => {
      const { client, user } = await one.signedInWith(['users.read']);
      const cookie = client.cookieHeader;
      const readOnTwo = () =>
        fetch(`${two.url}/api/v1/admin/users/${user.id}`, { headers: { cookie } }).then((r) => r.status);
      assert.equal(await readOnTwo(), 200);
      await one.admin.put(`/api/v1/admin/users/${user.id}/permissions`, { general: [], system: [] });
      // NOTIFY is asynchronous: allow the message its round trip, without sleeping a fixed time.
      let status = await readOnTwo();
      for (let i = 0; i < 50 && status === 200; i++) {
        await new Promise((r) => setImmediate(r));
        status = await readOnTwo();
      }
      assert.equal(status, 403);
    });
  },
);

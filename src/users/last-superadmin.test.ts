import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, strongPassword, type TestServer } from '../../test/harness.ts';
import { countActiveSuperadmins } from './users.store.ts';

describe('the platform keeps an active superadmin', () => {
  let s: TestServer;
  before(async () => {
    s = await startServer();
  });
  after(() => s.close());

  it('R-ADM-05, R-OPS-03: two superadmins deactivating each other at once leave one active', async () => {
    const me = (await s.admin.get('/api/v1/session')).body.user;
    const second = await s.createUser({ password: strongPassword });
    assert.equal(
      (await s.admin.put(`/api/v1/admin/users/${second.id}/role`, { role: 'superadmin' })).status,
      200,
    );
    const other = s.client();
    assert.equal((await other.login(second.primaryEmail, strongPassword)).status, 200);
    const [a, b] = await Promise.all([
      s.admin.patch(`/api/v1/admin/users/${second.id}`, { active: false }),
      other.patch(`/api/v1/admin/users/${me.id}`, { active: false }),
    ]);
    const statuses = [a.status, b.status].sort();
    assert.ok(statuses.includes(200), JSON.stringify([a.body, b.body]));
    assert.equal(await countActiveSuperadmins(s.services.database.db), 1);
    const refused = [a, b].find((r) => r.status !== 200)!;
    assert.ok(
      ['last_superadmin', 'not_authenticated'].includes(refused.body.code),
      `refused as the last superadmin, or signed out by the other's deactivation: ${refused.body.code}`,
    );
  });
});

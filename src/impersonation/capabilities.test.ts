import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  adminEmail,
  adminPassword,
  startServer,
  strongPassword,
  type TestServer,
} from '../../test/harness.ts';
import { actAs } from '../../test/impersonation-helpers.ts';
import { coreCapabilities } from '../permissions/capabilities.ts';
import { updateSettingsRow, readSettingsRow } from '../settings/settings.store.ts';

// R-IMP-04 over HTTP: the core capabilities stay blocked whatever the setting says (issue 7 #3),
// and ending the user's other sessions is one of them (issue 7 #7a).

describe('issue 7 #3, #7a: blocked capabilities while acting', () => {
  let s: TestServer;
  before(async () => {
    s = await startServer();
  });
  after(() => s.close());

  /** A user signed in in their own browser, and the superadmin acting as them in another. */
  async function actingAsNewUser() {
    const user = await s.createUser({ password: strongPassword });
    const own = s.client();
    assert.equal((await own.login(user.primaryEmail, strongPassword)).status, 200);
    const admin = s.client();
    assert.equal((await admin.login(adminEmail, adminPassword)).status, 200);
    await actAs(admin, user.id);
    return { user, own, admin };
  }

  it('issue 7 #3: R-IMP-04 an emptied setting leaves the core blocked: no e-mail added, no authenticator enrolled', async () => {
    const emptied = await s.admin.patch('/api/v1/admin/settings', {
      impersonation: { blockedCapabilities: [] },
    });
    assert.equal(emptied.status, 200, JSON.stringify(emptied.body));
    assert.deepEqual(emptied.body.impersonation.blockedCapabilities, [...coreCapabilities]);

    const { own, admin } = await actingAsNewUser();
    const session = await admin.get('/api/v1/session');
    for (const cap of coreCapabilities) assert.ok(session.body.blockedCapabilities.includes(cap), cap);
    const before = (await own.get('/api/v1/account/profile')).body;
    const email = await admin.post('/api/v1/account/emails', { address: 'actor@example.test' });
    assert.equal(email.status, 403, JSON.stringify(email.body));
    assert.equal(email.body.code, 'blocked_during_impersonation');
    assert.equal(email.body.capability, 'emails.change');
    const enrol = await admin.post('/api/v1/account/two-factor/totp', {});
    assert.equal(enrol.status, 403, JSON.stringify(enrol.body));
    assert.equal(enrol.body.capability, 'two_factor.change');
    assert.deepEqual((await own.get('/api/v1/account/profile')).body, before, 'nothing changed');
  });

  it('issue 7 #3: R-IMP-04 a stored document without the core (older version, direct edit) still blocks it', async () => {
    const row = await readSettingsRow(s.services.database.db);
    const doc = JSON.parse(row!.document);
    doc.impersonation.blockedCapabilities = [];
    await updateSettingsRow(s.services.database.db, JSON.stringify(doc), row!.version, s.clock.now());
    await s.services.database.broadcast('invalidate', 'settings');
    const { admin } = await actingAsNewUser();
    const session = await admin.get('/api/v1/session');
    for (const cap of coreCapabilities) assert.ok(session.body.blockedCapabilities.includes(cap), cap);
    const read = await s.admin.get('/api/v1/admin/settings');
    assert.deepEqual(read.body.impersonation.blockedCapabilities, [...coreCapabilities]);
  });

  it('issue 7 #3: R-IMP-04 the setting adds integration names; unknown names are refused with unknown_capability', async () => {
    const before = await s.admin.get('/api/v1/admin/settings');
    for (const bad of [
      ['password.chnage'],
      ['crm'],
      ['CRM.Export'],
      ['payments.refund'],
      ['crm.export', 'x y'],
    ]) {
      const res = await s.admin.patch('/api/v1/admin/settings', {
        impersonation: { blockedCapabilities: bad },
      });
      assert.equal(res.status, 422, JSON.stringify(bad));
      assert.equal(res.body.code, 'unknown_capability', JSON.stringify(bad));
      assert.ok(res.body.errors.some((e: any) => e.field.startsWith('impersonation.blockedCapabilities.')));
    }
    const unchanged = await s.admin.get('/api/v1/admin/settings');
    assert.equal(unchanged.headers.get('etag'), before.headers.get('etag'), 'nothing changed');

    const added = await s.admin.patch('/api/v1/admin/settings', {
      impersonation: { blockedCapabilities: ['crm.export', 'password.change', 'crm.export'] },
    });
    assert.equal(added.status, 200, JSON.stringify(added.body));
    assert.deepEqual(added.body.impersonation.blockedCapabilities, [...coreCapabilities, 'crm.export']);
    const { admin } = await actingAsNewUser();
    assert.ok((await admin.get('/api/v1/session')).body.blockedCapabilities.includes('crm.export'));

    const catalogue = await s.admin.get('/api/v1/admin/settings/capabilities');
    assert.equal(catalogue.status, 200);
    assert.deepEqual(
      catalogue.body.core.map((c: any) => c.name),
      [...coreCapabilities],
    );
    assert.ok(catalogue.body.core.every((c: any) => c.description.length > 0));
  });

  it('issue 7 #3: R-IMP-04 settings changed in parallel with acting requests never open a core capability', async () => {
    const { own, admin } = await actingAsNewUser();
    const lists = [[], ['crm.export'], ['password.change'], ['crm.export', 'lms.buy']];
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        i % 2 === 0
          ? s.admin.patch('/api/v1/admin/settings', {
              impersonation: { blockedCapabilities: lists[(i / 2) % lists.length] },
            })
          : admin.post('/api/v1/account/emails', { address: `race${i}@example.test` }),
      ),
    );
    results.forEach((res, i) => {
      if (i % 2 === 0) assert.ok([200, 412].includes(res.status), `PATCH ${res.status}`);
      else assert.equal(res.body.code, 'blocked_during_impersonation', `request ${i}`);
    });
    const emails = (await own.get('/api/v1/account/profile')).body.emails;
    assert.ok(!emails.some((e: any) => e.address.startsWith('race')), 'no address was added');
    const read = await s.admin.get('/api/v1/admin/settings');
    assert.deepEqual(read.body.impersonation.blockedCapabilities.slice(0, coreCapabilities.length), [
      ...coreCapabilities,
    ]);
  });

  it("issue 7 #7a: R-IMP-04 an acting administrator cannot end the user's other sessions", async () => {
    const { own, admin } = await actingAsNewUser();
    const mine = (await own.get('/api/v1/account/sessions')).body.items;
    const theirs = mine.find((x: any) => x.current);
    assert.ok(theirs, "the user's own session");
    const one = await admin.delete(`/api/v1/account/sessions/${theirs.id}`);
    assert.equal(one.status, 403, JSON.stringify(one.body));
    assert.equal(one.body.code, 'blocked_during_impersonation');
    assert.equal(one.body.capability, 'sessions.end');
    const all = await admin.delete('/api/v1/account/sessions');
    assert.equal(all.status, 403, JSON.stringify(all.body));
    assert.equal(all.body.capability, 'sessions.end');
    assert.equal(
      (await own.get('/api/v1/account/profile')).status,
      200,
      "the user's browser is still signed in",
    );
    // Unblockable: an emptied setting changes nothing.
    await s.admin.patch('/api/v1/admin/settings', { impersonation: { blockedCapabilities: [] } });
    assert.equal((await admin.delete('/api/v1/account/sessions')).status, 403);
    // The user themselves still can.
    assert.equal((await own.delete('/api/v1/account/sessions')).status, 200);
  });
});

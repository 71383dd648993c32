import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, strongPassword, type Client, type TestServer } from '../../test/harness.ts';

// My Profile's accepted terms (R-ADM-16) and the login prompt (R-IMP-12): what is pending,
// accepting, revoking, and what the session and login answers say.

const unknownId = '019a1b2c-3d4e-7f60-8a7b-9c0d1e2f3a4b';

describe('account terms', () => {
  let s: TestServer;
  before(async () => {
    s = await startServer();
  });
  after(() => s.close());
  // Policies are platform-wide: each test starts with none in force.
  beforeEach(async () => {
    for (const p of (await s.admin.get('/api/v1/admin/policies')).body.items) {
      if (p.inForce) await s.admin.post(`/api/v1/admin/policies/${p.id}/archive`);
    }
  });

  async function publishedPolicy(kind: 'privacy' | 'terms', title: string, parentId?: string) {
    const p = await s.admin.post('/api/v1/admin/policies', {
      kind,
      title,
      ...(parentId ? { parentId } : {}),
    });
    assert.equal(p.status, 201, JSON.stringify(p.body));
    const v = await s.admin.post(`/api/v1/admin/policies/${p.body.id}/versions`, {
      body: `${title}, version 1`,
      publish: true,
    });
    assert.equal(v.status, 201);
    return { policyId: p.body.id as string, versionId: v.body.id as string };
  }

  async function termsOf(client: Client) {
    const res = await client.get('/api/v1/account/terms');
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return res.body as {
      pending: Array<{ versionId: string; policyId: string; body: string; title: string; kind: string }>;
      accepted: Array<{ policyId: string; versionId: string; acceptedAt: string; onBehalf: boolean }>;
    };
  }

  const ids = (list: Array<{ versionId: string }>) => list.map((v) => v.versionId);

  it('R-IMP-12: without policies nothing is pending, in the account, the session and the login answer', async () => {
    const { client, user } = await s.signedInWith([]);
    assert.deepEqual(await termsOf(client), { pending: [], accepted: [] });
    assert.deepEqual((await client.get('/api/v1/session')).body.pendingTerms, []);
    const login = await s.client().login(user.primaryEmail, strongPassword);
    assert.deepEqual(login.body.pendingTerms, []);
  });

  it('R-IMP-12: a published policy is pending for every user, with its text, and the login answer names it', async () => {
    const { client, user } = await s.signedInWith([]);
    const terms = await publishedPolicy('terms', 'Terms and conditions');
    const mine = await termsOf(client);
    assert.deepEqual(ids(mine.pending), [terms.versionId]);
    assert.equal(mine.pending[0]!.body, 'Terms and conditions, version 1');
    assert.equal(mine.pending[0]!.kind, 'terms');
    const login = await s.client().login(user.primaryEmail, strongPassword);
    assert.equal(login.status, 200);
    assert.deepEqual(login.body.pendingTerms, [
      { versionId: terms.versionId, policyId: terms.policyId, kind: 'terms', title: 'Terms and conditions' },
    ]);
    const session = await client.get('/api/v1/session');
    assert.deepEqual(ids(session.body.pendingTerms), [terms.versionId]);
  });

  it('R-IMP-12: sub-policies of a privacy policy count as pending of their own', async () => {
    const { client } = await s.signedInWith([]);
    const privacy = await publishedPolicy('privacy', 'Privacy policy');
    const cookies = await publishedPolicy('privacy', 'Cookies', privacy.policyId);
    const pending = (await termsOf(client)).pending;
    assert.deepEqual(ids(pending), [privacy.versionId, cookies.versionId]);
    assert.equal(
      (await client.post('/api/v1/account/terms/accept', { versionIds: [privacy.versionId] })).status,
      204,
    );
    assert.deepEqual(
      ids((await termsOf(client)).pending),
      [cookies.versionId],
      'the sub-policy is still pending',
    );
    assert.deepEqual(ids((await client.get('/api/v1/session')).body.pendingTerms), [cookies.versionId]);
  });

  it('R-ADM-16: accepting is idempotent and audited once; the accepted list shows it', async () => {
    const { client, user } = await s.signedInWith([]);
    const terms = await publishedPolicy('terms', 'Terms');
    for (let i = 0; i < 2; i++) {
      const res = await client.post('/api/v1/account/terms/accept', {
        versionIds: [terms.versionId, terms.versionId],
      });
      assert.equal(res.status, 204, JSON.stringify(res.body));
    }
    const mine = await termsOf(client);
    assert.deepEqual(mine.pending, []);
    assert.deepEqual(mine.accepted, [
      {
        policyId: terms.policyId,
        versionId: terms.versionId,
        kind: 'terms',
        title: 'Terms',
        number: 1,
        acceptedAt: new Date(s.clock.now()).toISOString(),
        onBehalf: false,
      },
    ]);
    assert.deepEqual((await client.get('/api/v1/session')).body.pendingTerms, []);
    const audit = await s.admin.get(`/api/v1/admin/audit-events?targetId=${user.id}&action=terms.accepted`);
    assert.equal(audit.body.items.length, 1, 'accepting again records nothing');
    assert.equal(audit.body.items[0].details.versions[0].versionId, terms.versionId);
    assert.equal(audit.body.items[0].actor.id, user.id);
  });

  it('R-ADM-16: concurrent accepts of the same version record one acceptance', async () => {
    const { client, user } = await s.signedInWith([]);
    const terms = await publishedPolicy('terms', 'Terms');
    const answers = await Promise.all(
      Array.from({ length: 5 }, () =>
        client.post('/api/v1/account/terms/accept', { versionIds: [terms.versionId] }),
      ),
    );
    assert.deepEqual(
      answers.map((a) => a.status),
      [204, 204, 204, 204, 204],
    );
    const rows = await s.services.database.db
      .selectFrom('policy_acceptances')
      .select('id')
      .where('user_id', '=', user.id)
      .execute();
    assert.equal(rows.length, 1);
    const audit = await s.admin.get(`/api/v1/admin/audit-events?targetId=${user.id}&action=terms.accepted`);
    assert.equal(audit.body.items.length, 1);
  });

  it('R-IMP-12: publishing a new version asks again: the old acceptance no longer suffices', async () => {
    const { client, user } = await s.signedInWith([]);
    const terms = await publishedPolicy('terms', 'Terms');
    await client.post('/api/v1/account/terms/accept', { versionIds: [terms.versionId] });
    s.clock.advance(60_000);
    const v2 = await s.admin.post(`/api/v1/admin/policies/${terms.policyId}/versions`, {
      body: 'Terms, version 2',
      publish: true,
    });
    const mine = await termsOf(client);
    assert.deepEqual(ids(mine.pending), [v2.body.id]);
    assert.deepEqual(mine.accepted, [], 'the acceptance of version 1 is not one of the current version');
    assert.deepEqual(ids((await client.get('/api/v1/session')).body.pendingTerms), [v2.body.id]);
    const login = await s.client().login(user.primaryEmail, strongPassword);
    assert.deepEqual(ids(login.body.pendingTerms), [v2.body.id]);
  });

  it('R-IMP-12: accepting a version that is not current is 422 and records nothing', async () => {
    const { client, user } = await s.signedInWith([]);
    const terms = await publishedPolicy('terms', 'Terms');
    const draft = await s.admin.post(`/api/v1/admin/policies/${terms.policyId}/versions`, {
      body: 'draft',
      publish: false,
    });
    const other = await publishedPolicy('privacy', 'Privacy');
    const superseded = other.versionId;
    await s.admin.post(`/api/v1/admin/policies/${other.policyId}/versions`, { body: 'v2', publish: true });
    for (const bad of [draft.body.id, superseded, unknownId]) {
      const res = await client.post('/api/v1/account/terms/accept', { versionIds: [terms.versionId, bad] });
      assert.equal(res.status, 422, JSON.stringify(res.body));
      assert.equal(res.body.code, 'policy_version_not_current');
      assert.deepEqual(res.body.versionIds, [bad]);
      assert.deepEqual(res.body.errors, [
        { field: 'versionIds.1', message: 'is not a current policy version', kind: 'not_current' },
      ]);
    }
    const mine = await termsOf(client);
    assert.deepEqual(mine.accepted, [], 'the valid version in the same request was not accepted either');
    const audit = await s.admin.get(`/api/v1/admin/audit-events?targetId=${user.id}&action=terms.accepted`);
    assert.equal(audit.body.items.length, 0);
    for (const body of [
      { versionIds: [] },
      { versionIds: ['nope'] },
      {},
      { versionIds: [terms.versionId], x: 1 },
    ]) {
      const res = await client.post('/api/v1/account/terms/accept', body);
      assert.deepEqual([res.status, res.body.code], [422, 'validation_failed'], JSON.stringify(body));
    }
  });

  it('R-IMP-12: revoking makes the policy pending again, shown by the session and at the next login', async () => {
    const { client, user } = await s.signedInWith([]);
    const terms = await publishedPolicy('terms', 'Terms');
    const privacy = await publishedPolicy('privacy', 'Privacy');
    await client.post('/api/v1/account/terms/accept', { versionIds: [terms.versionId, privacy.versionId] });
    assert.deepEqual((await client.get('/api/v1/session')).body.pendingTerms, []);

    s.clock.advance(1000);
    const revoked = await client.delete(`/api/v1/account/terms/${terms.policyId}`);
    assert.equal(revoked.status, 204, JSON.stringify(revoked.body));
    const mine = await termsOf(client);
    assert.deepEqual(ids(mine.pending), [terms.versionId]);
    assert.deepEqual(
      mine.accepted.map((a) => a.policyId),
      [privacy.policyId],
    );
    assert.deepEqual(ids((await client.get('/api/v1/session')).body.pendingTerms), [terms.versionId]);
    const login = await s.client().login(user.primaryEmail, strongPassword);
    assert.deepEqual(ids(login.body.pendingTerms), [terms.versionId], 'asked again at the next login');

    const twice = await client.delete(`/api/v1/account/terms/${terms.policyId}`);
    assert.deepEqual([twice.status, twice.body.code], [404, 'acceptance_not_found']);
    const unknown = await client.delete(`/api/v1/account/terms/${unknownId}`);
    assert.deepEqual([unknown.status, unknown.body.code], [404, 'policy_not_found']);
    const audit = await s.admin.get(`/api/v1/admin/audit-events?targetId=${user.id}&action=terms.revoked`);
    assert.equal(audit.body.items.length, 1);

    assert.equal(
      (await client.post('/api/v1/account/terms/accept', { versionIds: [terms.versionId] })).status,
      204,
    );
    assert.deepEqual((await termsOf(client)).pending, [], 'accepting again after revoking works');
  });

  it('R-ADM-16: the account routes need a session', async () => {
    const anonymous = s.client();
    assert.equal((await anonymous.get('/api/v1/account/terms')).status, 401);
    assert.equal(
      (await anonymous.post('/api/v1/account/terms/accept', { versionIds: [unknownId] })).status,
      401,
    );
    assert.equal((await anonymous.delete(`/api/v1/account/terms/${unknownId}`)).status, 401);
  });
});

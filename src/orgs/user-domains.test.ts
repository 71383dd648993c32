// Issue 10 #2: a user's domain, as the console needs it: set when creating the user, shown in the
// list (and filtered by), changed on the user's page. Over HTTP, as the web app calls it.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, type TestServer } from '../../test/harness.ts';
import { auditOf, createDomain, uniqueName } from '../../test/orgs.ts';

describe("issue 10 #2: a user's domain in the console", () => {
  let s: TestServer;
  before(async () => {
    s = await startServer();
  });
  after(() => s.close());

  const newUser = (extra: Record<string, unknown> = {}) => ({
    email: `${Math.random().toString(36).slice(2, 10)}@example.test`,
    firstName: 'Jürgen',
    lastName: 'Schröder',
    ...extra,
  });

  it('issue 10 #2 (R-IMP-02, R-ADM-01): a user is created in a domain, listed with it and found by it', async () => {
    const domain = await createDomain(s, uniqueName('Süd'));
    const created = await s.admin.post('/api/v1/admin/users', newUser({ domainId: domain.id }));
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.equal(created.body.domainId, domain.id);
    const [event] = await auditOf(s, created.body.id);
    assert.deepEqual(event.changes.domainId, { before: null, after: domain.id }, 'audited');

    const outside = await s.admin.post('/api/v1/admin/users', newUser({ domainId: null }));
    assert.equal(outside.status, 201, JSON.stringify(outside.body));
    assert.equal(outside.body.domainId, null);

    const list = await s.admin.get(`/api/v1/admin/users?domain=${domain.id}`);
    assert.equal(list.status, 200);
    assert.deepEqual(
      list.body.items.map((u: any) => [u.id, u.domainId]),
      [[created.body.id, domain.id]],
      'the list item names the domain (the column), and the filter finds it',
    );
    const all = await s.admin.get(`/api/v1/admin/users?q=${outside.body.id}`);
    assert.equal(all.body.items.find((u: any) => u.id === outside.body.id)?.domainId, null);
  });

  it('issue 10 #2: creating in a domain that does not exist is refused at the field and creates nothing', async () => {
    const ghost = '0190a000-0000-7000-8000-000000000000';
    const body = newUser({ domainId: ghost });
    const refused = await s.admin.post('/api/v1/admin/users', body);
    assert.equal(refused.status, 422);
    assert.equal(refused.body.code, 'validation_failed');
    assert.deepEqual(
      refused.body.errors.map((e: any) => e.field),
      ['domainId'],
    );
    const bad = await s.admin.post('/api/v1/admin/users', newUser({ domainId: 'nord' }));
    assert.equal(bad.status, 422);
    const found = await s.admin.get(`/api/v1/admin/users?q=${encodeURIComponent(body.email)}`);
    assert.equal(found.body.items.length, 0, 'nothing was created');
  });

  it("issue 10 #2: the user's page moves a user into a domain and out again", async () => {
    const domain = await createDomain(s, uniqueName('Ost'));
    const created = await s.admin.post('/api/v1/admin/users', newUser());
    const id = created.body.id;
    const moved = await s.admin.patch(`/api/v1/admin/users/${id}`, { domainId: domain.id });
    assert.equal(moved.status, 200, JSON.stringify(moved.body));
    assert.equal(moved.body.domainId, domain.id);
    const out = await s.admin.patch(`/api/v1/admin/users/${id}`, { domainId: null });
    assert.equal(out.body.domainId, null);
  });
});

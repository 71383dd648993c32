import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, type TestServer } from '../../test/harness.ts';

// The admin API for policies (R-IMP-12): creating, versioning, publishing, archiving, and who
// may do it.

const unknownId = '019a1b2c-3d4e-7f60-8a7b-9c0d1e2f3a4b';

describe('policies (admin API)', () => {
  let s: TestServer;
  before(async () => {
    s = await startServer();
  });
  after(() => s.close());

  async function auditActions(targetId: string): Promise<string[]> {
    const res = await s.admin.get(`/api/v1/admin/audit-events?targetId=${targetId}&limit=50`);
    assert.equal(res.status, 200);
    return (res.body.items as Array<{ action: string }>).map((e) => e.action).reverse();
  }

  it('R-IMP-12: a policy is created, gets a draft, and publishing makes that version current', async () => {
    const created = await s.admin.post('/api/v1/admin/policies', { kind: 'terms', title: 'Terms of use' });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.equal(created.headers.get('location'), `/api/v1/admin/policies/${created.body.id}`);
    assert.deepEqual(
      { kind: created.body.kind, parentId: created.body.parentId, current: created.body.currentVersionId },
      { kind: 'terms', parentId: null, current: null },
    );
    assert.equal(created.body.inForce, true);
    assert.deepEqual(created.body.versions, []);
    const id = created.body.id as string;

    const draft = await s.admin.post(`/api/v1/admin/policies/${id}/versions`, {
      body: 'You agree to be nice.',
      publish: false,
    });
    assert.equal(draft.status, 201, JSON.stringify(draft.body));
    assert.deepEqual(
      { number: draft.body.number, publishedAt: draft.body.publishedAt, current: draft.body.current },
      { number: 1, publishedAt: null, current: false },
    );

    const published = await s.admin.post(`/api/v1/admin/policies/${id}/versions/${draft.body.id}/publish`);
    assert.equal(published.status, 200, JSON.stringify(published.body));
    assert.equal(published.body.currentVersionId, draft.body.id);
    assert.equal(published.body.versions[0].current, true);
    assert.equal(published.body.versions[0].publishedAt, new Date(s.clock.now()).toISOString());

    const again = await s.admin.post(`/api/v1/admin/policies/${id}/versions/${draft.body.id}/publish`);
    assert.equal(again.status, 200, 'publishing a published version changes nothing');

    const direct = await s.admin.post(`/api/v1/admin/policies/${id}/versions`, {
      body: 'You agree to be very nice.',
      publish: true,
    });
    assert.equal(direct.status, 201);
    assert.deepEqual([direct.body.number, direct.body.current], [2, true]);

    const list = await s.admin.get('/api/v1/admin/policies');
    assert.equal(list.status, 200);
    const listed = list.body.items.find((p: { id: string }) => p.id === id);
    assert.equal(listed.currentVersionId, direct.body.id);
    assert.deepEqual(
      listed.versions.map((v: { number: number; current: boolean; body: string }) => [v.number, v.current]),
      [
        [1, false],
        [2, true],
      ],
    );
    assert.deepEqual(await auditActions(id), [
      'policy.created',
      'policy.version_added',
      'policy.version_published',
      'policy.version_added',
      'policy.version_published',
    ]);
  });

  it('R-IMP-12: only a draft newer than the current version can be published', async () => {
    const { body: p } = await s.admin.post('/api/v1/admin/policies', { kind: 'privacy', title: 'Privacy' });
    const old = await s.admin.post(`/api/v1/admin/policies/${p.id}/versions`, { body: 'v1', publish: false });
    const v2 = await s.admin.post(`/api/v1/admin/policies/${p.id}/versions`, { body: 'v2', publish: true });
    assert.equal(v2.status, 201);
    const stale = await s.admin.post(`/api/v1/admin/policies/${p.id}/versions/${old.body.id}/publish`);
    assert.equal(stale.status, 409);
    assert.equal(stale.body.code, 'policy_version_superseded');
    const wrongPolicy = await s.admin.post(
      `/api/v1/admin/policies/${unknownId}/versions/${old.body.id}/publish`,
    );
    assert.equal(wrongPolicy.status, 404);
    assert.equal(wrongPolicy.body.code, 'policy_not_found');
    const unknownVersion = await s.admin.post(`/api/v1/admin/policies/${p.id}/versions/${unknownId}/publish`);
    assert.equal(unknownVersion.body.code, 'policy_not_found');
    const view = (await s.admin.get('/api/v1/admin/policies')).body.items.find((x: any) => x.id === p.id);
    assert.equal(view.currentVersionId, v2.body.id, 'still version 2');
  });

  it('R-IMP-12: archiving withdraws a policy and its sub-policies; an archived policy takes no versions', async () => {
    const { body: p } = await s.admin.post('/api/v1/admin/policies', { kind: 'privacy', title: 'Data' });
    const { body: sub } = await s.admin.post('/api/v1/admin/policies', {
      kind: 'privacy',
      title: 'Cookies',
      parentId: p.id,
    });
    assert.equal(sub.parentId, p.id);
    await s.admin.post(`/api/v1/admin/policies/${p.id}/versions`, { body: 'data', publish: true });
    await s.admin.post(`/api/v1/admin/policies/${sub.id}/versions`, { body: 'cookies', publish: true });
    const draft = await s.admin.post(`/api/v1/admin/policies/${p.id}/versions`, {
      body: 'next',
      publish: false,
    });

    const archived = await s.admin.post(`/api/v1/admin/policies/${p.id}/archive`);
    assert.equal(archived.status, 200);
    assert.equal(archived.body.archivedAt, new Date(s.clock.now()).toISOString());
    assert.deepEqual([archived.body.inForce, archived.body.currentVersionId], [false, null]);
    const items = (await s.admin.get('/api/v1/admin/policies')).body.items;
    const subView = items.find((x: any) => x.id === sub.id);
    assert.deepEqual([subView.inForce, subView.archivedAt, subView.currentVersionId], [false, null, null]);
    const ids = items.map((x: any) => x.id);
    assert.equal(ids.indexOf(sub.id), ids.indexOf(p.id) + 1, 'a sub-policy follows its parent');

    const more = await s.admin.post(`/api/v1/admin/policies/${p.id}/versions`, { body: 'x', publish: true });
    assert.equal(more.status, 409);
    assert.equal(more.body.code, 'policy_archived');
    const publish = await s.admin.post(`/api/v1/admin/policies/${p.id}/versions/${draft.body.id}/publish`);
    assert.equal(publish.body.code, 'policy_archived');
    const child = await s.admin.post('/api/v1/admin/policies', {
      kind: 'privacy',
      title: 'X',
      parentId: p.id,
    });
    assert.equal(child.body.code, 'invalid_policy_parent');
    assert.equal((await s.admin.post(`/api/v1/admin/policies/${p.id}/archive`)).status, 200, 'idempotent');
    assert.deepEqual((await auditActions(p.id)).filter((a) => a === 'policy.archived').length, 1);
    assert.equal(
      (await s.admin.post(`/api/v1/admin/policies/${unknownId}/archive`)).body.code,
      'policy_not_found',
    );
  });

  it("R-IMP-12: a sub-policy's parent must be a top-level privacy policy, and bad input is refused", async () => {
    const { body: terms } = await s.admin.post('/api/v1/admin/policies', { kind: 'terms', title: 'T' });
    const { body: privacy } = await s.admin.post('/api/v1/admin/policies', { kind: 'privacy', title: 'P' });
    const { body: sub } = await s.admin.post('/api/v1/admin/policies', {
      kind: 'privacy',
      title: 'S',
      parentId: privacy.id,
    });
    const cases: Array<[unknown, string, string]> = [
      [{ kind: 'privacy', title: 'x', parentId: terms.id }, 'invalid_policy_parent', 'parentId'],
      [{ kind: 'privacy', title: 'x', parentId: sub.id }, 'invalid_policy_parent', 'parentId'],
      [{ kind: 'privacy', title: 'x', parentId: unknownId }, 'invalid_policy_parent', 'parentId'],
      [{ kind: 'terms', title: 'x', parentId: privacy.id }, 'invalid_policy_parent', 'kind'],
      [{ kind: 'cookies', title: 'x' }, 'validation_failed', 'kind'],
      [{ kind: 'terms', title: '  ' }, 'validation_failed', 'title'],
      [{ kind: 'terms', title: 'x', archivedAt: 1 }, 'validation_failed', ''],
    ];
    for (const [body, code, field] of cases) {
      const res = await s.admin.post('/api/v1/admin/policies', body);
      assert.equal(res.status, 422, JSON.stringify(body));
      assert.equal(res.body.code, code, JSON.stringify(body));
      if (field)
        assert.ok(
          res.body.errors.some((e: { field: string }) => e.field === field),
          JSON.stringify(res.body),
        );
    }
    const empty = await s.admin.post(`/api/v1/admin/policies/${terms.id}/versions`, {
      body: '',
      publish: true,
    });
    assert.equal(empty.body.code, 'validation_failed');
    const noPublish = await s.admin.post(`/api/v1/admin/policies/${terms.id}/versions`, { body: 'x' });
    assert.equal(noPublish.body.code, 'validation_failed');
    const unknown = await s.admin.post(`/api/v1/admin/policies/${unknownId}/versions`, {
      body: 'x',
      publish: true,
    });
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.code, 'policy_not_found');
  });

  it('R-IMP-12: policy administration needs settings.manage; plain users get 403', async () => {
    const { body: p } = await s.admin.post('/api/v1/admin/policies', { kind: 'terms', title: 'Perm' });
    const plain = await s.signedInWith([]);
    const reader = await s.signedInWith(['settings.read', 'users.read']);
    const manager = await s.signedInWith(['settings.manage']);
    const calls: Array<[string, string, unknown]> = [
      ['GET', '/api/v1/admin/policies', undefined],
      ['POST', '/api/v1/admin/policies', { kind: 'terms', title: 'Nope' }],
      ['POST', `/api/v1/admin/policies/${p.id}/versions`, { body: 'x', publish: true }],
      ['POST', `/api/v1/admin/policies/${p.id}/versions/${unknownId}/publish`, undefined],
      ['POST', `/api/v1/admin/policies/${p.id}/archive`, undefined],
    ];
    for (const [method, path, body] of calls) {
      const a = await plain.client.request(method, path, body);
      assert.deepEqual([a.status, a.body.code], [403, 'forbidden'], `${method} ${path} as a plain user`);
      const b = await reader.client.request(method, path, body);
      assert.deepEqual([b.status, b.body.code], [403, 'missing_permission'], `${method} ${path} as a reader`);
      const anonymous = await s.client().request(method, path, body);
      assert.equal(anonymous.status, 401);
    }
    const view = (await s.admin.get('/api/v1/admin/policies')).body.items.find((x: any) => x.id === p.id);
    assert.deepEqual(view.versions, [], 'the refused calls changed nothing');
    const created = await manager.client.post('/api/v1/admin/policies', {
      kind: 'terms',
      title: 'By manager',
    });
    assert.equal(created.status, 201);
    const listed = await manager.client.get('/api/v1/admin/policies');
    assert.equal(listed.status, 200);
  });

  it('R-OPS-02: the OpenAPI document describes the policy and account terms routes', async () => {
    const doc = (await s.client().get('/api/v1/openapi.json')).body;
    for (const [path, method] of [
      ['/api/v1/admin/policies', 'get'],
      ['/api/v1/admin/policies', 'post'],
      ['/api/v1/admin/policies/{id}/versions', 'post'],
      ['/api/v1/admin/policies/{id}/versions/{versionId}/publish', 'post'],
      ['/api/v1/admin/policies/{id}/archive', 'post'],
      ['/api/v1/account/terms', 'get'],
      ['/api/v1/account/terms/accept', 'post'],
      ['/api/v1/account/terms/{policyId}', 'delete'],
    ]) {
      const op = doc.paths[path!]?.[method!];
      assert.ok(op?.summary, `${method} ${path} is documented`);
      assert.ok('401' in op.responses, `${method} ${path} documents 401`);
    }
    assert.ok('pendingTerms' in doc.components.schemas.Session.properties, 'the session names pendingTerms');
    assert.deepEqual(doc.components.schemas.Session.properties.pendingTerms.items, {
      $ref: '#/components/schemas/PendingTerm',
    });
  });
});

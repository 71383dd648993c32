// Domains (R-IMP-02: sub-tenants with an optional host name the impersonation runs on), who may
// manage and read them (R-ADM-07), conflicts and deletion rules (R-OPS-03).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, type TestServer } from '../../test/harness.ts';
import { unknownId } from '../../test/routes.ts';
import { assign, auditOf, createDomain, makeRole, setDomainOf, uniqueName } from '../../test/orgs.ts';

describe('domains', () => {
  let s: TestServer;
  before(async () => {
    s = await startServer();
  });
  after(() => s.close());

  it('R-IMP-02: a domain has a name and an optional host name, stored lower-cased', async () => {
    const name = uniqueName('Acme');
    const res = await s.admin.post('/api/v1/admin/domains', { name, hostName: 'Login.ACME.example.' });
    assert.equal(res.status, 201);
    assert.equal(res.body.name, name);
    assert.equal(res.body.hostName, 'login.acme.example');
    assert.equal(res.headers.get('etag'), '"domain-1"');
    assert.equal(res.headers.get('location'), `/api/v1/admin/domains/${res.body.id}`);
    const idn = await s.admin.post('/api/v1/admin/domains', {
      name: uniqueName('Bücher'),
      hostName: 'bücher.example',
    });
    assert.equal(idn.body.hostName, 'xn--bcher-kva.example', 'internationalised names in their ASCII form');
    const bare = await createDomain(s, uniqueName('Without host'));
    assert.equal(bare.hostName, null);
    const read = await s.admin.get(`/api/v1/admin/domains/${res.body.id}`);
    assert.deepEqual(read.body, res.body);
    const list = await s.admin.get('/api/v1/admin/domains');
    const ids = list.body.items.map((d: any) => d.id);
    for (const id of [res.body.id, idn.body.id, bare.id]) assert.ok(ids.includes(id));
    const [event] = await auditOf(s, res.body.id);
    assert.equal(event.action, 'domain.created');
    assert.deepEqual(event.changes.hostName, { before: null, after: 'login.acme.example' });
  });

  it('R-OPS-03: invalid host names are refused naming the field; nothing is created', async () => {
    const before = (await s.admin.get('/api/v1/admin/domains')).body.items.length;
    for (const hostName of [
      'https://acme.example',
      'acme.example:8443',
      'a..b',
      '10.0.0.1',
      'ac_me.example',
      '',
    ]) {
      const res = await s.admin.post('/api/v1/admin/domains', { name: uniqueName('Bad'), hostName });
      assert.equal(res.status, 422, hostName);
      assert.equal(res.body.code, 'validation_failed');
      assert.equal(res.body.errors[0].field, 'hostName', hostName);
    }
    assert.equal((await s.admin.get('/api/v1/admin/domains')).body.items.length, before);
  });

  it('R-OPS-03: names (any case) and host names are unique: 409 with the field', async () => {
    const first = await createDomain(s, uniqueName('Unique'), 'unique.example');
    const sameName = await s.admin.post('/api/v1/admin/domains', { name: first.name.toUpperCase() });
    assert.equal(sameName.status, 409);
    assert.equal(sameName.body.code, 'domain_name_taken');
    assert.equal(sameName.body.errors[0].field, 'name');
    const sameHost = await s.admin.post('/api/v1/admin/domains', {
      name: uniqueName('Other'),
      hostName: 'UNIQUE.example',
    });
    assert.equal(sameHost.status, 409);
    assert.equal(sameHost.body.code, 'host_name_taken');
    assert.equal(sameHost.body.errors[0].field, 'hostName');
    const second = await createDomain(s, uniqueName('Second'));
    const patch = await s.admin.patch(`/api/v1/admin/domains/${second.id}`, { hostName: 'unique.example' });
    assert.equal(patch.status, 409);
    assert.equal(patch.body.code, 'host_name_taken');
    assert.equal((await s.admin.get(`/api/v1/admin/domains/${second.id}`)).body.hostName, null);
  });

  it('R-IMP-02: a domain is renamed and its host name changed or removed, under If-Match', async () => {
    const domain = await createDomain(s, uniqueName('Move'), 'move.example');
    const path = `/api/v1/admin/domains/${domain.id}`;
    const moved = await s.admin.patch(path, { hostName: 'new.move.example' }, { 'if-match': '"domain-1"' });
    assert.equal(moved.status, 200);
    assert.equal(moved.body.hostName, 'new.move.example');
    assert.equal(moved.body.name, domain.name, 'what is not sent stays');
    assert.equal(moved.headers.get('etag'), '"domain-2"');
    const stale = await s.admin.patch(path, { name: 'Lost update' }, { 'if-match': '"domain-1"' });
    assert.equal(stale.status, 412);
    const cleared = await s.admin.patch(path, { hostName: null });
    assert.equal(cleared.body.hostName, null);
    const freed = await createDomain(s, uniqueName('Takes it'), 'move.example');
    assert.equal(freed.hostName, 'move.example', 'a host name given up can be taken by another domain');
    const events = await auditOf(s, domain.id);
    assert.deepEqual(events[0].changes, { hostName: { before: 'new.move.example', after: null } });
    assert.equal(
      (await s.admin.patch(`/api/v1/admin/domains/${unknownId}`, { name: 'x' })).body.code,
      'domain_not_found',
    );
  });

  it('R-IMP-02: a domain that still has users is kept (409 domain_in_use); an empty one goes with its assignments', async () => {
    const domain = await createDomain(s, uniqueName('Busy'));
    const user = await s.createUser();
    await setDomainOf(s, user.id, domain.id);
    const pu = await s.createUser();
    await makeRole(s, pu.id, 'power-user');
    await assign(s, pu.id, { domains: [domain.id] });

    const busy = await s.admin.delete(`/api/v1/admin/domains/${domain.id}`);
    assert.equal(busy.status, 409);
    assert.equal(busy.body.code, 'domain_in_use');
    assert.equal((await s.admin.get(`/api/v1/admin/domains/${domain.id}`)).status, 200);
    const resources = `/api/v1/admin/users/${pu.id}/power-user-resources`;
    assert.equal((await s.admin.get(resources)).body.domains.length, 1, 'a refused delete changes nothing');

    await setDomainOf(s, user.id, null);
    assert.equal(
      (await s.admin.delete(`/api/v1/admin/domains/${domain.id}`, { 'if-match': '"domain-2"' })).status,
      412,
    );
    assert.equal(
      (await s.admin.delete(`/api/v1/admin/domains/${domain.id}`, { 'if-match': '"domain-1"' })).status,
      204,
    );
    assert.equal((await s.admin.get(`/api/v1/admin/domains/${domain.id}`)).status, 404);
    assert.deepEqual((await s.admin.get(resources)).body.domains, []);
    const [event] = await auditOf(s, domain.id);
    assert.equal(event.action, 'domain.deleted');
  });

  it('R-IMP-02: the database itself refuses to delete a domain with users (foreign key)', async () => {
    const domain = await createDomain(s, uniqueName('Held'));
    const user = await s.createUser();
    await setDomainOf(s, user.id, domain.id);
    await assert.rejects(
      s.services.database.db.deleteFrom('domains').where('id', '=', domain.id).execute(),
      'the foreign key holds even when a request races past the check',
    );
    await setDomainOf(s, user.id, null);
  });

  it('R-IMP-02: a user belongs to one domain or none: domainId in PATCH, validated, audited', async () => {
    const [a, b] = [await createDomain(s, uniqueName('Home')), await createDomain(s, uniqueName('Away'))];
    const user = await s.createUser();
    assert.equal(user.domainId, null, 'a new user belongs to no domain');
    const path = `/api/v1/admin/users/${user.id}`;
    const moved = await s.admin.patch(path, { domainId: a.id }, { 'if-match': '"user-1"' });
    assert.equal(moved.status, 200);
    assert.equal(moved.body.domainId, a.id);
    assert.equal((await s.admin.get(path)).body.domainId, a.id);
    const [event] = await auditOf(s, user.id);
    assert.equal(event.action, 'user.updated');
    assert.deepEqual(event.changes, { domainId: { before: null, after: a.id } });

    const unknown = await s.admin.patch(path, { domainId: unknownId });
    assert.equal(unknown.status, 422);
    assert.equal(unknown.body.code, 'validation_failed');
    assert.deepEqual(unknown.body.errors, [
      { field: 'domainId', message: 'no domain has this ID', kind: 'not_found', params: { what: 'domain' } },
    ]);
    const malformed = await s.admin.patch(path, { domainId: 'acme' });
    assert.equal(malformed.status, 422);
    assert.equal(malformed.body.errors[0].field, 'domainId');
    assert.equal((await s.admin.get(path)).body.domainId, a.id, 'a refused move changes nothing');

    assert.equal((await setDomainOf(s, user.id, b.id)).domainId, b.id);
    const untouched = await s.admin.patch(path, { firstName: 'Renamed' });
    assert.equal(untouched.body.domainId, b.id, 'a PATCH without domainId keeps the domain');
    assert.equal((await setDomainOf(s, user.id, null)).domainId, null);

    const viewer = await s.signedInWith(['users.read']);
    const denied = await viewer.client.patch(path, { domainId: a.id });
    assert.equal(denied.status, 403, 'moving a user needs users.update');
    assert.equal(denied.body.code, 'missing_permission');
  });

  it('R-ADM-07: domains.manage manages domains; users.read reads them; nothing else does', async () => {
    const domain = await createDomain(s, uniqueName('Guarded'));
    const manager = await s.signedInWith(['domains.manage']);
    const made = await manager.client.post('/api/v1/admin/domains', { name: uniqueName('Managed') });
    assert.equal(made.status, 201);
    assert.equal((await manager.client.delete(`/api/v1/admin/domains/${made.body.id}`)).status, 204);
    assert.equal((await manager.client.get('/api/v1/admin/domains')).body.code, 'missing_permission');

    const reader = await s.signedInWith(['users.read', 'groups.manage']);
    assert.equal((await reader.client.get('/api/v1/admin/domains')).status, 200);
    assert.equal((await reader.client.get(`/api/v1/admin/domains/${domain.id}`)).status, 200);
    for (const res of [
      await reader.client.post('/api/v1/admin/domains', { name: uniqueName('No') }),
      await reader.client.patch(`/api/v1/admin/domains/${domain.id}`, { hostName: 'no.example' }),
      await reader.client.delete(`/api/v1/admin/domains/${domain.id}`),
    ]) {
      assert.equal(res.status, 403);
      assert.equal(res.body.code, 'missing_permission');
    }
  });
});

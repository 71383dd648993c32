import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, type TestServer } from '../../test/harness.ts';
import { auditEvents } from '../../test/impersonation-helpers.ts';
import { addService, idpFor, linkDirectly } from '../../test/login-service-flows.ts';
import type { TestIdp } from '../../test/idp.ts';

// The login services in the admin API (issue 8, R-ADM-17): `settings.manage`, audited, the
// client secret write-only.

describe('login services API (issue 8)', () => {
  let s: TestServer;
  let idp: TestIdp;
  before(async () => {
    s = await startServer();
    idp = await idpFor(s);
  });
  after(async () => {
    await idp.close();
    await s.close();
  });

  const body = () => ({
    displayName: 'Company account',
    displayNameDe: 'Firmenkonto',
    issuer: 'https://login.example.test/realms/staff',
    clientId: 'behalf',
    clientSecret: 'very-secret-value-123',
    showOnSignIn: true,
    allowLinking: false,
  });

  it('R-ADM-17: a service is created without reaching its provider; the secret is never answered nor audited', async () => {
    const created = await s.admin.post('/api/v1/admin/login-services', body());
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const id = created.body.id as string;
    assert.equal(created.body.clientSecretSet, true);
    assert.deepEqual(created.body.scopes, ['openid', 'profile', 'email']);
    assert.equal(created.body.linkByVerifiedEmail, false, 'linking by e-mail is off by default');
    assert.equal(created.body.trustProviderMfa, false);
    assert.equal(created.body.redirectUri, `${s.url}/api/v1/auth/login-services/${id}/callback`);
    const read = await s.admin.get(`/api/v1/admin/login-services/${id}`);
    assert.equal(read.status, 200);
    const list = await s.admin.get('/api/v1/admin/login-services');
    assert.ok(list.body.items.some((i: { id: string }) => i.id === id));
    const shown = await s.client().get('/api/v1/auth/login-services');
    assert.deepEqual(
      shown.body.find((i: { id: string }) => i.id === id),
      { id, displayName: 'Company account', displayNameDe: 'Firmenkonto' },
    );
    const replaced = await s.admin.patch(`/api/v1/admin/login-services/${id}`, {
      clientSecret: 'another-secret-456',
      showOnSignIn: false,
    });
    assert.equal(replaced.status, 200);
    assert.equal(replaced.body.showOnSignIn, false);
    const shownAfter = await s.client().get('/api/v1/auth/login-services');
    assert.ok(!shownAfter.body.some((i: { id: string }) => i.id === id), 'hidden once switched off');

    const answers = JSON.stringify([created.body, read.body, list.body, replaced.body]);
    assert.ok(!answers.includes('very-secret') && !answers.includes('another-secret'));
    const row = await s.services.database.db
      .selectFrom('login_services')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    assert.ok(!JSON.stringify(row).includes('another-secret'), 'stored sealed, not in the clear');
    const events = [
      ...(await auditEvents(s, 'action=login_service.created')),
      ...(await auditEvents(s, 'action=login_service.updated')),
    ].filter((e) => e.target.id === id);
    assert.equal(events.length, 2);
    const trail = JSON.stringify(events);
    assert.ok(!trail.includes('very-secret') && !trail.includes('another-secret'), 'no secret in the trail');
    assert.ok(events[1]!.changes.secret, 'the trail says the secret changed');
  });

  it('R-ADM-17: bad input is refused with 422 field errors and changes nothing', async () => {
    const cases: [string, Record<string, unknown>, string][] = [
      ['http issuer off loopback', { issuer: 'http://login.example.test' }, 'issuer'],
      ['not a URL', { issuer: 'login.example.test' }, 'issuer'],
      ['issuer with a query', { issuer: 'https://login.example.test/?x=1' }, 'issuer'],
      ['scopes without openid', { scopes: ['email'] }, 'scopes'],
      ['empty name', { displayName: ' ' }, 'displayName'],
      ['empty secret', { clientSecret: '' }, 'clientSecret'],
      ['unknown domain', { domainId: 'no-such-domain' }, 'domainId'],
    ];
    const before = (await s.admin.get('/api/v1/admin/login-services')).body.items.length;
    for (const [what, change, field] of cases) {
      const res = await s.admin.post('/api/v1/admin/login-services', { ...body(), ...change });
      assert.equal(res.status, 422, `${what}: ${JSON.stringify(res.body)}`);
      assert.equal(res.body.code, 'validation_failed', what);
      assert.ok(
        res.body.errors.some((e: { field: string }) => e.field === field),
        `${what}: names ${field} (${JSON.stringify(res.body.errors)})`,
      );
    }
    const ok = await s.admin.post('/api/v1/admin/login-services', {
      ...body(),
      issuer: 'http://127.0.0.1:9/realm',
    });
    assert.equal(ok.status, 201, 'http is allowed on loopback');
    assert.equal((await s.admin.get('/api/v1/admin/login-services')).body.items.length, before + 1);
  });

  it('R-ADM-17: only settings.manage administers login services', async () => {
    const { client } = await s.signedInWith(['users.read']);
    assert.equal((await client.get('/api/v1/admin/login-services')).status, 403);
    assert.equal((await client.post('/api/v1/admin/login-services', body())).status, 403);
    const { client: manager } = await s.signedInWith(['settings.manage']);
    assert.equal((await manager.get('/api/v1/admin/login-services')).status, 200);
  });

  it('R-ADM-11: deleting a service with linked accounts needs force, and removes the links', async () => {
    const service = await addService(s, idp);
    const user = await s.createUser();
    await linkDirectly(s, user.id, service.id, 'alice');
    const refused = await s.admin.delete(`/api/v1/admin/login-services/${service.id}`);
    assert.equal(refused.status, 409);
    assert.equal(refused.body.code, 'login_service_in_use');
    assert.equal(refused.body.linkedAccounts, 1);
    const gone = await s.admin.delete(`/api/v1/admin/login-services/${service.id}?force=true`);
    assert.equal(gone.status, 204);
    const links = await s.services.database.db
      .selectFrom('linked_accounts')
      .selectAll()
      .where('service_id', '=', service.id)
      .execute();
    assert.equal(links.length, 0, 'the links went with the service');
    const [event] = (await auditEvents(s, 'action=login_service.deleted')).filter(
      (e) => e.target.id === service.id,
    );
    assert.equal(event?.details.removedLinkedAccounts, 1);
    assert.equal((await s.admin.get(`/api/v1/admin/login-services/${service.id}`)).status, 404);
  });

  it('R-ADM-17: "test connection" discovers a provider that is up and names the failure of one that is not', async () => {
    const up = await addService(s, idp);
    const ok = await s.admin.post(`/api/v1/admin/login-services/${up.id}/check`);
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
    assert.equal(ok.body.issuer, idp.issuer);
    const down = await addService(s, idp, { issuer: 'http://127.0.0.1:9' });
    const failed = await s.admin.post(`/api/v1/admin/login-services/${down.id}/check`);
    assert.equal(failed.status, 502);
    assert.equal(failed.body.code, 'login_service_unavailable');
  });
});

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as oc from 'openid-client';
import {
  adminEmail,
  adminPassword,
  startServer,
  strongPassword,
  type TestServer,
} from '../../test/harness.ts';
import { auditEvents, actAs } from '../../test/impersonation-helpers.ts';
import { redirectUri, registerApp, rpConfig, signInToApp } from '../../test/oidc.ts';

// The platform's apps in the admin API (issue 9): `apps.manage`, audited, the secret shown once.

describe('apps API (issue 9)', () => {
  let s: TestServer;
  before(async () => {
    s = await startServer();
  });
  after(() => s.close());

  const body = {
    name: 'Learning portal',
    type: 'confidential',
    redirectUris: [redirectUri],
    postLogoutRedirectUris: ['https://app.example.test/signed-out'],
    backchannelLogoutUri: 'https://app.example.test/backchannel',
    firstParty: true,
  };

  it('R-ADM-07: the secret is answered once at creation, never read back, and the change is audited', async () => {
    const created = await s.admin.post('/api/v1/admin/apps', body);
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.ok(created.body.clientSecret?.length >= 40, 'a strong secret');
    const id = created.body.clientId as string;
    assert.equal(created.body.app.id, id);
    const read = await s.admin.get(`/api/v1/admin/apps/${id}`);
    assert.equal(read.status, 200);
    assert.equal(read.body.name, 'Learning portal');
    assert.deepEqual(read.body.redirectUris, [redirectUri]);
    const everything = JSON.stringify([read.body, (await s.admin.get('/api/v1/admin/apps')).body]);
    assert.ok(!everything.includes(created.body.clientSecret), 'no answer shows the secret again');
    const events = await auditEvents(s, 'action=app.created');
    const event = events.find((e) => e.target.id === id);
    assert.ok(event, 'audited');
    assert.ok(!JSON.stringify(event).includes(created.body.clientSecret), 'the secret is not in the trail');
  });

  it('R-APP-01: the secret is stored encrypted, and the app signs in with it', async () => {
    const created = await s.admin.post('/api/v1/admin/apps', body);
    const row = await s.services.database.db
      .selectFrom('oidc_apps')
      .selectAll()
      .where('id', '=', created.body.clientId)
      .executeTakeFirstOrThrow();
    assert.ok(!JSON.stringify(row).includes(created.body.clientSecret), 'not stored in the clear');
    const config = await rpConfig(s, created.body.clientId, created.body.clientSecret);
    const { tokens } = await signInToApp({ ...created.body, config }, s.admin);
    assert.ok(tokens.id_token);
  });

  it('R-APP-01: rotating the secret answers a new one once; the old one stops working at once', async () => {
    const rp = await registerApp(s);
    const { tokens } = await signInToApp(rp, s.admin);
    const rotated = await s.admin.post(`/api/v1/admin/apps/${rp.clientId}/secret`, undefined);
    assert.equal(rotated.status, 200, JSON.stringify(rotated.body));
    assert.notEqual(rotated.body.clientSecret, rp.clientSecret);
    await assert.rejects(
      oc.tokenIntrospection(rp.config, tokens.access_token),
      (e: { status?: number; cause?: { parameters: { error?: string } }[] }) => {
        // 401 with a WWW-Authenticate challenge naming the error.
        assert.equal(e.status, 401);
        assert.equal(e.cause?.[0]?.parameters.error, 'invalid_client');
        return true;
      },
    );
    const fresh = await rpConfig(s, rp.clientId, rotated.body.clientSecret);
    assert.equal((await oc.tokenIntrospection(fresh, tokens.access_token)).active, true);
  });

  it('R-APP-01: a public app gets no secret and cannot rotate one', async () => {
    const created = await s.admin.post('/api/v1/admin/apps', { ...body, type: 'public' });
    assert.equal(created.status, 201);
    assert.equal(created.body.clientSecret, undefined);
    const rotate = await s.admin.post(`/api/v1/admin/apps/${created.body.clientId}/secret`, undefined);
    assert.equal(rotate.status, 422);
    assert.equal(rotate.body.code, 'validation_failed');
  });

  it('R-APP-01: PATCH changes the redirect URIs the provider accepts; DELETE ends the app', async () => {
    const rp = await registerApp(s);
    const patched = await s.admin.patch(`/api/v1/admin/apps/${rp.clientId}`, {
      redirectUris: ['https://other.example.test/cb'],
    });
    assert.equal(patched.status, 200, JSON.stringify(patched.body));
    await assert.rejects(signInToApp(rp, s.admin), /did not reach the app/);
    assert.equal((await s.admin.delete(`/api/v1/admin/apps/${rp.clientId}`)).status, 204);
    assert.equal((await s.admin.get(`/api/v1/admin/apps/${rp.clientId}`)).status, 404);
    assert.equal((await s.admin.delete(`/api/v1/admin/apps/${rp.clientId}`)).status, 404);
    const events = await auditEvents(s, 'action=app.deleted');
    assert.ok(events.some((e) => e.target.id === rp.clientId));
  });

  it('bad input is refused with 422 and changes nothing: no URI, a relative URI, a fragment, an unknown scope', async () => {
    const before = (await s.admin.get('/api/v1/admin/apps')).body.items.length;
    for (const bad of [
      { ...body, redirectUris: [] },
      { ...body, redirectUris: ['/callback'] },
      { ...body, redirectUris: ['https://app.example.test/cb#x'] },
      { ...body, redirectUris: ['javascript:alert(1)'] },
      { ...body, scopes: ['admin'] },
      { ...body, type: 'other' },
      { ...body, clientSecret: 'mine' },
    ]) {
      const res = await s.admin.post('/api/v1/admin/apps', bad);
      assert.equal(res.status, 422, JSON.stringify(bad));
      assert.equal(res.body.code, 'validation_failed');
    }
    assert.equal((await s.admin.get('/api/v1/admin/apps')).body.items.length, before);
  });

  it('R-ADM-07: apps.manage is needed; an administrator acting as someone cannot use it (R-IMP-03)', async () => {
    const { client } = await s.signedInWith(['users.read']);
    const refused = await client.get('/api/v1/admin/apps');
    assert.equal(refused.status, 403);
    assert.equal(refused.body.code, 'missing_permission');
    const { client: manager } = await s.signedInWith(['apps.manage']);
    assert.equal((await manager.get('/api/v1/admin/apps')).status, 200);
    assert.equal((await manager.post('/api/v1/admin/apps', body)).status, 201);

    const subject = await s.createUser({ password: strongPassword });
    const admin = s.client();
    await admin.login(adminEmail, adminPassword);
    await actAs(admin, subject.id);
    const acting = await admin.get('/api/v1/admin/apps');
    assert.equal(acting.status, 403);
    assert.equal(acting.body.code, 'admin_unavailable_while_impersonating');
  });
});

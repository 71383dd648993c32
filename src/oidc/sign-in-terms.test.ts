import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, type TestServer } from '../../test/harness.ts';
import {
  followAuthorization,
  redirectUri,
  registerApp,
  startAuthorization,
  type Rp,
} from '../../test/oidc.ts';

// An app's sign-in through Behalf asks for pending terms first, as Behalf's own sign-in does.

describe('OpenID Provider: pending terms at an app sign-in (R-IMP-12, R-APP-01)', () => {
  let s: TestServer;
  let rp: Rp;
  before(async () => {
    s = await startServer();
    rp = await registerApp(s);
  });
  after(() => s.close());

  it('R-IMP-12: a signed-in user with pending terms is sent to Behalf to accept them, then the sign-in completes', async () => {
    const { client } = await s.signedInWith([]);
    const policy = await s.admin.post('/api/v1/admin/policies', { kind: 'terms', title: 'Terms' });
    assert.equal(policy.status, 201, JSON.stringify(policy.body));
    const version = await s.admin.post(`/api/v1/admin/policies/${policy.body.id}/versions`, {
      body: 'Terms, version 1',
      publish: true,
    });
    assert.equal(version.status, 201);

    const jar = new Map<string, string>();
    const started = await startAuthorization(rp);
    const first = await followAuthorization(started.url, client, jar);
    assert.equal(first.location?.pathname, '/sign-in', 'no code before the terms are accepted');
    const next = first.location.searchParams.get('next')!;

    const accepted = await client.post('/api/v1/account/terms/accept', { versionIds: [version.body.id] });
    assert.equal(accepted.status, 204, JSON.stringify(accepted.body));
    const done = await followAuthorization(new URL(next, s.url), client, jar);
    assert.ok(done.location?.href.startsWith(redirectUri), String(done.location));
    assert.ok(done.location!.searchParams.get('code'));
  });
});

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { decodeProtectedHeader } from 'jose';
import {
  adminEmail,
  adminPassword,
  dialect,
  startServer,
  strongPassword,
  type TestServer,
} from '../../test/harness.ts';
import { actAs } from '../../test/impersonation-helpers.ts';
import {
  followAuthorization,
  redirectUri,
  registerApp,
  signInToApp,
  startAuthorization,
} from '../../test/oidc.ts';
import { rotateSigningKeys } from './keys.ts';

// R-OPS-01 for the OpenID Provider (issue 9): several instances on one PostgreSQL database share
// all provider state and the signing keys. (SQLite is one process by design.)

async function jwks(server: TestServer): Promise<string[]> {
  const res = await fetch(`${server.url}/oidc/jwks`);
  return ((await res.json()) as { keys: { kid: string }[] }).keys.map((k) => k.kid);
}

async function form(url: string, auth: string, body: Record<string, string>) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { authorization: `Basic ${auth}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe('OpenID Provider on two instances', { skip: dialect !== 'postgres' && 'PostgreSQL only' }, () => {
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

  it('R-OPS-01: both publish the same key; a code from one is redeemed at the other; an impersonation ended on one is inactive on the other at once (R-IMP-14)', async () => {
    assert.deepEqual(await jwks(two), await jwks(one), 'the key generated once, shared');
    const rp = await registerApp(one);
    const auth = Buffer.from(`${rp.clientId}:${rp.clientSecret}`).toString('base64');
    const subject = await one.createUser({ password: strongPassword });
    const admin = one.client();
    await admin.login(adminEmail, adminPassword);
    await actAs(admin, subject.id);

    const started = await startAuthorization(rp);
    const end = await followAuthorization(started.url, admin);
    const code = end.location!.searchParams.get('code')!;
    const tokens = await form(`${two.url}/oidc/token`, auth, {
      grant_type: 'authorization_code',
      code,
      redirect_uri: redirectUri,
      code_verifier: started.verifier,
    });
    assert.equal(tokens.status, 200, JSON.stringify(tokens.body));
    const token = tokens.body.access_token as string;
    const before = await form(`${two.url}/oidc/token/introspection`, auth, { token });
    assert.equal(before.body.active, true);
    assert.equal(before.body.sub, subject.id);

    assert.equal((await admin.delete('/api/v1/impersonation')).status, 200);
    const afterwards = await form(`${two.url}/oidc/token/introspection`, auth, { token });
    assert.equal(afterwards.body.active, false, 'inactive on the other instance at once');
  });

  it('R-APP-01: after `oidc:rotate-keys` a new instance signs with the new key and still publishes the old one', async () => {
    const [old] = await jwks(one);
    await rotateSigningKeys(one.services.database, Date.now());
    const three = await startServer({}, { sameDatabaseAs: one });
    try {
      const keys = await jwks(three);
      assert.equal(keys.length, 2);
      assert.ok(keys.includes(old!), 'the old key stays for verification');
      const rp = await registerApp(three);
      const { tokens } = await signInToApp(rp, three.admin);
      const kid = decodeProtectedHeader(tokens.id_token!).kid;
      assert.notEqual(kid, old);
      assert.ok(keys.includes(kid!));
    } finally {
      await three.close();
    }
  });
});

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPair, type JWTPayload } from 'jose';
import { createBehalf, principalFromClaims, type Behalf, type BehalfTokenError } from '../src/index.ts';
import { chain, principalRoute, startApp } from './apps.ts';
import { nowSec, startIssuer, type TestIssuer } from './issuer.ts';

// The refusals, with tokens signed by a key of our own and served from our own JWKS (the real
// server never issues these), and the pure reading of the claims.

const clientId = 'learning-portal';

describe('@behalf/sdk refuses what it must (tokens of a test issuer)', () => {
  let issuer: TestIssuer;
  let behalf: Behalf;
  let resource: string;
  before(async () => {
    issuer = await startIssuer();
    resource = issuer.issuer.replace(/\/oidc$/, '');
    behalf = createBehalf({ issuer: issuer.issuer, audience: clientId });
  });
  after(() => issuer.close());

  const access = (claims: JWTPayload = {}) => ({
    iss: issuer.issuer,
    aud: resource,
    client_id: clientId,
    sub: 'user-1',
    iat: nowSec(),
    exp: nowSec() + 300,
    ...claims,
  });
  const code = (expected: string) => (e: BehalfTokenError) => {
    assert.equal(e.code, expected, e.message);
    return true;
  };

  it('a well-formed access token of the test issuer verifies (so the refusals below are for their reason)', async () => {
    const p = await behalf.verifyAccessToken(await issuer.sign(access(), { typ: 'at+jwt' }));
    assert.equal(p.user.id, 'user-1');
  });

  const refusals: Array<[string, JWTPayload, string, { typ?: string }?]> = [
    ['another issuer', { iss: 'https://other.example.test/oidc' }, 'wrong_issuer'],
    ['another audience', { aud: 'https://other.example.test' }, 'wrong_audience'],
    ["another app's access token", { client_id: 'shop' }, 'wrong_audience'],
    ['expired beyond the tolerance', { iat: nowSec() - 600, exp: nowSec() - 60 }, 'expired'],
    ['not yet valid', { nbf: nowSec() + 600 }, 'invalid_token'],
    ['without sub', { sub: undefined }, 'invalid_token'],
    ['without exp', { exp: undefined }, 'invalid_token'],
    ['not typed at+jwt (an ID token)', {}, 'invalid_token', { typ: 'JWT' }],
    [
      'act without the blocked list (fail closed)',
      { act: { sub: 'admin-1' }, impersonation: { id: 'i', expires_at: nowSec() + 60 } },
      'invalid_token',
    ],
    ['act without the impersonation', { act: { sub: 'admin-1' }, blocked_capabilities: [] }, 'invalid_token'],
    ['blocked list without act', { blocked_capabilities: ['payments'] }, 'invalid_token'],
  ];
  for (const [what, claims, expected, header] of refusals) {
    it(`access token ${what}: ${expected}`, async () => {
      const token = await issuer.sign(access(claims), { typ: 'at+jwt', ...header });
      await assert.rejects(behalf.verifyAccessToken(token), code(expected));
    });
  }

  it('a token signed by an unpublished key under the published key id: invalid_token', async () => {
    const { privateKey } = await generateKeyPair('ES256');
    const token = await issuer.sign(access(), { typ: 'at+jwt', key: privateKey });
    await assert.rejects(behalf.verifyAccessToken(token), code('invalid_token'));
  });

  it('an unsigned token (alg none) and garbage: invalid_token', async () => {
    const none = `${Buffer.from('{"alg":"none","typ":"at+jwt"}').toString('base64url')}.${Buffer.from(JSON.stringify(access())).toString('base64url')}.`;
    await assert.rejects(behalf.verifyAccessToken(none), code('invalid_token'));
    await assert.rejects(behalf.verifyAccessToken('garbage'), code('invalid_token'));
  });

  it('ID tokens: the nonce of the sign-in, this app as audience', async () => {
    const id = (claims: JWTPayload = {}) =>
      issuer.sign({
        iss: issuer.issuer,
        aud: clientId,
        sub: 'user-1',
        iat: nowSec(),
        exp: nowSec() + 300,
        nonce: 'n-1',
        ...claims,
      });
    assert.equal((await behalf.verifyIdToken(await id(), 'n-1')).user.id, 'user-1');
    await assert.rejects(behalf.verifyIdToken(await id(), 'n-2'), code('wrong_nonce'));
    await assert.rejects(behalf.verifyIdToken(await id({ nonce: undefined }), 'n-1'), code('wrong_nonce'));
    await assert.rejects(behalf.verifyIdToken(await id({ aud: 'shop' })), code('wrong_audience'));
    await assert.rejects(
      behalf.verifyIdToken(await id({ aud: [clientId, 'shop'], azp: 'shop' })),
      code('wrong_audience'),
    );
    await assert.rejects(
      behalf.verifyIdToken(await id({ iss: 'https://other.example.test/oidc' })),
      code('wrong_issuer'),
    );
    await assert.rejects(behalf.verifyIdToken(await id({ exp: nowSec() - 60 })), code('expired'));
  });

  it('a discovery document naming another issuer is not trusted (unavailable, never verified)', async () => {
    const liar = await startIssuer(() => 'https://behalf.example.test/oidc');
    try {
      const sdk = createBehalf({ issuer: liar.issuer, audience: clientId });
      const token = await liar.sign({ ...access(), iss: liar.issuer }, { typ: 'at+jwt' });
      await assert.rejects(sdk.verifyAccessToken(token), code('unavailable'));
    } finally {
      await liar.close();
    }
  });

  it('an unreachable Behalf: the middleware answers 503 problem JSON, not 401', async () => {
    const gone = await startIssuer();
    const issuerUrl = gone.issuer;
    const token = await gone.sign(access({ iss: issuerUrl, aud: issuerUrl.replace(/\/oidc$/, '') }), {
      typ: 'at+jwt',
    });
    await gone.close();
    const app = await startApp({
      'GET /me': chain(createBehalf({ issuer: issuerUrl }).middleware(), principalRoute),
    });
    try {
      const res = await fetch(`${app.url}/me`, { headers: { authorization: `Bearer ${token}` } });
      assert.equal(res.status, 503);
      assert.equal(((await res.json()) as { code: string }).code, 'service_unavailable');
    } finally {
      await app.close();
    }
  });

  it('the middleware reads the token where the app says (a cookie here)', async () => {
    const token = await issuer.sign(access(), { typ: 'at+jwt' });
    const auth = behalf.middleware({
      from: (req) => /(?:^|; )at=([^;]+)/.exec(req.headers.cookie ?? '')?.[1],
    });
    const app = await startApp({ 'GET /me': chain(auth, principalRoute) });
    try {
      const res = await fetch(`${app.url}/me`, { headers: { cookie: `at=${token}` } });
      assert.equal(res.status, 200);
      assert.equal(((await res.json()) as { user: { id: string } }).user.id, 'user-1');
      assert.equal(
        (await fetch(`${app.url}/me`, { headers: { authorization: `Bearer ${token}` } })).status,
        401,
      );
    } finally {
      await app.close();
    }
  });
});

describe('principalFromClaims (pure)', () => {
  const imp = { id: 'imp-1', expires_at: 1_800_000_000 };
  const table: Array<[string, JWTPayload, object | string]> = [
    [
      'a user',
      { sub: 'u', name: 'Anna Schmidt', email: 'anna@example.test' },
      {
        user: { id: 'u', name: 'Anna Schmidt', email: 'anna@example.test' },
        actor: null,
        impersonation: null,
        blocked: [],
      },
    ],
    [
      'acting',
      { sub: 'u', act: { sub: 'a' }, impersonation: imp, blocked_capabilities: ['payments', 'esignature'] },
      {
        user: { id: 'u' },
        actor: { id: 'a' },
        impersonation: { id: 'imp-1', expiresAt: new Date(1_800_000_000_000) },
        blocked: ['payments', 'esignature'],
      },
    ],
    [
      'acting, nothing blocked',
      { sub: 'u', act: { sub: 'a', name: 'Max Admin' }, impersonation: imp, blocked_capabilities: [] },
      {
        user: { id: 'u' },
        actor: { id: 'a', name: 'Max Admin' },
        impersonation: { id: 'imp-1', expiresAt: new Date(1_800_000_000_000) },
        blocked: [],
      },
    ],
    ['no sub', { name: 'x' }, 'invalid_token'],
    [
      'act not an object',
      { sub: 'u', act: 'a', impersonation: imp, blocked_capabilities: [] },
      'invalid_token',
    ],
    ['act without sub', { sub: 'u', act: {}, impersonation: imp, blocked_capabilities: [] }, 'invalid_token'],
    [
      'blocked not strings',
      { sub: 'u', act: { sub: 'a' }, impersonation: imp, blocked_capabilities: [1] },
      'invalid_token',
    ],
    [
      'impersonation without expiry',
      { sub: 'u', act: { sub: 'a' }, impersonation: { id: 'i' }, blocked_capabilities: [] },
      'invalid_token',
    ],
    ['impersonation without act', { sub: 'u', impersonation: imp }, 'invalid_token'],
  ];
  for (const [what, claims, expected] of table) {
    it(`R-IMP-14: ${what}`, () => {
      if (typeof expected === 'string') {
        assert.throws(
          () => principalFromClaims(claims),
          (e: BehalfTokenError) => e.code === expected,
        );
      } else {
        assert.deepEqual(principalFromClaims(claims), { ...expected, claims });
      }
    });
  }
});

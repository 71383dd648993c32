// The precomputed security headers (security-headers.ts) replaced @fastify/helmet for speed:
// this proves every kind of answer carries exactly the headers helmet sent, with its values.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import Fastify from 'fastify';
import helmet from '@fastify/helmet';
import { ensureWebBuild } from '../../scripts/ensure-web-build.ts';
import { startServer, type TestServer } from '../../test/harness.ts';
import { securityHeaders } from './security-headers.ts';

/** The headers @fastify/helmet adds, with the options Behalf used, as name -> value. */
async function helmetHeaders(): Promise<Map<string, string>> {
  const headersOf = async (withHelmet: boolean) => {
    const app = Fastify();
    if (withHelmet) await app.register(helmet, { contentSecurityPolicy: false, global: true });
    app.get('/x', async () => ({ ok: true }));
    const res = await app.inject({ method: 'GET', url: '/x' });
    await app.close();
    return res.headers;
  };
  const plain = await headersOf(false);
  const withHelmet = await headersOf(true);
  const added = new Map<string, string>();
  for (const [name, value] of Object.entries(withHelmet)) {
    if (!(name in plain)) added.set(name, String(value));
  }
  return added;
}

describe('security headers, precomputed instead of helmet', () => {
  let s: TestServer;
  let expected: Map<string, string>;
  before(async () => {
    ensureWebBuild();
    expected = await helmetHeaders();
    s = await startServer();
  });
  after(() => s.close());

  it("R-OPS-02: the precomputed set is exactly helmet's, names and values", () => {
    const ours = new Map(securityHeaders.map(([n, v]) => [n.toLowerCase(), v]));
    assert.ok(expected.size >= 10, 'helmet sends its headers');
    assert.deepEqual([...ours].sort(), [...expected].sort());
  });

  it('R-OPS-02, R-OPS-03: API, HTML, static, 404 and refused answers carry every header, unchanged', async () => {
    const html = { accept: 'text/html' };
    const signedIn = s.admin;
    const cases: Array<[string, () => ReturnType<typeof signedIn.get>, number]> = [
      ['session check, signed in', () => signedIn.get('/api/v1/session'), 200],
      ['session check, anonymous (problem JSON)', () => s.client().get('/api/v1/session'), 401],
      ['health', () => s.client().get('/healthz'), 200],
      ['unknown API path', () => s.client().get('/api/v1/no-such-thing'), 404],
      ['HTML page', () => s.client().get('/admin/users', html), 200],
      ['HTML page, the root', () => s.client().get('/', html), 200],
      [
        'CSRF refusal in an onRequest hook',
        () => signedIn.post('/api/v1/auth/logout', {}, { origin: 'http://evil.test' }),
        403,
      ],
      [
        'bad JSON body',
        () =>
          signedIn.request('PATCH', '/api/v1/account/profile', '{"x":', {
            'content-type': 'application/json',
          }),
        400,
      ],
      [
        'static asset',
        () => s.client().get(`/assets/${readdirSync(new URL('../../web/dist/assets', import.meta.url))[0]}`),
        200,
      ],
      ['API reference', () => s.client().get('/api/docs/json'), 200],
    ];
    for (const [what, call, status] of cases) {
      const res = await call();
      assert.equal(res.status, status, what);
      for (const [name, value] of expected) assert.equal(res.headers.get(name), value, `${what}: ${name}`);
    }
  });
});

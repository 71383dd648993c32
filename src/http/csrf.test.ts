import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { startServer, type TestServer } from '../../test/harness.ts';
import { parseOrigin } from './csrf.ts';

/** Sends the path exactly as written (fetch would normalise it) and answers status and body. */
function raw(
  s: TestServer,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: string,
): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    const length = body === undefined ? {} : { 'content-length': String(Buffer.byteLength(body)) };
    const req = request(`${s.url}/`, { method, path, headers: { ...headers, ...length } }, (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : null }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('CSRF: the Origin of every state-changing request', () => {
  let s: TestServer;
  before(async () => {
    s = await startServer();
  });
  after(() => s.close());

  it('issue 7 #15: a serialised origin only; user info, paths, case and "null" are not origins', () => {
    const table: Array<[string, string | null]> = [
      ['http://127.0.0.1:8080', 'http://127.0.0.1:8080'],
      ['https://login.example.com', 'https://login.example.com'],
      ['http://evil.test@127.0.0.1:8080', null],
      ['http://127.0.0.1:8080/', null],
      ['http://127.0.0.1:8080/path', null],
      ['HTTP://127.0.0.1:8080', null],
      ['https://login.example.com:443', null],
      ['http://127.0.0.1:8080.evil.test', null],
      ['null', null],
      ['', null],
      ['file:///etc', null],
    ];
    for (const [header, expected] of table)
      assert.equal(parseOrigin(header)?.origin ?? null, expected, header);
  });

  it('issue 7 #15: foreign origins are refused on every spelling of the path, and the session stays valid (R-OPS-03)', async () => {
    const port = new URL(s.url).port;
    const cookie = s.admin.cookieHeader;
    const paths = [
      '/api/v1/auth/logout',
      '/%61pi/v1/auth/logout',
      '/%61%70%69/v1/auth/logout',
      '/api/v1/auth/%6cogout',
      '/api/v1/auth/logout/',
      '//api/v1/auth/logout',
      '/x/../api/v1/auth/logout',
      '/API/v1/auth/logout',
      '/api/v1/auth/logout?x=1',
    ];
    const origins: Array<string | undefined> = [
      undefined,
      'null',
      'https://evil.example',
      `http://evil.test@127.0.0.1:${port}`,
      `https://127.0.0.1:${port}`,
      `http://127.0.0.1:${port}.evil.test`,
      `http://127.0.0.1:${Number(port) + 1}`,
      'http://127.0.0.1',
      `http://localhost:${port}`,
      `http://127.0.0.1:${port}/`,
      `${s.url}/api`,
      // A host name no domain has, with the right scheme and port.
      `http://nord.example.test:${port}`,
    ];
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE', 'PROPFIND']) {
      for (const path of paths) {
        for (const origin of origins) {
          const headers: Record<string, string> = { cookie, 'content-type': 'application/json' };
          if (origin !== undefined) headers.origin = origin;
          const res = await raw(s, method, path, headers, '{}');
          const what = `${method} ${path} from ${origin}`;
          assert.equal(res.status, 403, `${what}: ${JSON.stringify(res.body)}`);
          assert.equal(res.body.code, 'csrf_rejected', what);
        }
      }
    }
    const session = await s.admin.get('/api/v1/session');
    assert.equal(session.status, 200);
    assert.ok(session.body.user, 'the administrator is still signed in');
  });

  it("issue 7 #15: PUBLIC_URL's origin and a domain's host name (same scheme and port) are accepted", async () => {
    const port = new URL(s.url).port;
    const set = (origin: string) =>
      raw(
        s,
        'PUT',
        '/api/v1/account/preferences/table.columns',
        { cookie: s.admin.cookieHeader, origin, 'content-type': 'application/json' },
        JSON.stringify({ value: ['name'] }),
      );
    assert.equal((await set(s.url)).status, 204, 'PUBLIC_URL');
    assert.equal(
      (await set(`http://nord.example.test:${port}`)).body.code,
      'csrf_rejected',
      'no such domain yet',
    );
    const domain = await s.admin.post('/api/v1/admin/domains', {
      name: 'Nord',
      hostName: 'nord.example.test',
    });
    assert.equal(domain.status, 201, JSON.stringify(domain.body));
    assert.equal((await set(`http://nord.example.test:${port}`)).status, 204, "the domain's host name");
    for (const origin of [
      `https://nord.example.test:${port}`,
      'http://nord.example.test',
      `http://sub.nord.example.test:${port}`,
      `http://nord.example.test.evil.example:${port}`,
    ]) {
      assert.equal((await set(origin)).body.code, 'csrf_rejected', origin);
    }
    // The path-encoding trick with the right origin reaches the route: it is the origin that counts.
    const other = s.client();
    await other.login('sadmin@example.test', 'Correct-Horse-Battery-9');
    const out = await raw(s, 'POST', '/%61pi/v1/auth/logout', { cookie: other.cookieHeader, origin: s.url });
    assert.equal(out.status, 204);
  });
});

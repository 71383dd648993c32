// R-OPS-03 at the HTTP edge: bad input gets a clear RFC 9457 problem document with a stable
// code, never a 5xx, never a stack trace, and changes nothing.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import fc from 'fast-check';
import { sql } from 'kysely';
import { startServer, strongPassword, type Reply } from './harness.ts';
import { errorStatus } from '../src/shared/errors.ts';
import { concretePath, routesUnder, unknownId } from './routes.ts';
import { Contract, type OpenApiDocument } from './openapi-contract.ts';

const s = await startServer();
const allRoutes = s.app.routeIndex.list();
// Every answer below must also be one the OpenAPI document promises (issue 7 #20).
const contract = new Contract((await s.client().get('/api/v1/openapi.json')).body as OpenApiDocument);
const problemKeys = ['type', 'title', 'status', 'code', 'detail', 'instance', 'requestId'] as const;

/** Asserts a complete problem document with this status and code. */
function assertProblem(res: Reply, status: number, code: string, path?: string): void {
  assert.equal(res.status, status, JSON.stringify(res.body));
  assert.equal(res.headers.get('content-type'), 'application/problem+json; charset=utf-8');
  for (const key of problemKeys) assert.ok(key in res.body, `problem document has ${key}`);
  assert.equal(res.body.status, status);
  assert.equal(res.body.code, code);
  assert.equal(res.body.type, `/docs/errors#${code}`);
  assert.equal(typeof res.body.title, 'string');
  assert.ok(res.body.detail.length > 0, 'detail says what is wrong');
  assert.equal(res.body.requestId, res.headers.get('x-request-id'), 'requestId is the x-request-id header');
  if (path !== undefined) assert.equal(res.body.instance, path);
}

/** Sends bytes as they are (fetch would refuse to) and returns what the server answers. */
function rawHttp(port: number, request: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.end(request));
    let answer = '';
    socket.on('data', (chunk: Buffer) => (answer += chunk.toString()));
    socket.on('close', () => resolve(answer));
    socket.on('error', reject);
  });
}

/** Exactly `bytes` bytes of JSON: a login body padded in the login field. */
function jsonOfSize(bytes: number): string {
  const skeleton = JSON.stringify({ login: '', password: 'x' });
  return JSON.stringify({ login: 'a'.repeat(bytes - skeleton.length), password: 'x' });
}

describe('errors at the HTTP edge', () => {
  after(() => s.close());

  it('R-OPS-03: an unknown route is 404 not_found, inside and outside the API', async () => {
    const anonymous = s.client();
    assertProblem(await anonymous.get('/api/v1/no-such-thing'), 404, 'not_found', '/api/v1/no-such-thing');
    assertProblem(await anonymous.get('/nothing/here?x=1'), 404, 'not_found', '/nothing/here');
    assertProblem(await s.admin.get('/api/v1/admin/no-such-thing'), 404, 'not_found');
    assertProblem(await s.admin.delete(`/api/v1/admin/users/${unknownId}/no-such-thing`), 404, 'not_found');
  });

  it('R-OPS-03: a wrong method on any existing path is 405 with an Allow header of the right methods', async () => {
    const verbs = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];
    const byUrl = new Map<string, Set<string>>();
    for (const r of allRoutes) {
      if (r.method === 'HEAD') continue;
      byUrl.set(r.url, (byUrl.get(r.url) ?? new Set()).add(r.method));
    }
    assert.ok(byUrl.size > 5, 'routes were found');
    for (const [url, methods] of byUrl) {
      const wrong = verbs.find((v) => !methods.has(v));
      if (!wrong) continue;
      const res = await s.admin.request(wrong, concretePath(url), wrong === 'GET' ? undefined : {});
      assertProblem(res, 405, 'method_not_allowed');
      const allow = (res.headers.get('allow') ?? '').split(', ').sort();
      assert.deepEqual(allow, [...methods].sort(), `Allow of ${url}`);
    }
  });

  it('R-OPS-03: a body over 64 KiB is 413 payload_too_large; one of exactly 64 KiB is read', async () => {
    const c = s.client();
    const limit = 64 * 1024;
    const atLimit = await c.post('/api/v1/auth/login', jsonOfSize(limit));
    assertProblem(atLimit, 422, 'validation_failed');
    const over = await c.post('/api/v1/auth/login', jsonOfSize(limit + 1));
    assertProblem(over, 413, 'payload_too_large', '/api/v1/auth/login');
    const admin = await s.admin.patch('/api/v1/admin/settings', jsonOfSize(limit + 1));
    assertProblem(admin, 413, 'payload_too_large');
  });

  it('R-OPS-03: a body that is not JSON is 415 unsupported_media_type', async () => {
    const c = s.client();
    for (const type of [
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
    ]) {
      const res = await c.request('POST', '/api/v1/auth/login', 'login=a&password=b', {
        'content-type': type,
      });
      assertProblem(res, 415, 'unsupported_media_type');
    }
    const admin = await s.admin.request('PATCH', '/api/v1/admin/settings', '<settings/>', {
      'content-type': 'application/xml',
    });
    assertProblem(admin, 415, 'unsupported_media_type');
  });

  it('R-OPS-03: invalid or empty JSON is 400 bad_request', async () => {
    const c = s.client();
    for (const text of ['{"login": "a",', '{login: a}', "{'a': 1}", 'nul', '{"a": 1} trailing']) {
      assertProblem(await c.post('/api/v1/auth/login', text), 400, 'bad_request', '/api/v1/auth/login');
    }
    const empty = await c.request('POST', '/api/v1/auth/login', '', { 'content-type': 'application/json' });
    assertProblem(empty, 400, 'bad_request');
    // Prototype pollution attempts are refused, not merged.
    const proto = await s.admin.patch('/api/v1/admin/settings', '{"__proto__": {"polluted": true}}');
    assertProblem(proto, 400, 'bad_request');
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });

  it('R-OPS-03: validation errors name the offending fields', async () => {
    const res = await s.admin.post('/api/v1/admin/users', { email: 'not-an-address', firstName: '' });
    assertProblem(res, 422, 'validation_failed', '/api/v1/admin/users');
    const fields = (res.body.errors as { field: string; message: string }[]).map((e) => e.field).sort();
    assert.deepEqual(fields, ['email', 'firstName', 'lastName']);
    for (const e of res.body.errors) assert.ok(e.message.length > 0);
  });

  it('R-OPS-03: URLs the router rejects (bad percent-encoding, over-long ids) get problem documents', async () => {
    assertProblem(await s.client().get('/api/v1/%zz'), 400, 'bad_request');
    assertProblem(await s.admin.get('/api/v1/admin/users/%E0%A4%A'), 400, 'bad_request');
    assertProblem(await s.admin.get(`/api/v1/admin/users/${'a'.repeat(300)}`), 404, 'not_found');
    assertProblem(await s.admin.get('/api/v1/admin/users/not-a-uuid'), 404, 'not_found');
  });

  it('R-OPS-03: requests the HTTP parser rejects (unknown method, broken headers) get problem documents', async () => {
    const { port } = new URL(s.url);
    for (const raw of [
      'FROB /api/v1/session HTTP/1.1\r\nHost: x\r\n\r\n',
      'GET /api/v1/session HTTP/1.1\r\nHost: x\r\nBroken header\r\n\r\n',
      `GET /api/v1/session HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`,
    ]) {
      const answer = await rawHttp(Number(port), raw);
      const [head = '', body = ''] = answer.split('\r\n\r\n');
      assert.match(head, /^HTTP\/1\.1 400 /, raw.slice(0, 40));
      assert.match(head, /content-type: application\/problem\+json/i);
      const problem = JSON.parse(body) as Record<string, unknown>;
      for (const key of problemKeys) assert.ok(key in problem, `has ${key}`);
      assert.equal(problem.code, 'bad_request');
    }
  });

  it('R-OPS-03: every error code is documented in docs/errors.md with its status', () => {
    const doc = readFileSync(new URL('../docs/errors.md', import.meta.url), 'utf8');
    const documented = new Map<string, number>();
    for (const m of doc.matchAll(/^\|\s*`([a-z_]+)`\s*\|\s*(\d{3})\s*\|/gm))
      documented.set(m[1]!, Number(m[2]));
    for (const [code, status] of Object.entries(errorStatus)) {
      assert.equal(documented.get(code), status, `docs/errors.md lists ${code} with ${status}`);
    }
    for (const code of documented.keys()) assert.ok(code in errorStatus, `${code} in docs/errors.md exists`);
  });

  it('R-OPS-03: no random or malformed request gets a 5xx or a stack trace, and rejected ones change nothing', async () => {
    const plain = await s.signedInWith([]);
    const other = await s.createUser({ password: strongPassword });
    const userIds = [other.id, plain.user.id, unknownId];
    const adminId = (await s.admin.get('/api/v1/session')).body.user.id as string;
    // Logging out would only shrink what the rest of the run reaches.
    const templates = allRoutes.filter(
      (r) => r.url.startsWith('/api/v1/') && r.url !== '/api/v1/auth/logout',
    );
    assert.ok(routesUnder(templates, '/api/v1/admin').length >= 5);

    const words = ['admin', 'users', 'settings', 'audit-events', 'password', 'generate', 'permissions'];
    const segment = fc.oneof(
      fc.constantFrom(...words, 'emails', 'two-factor', 'login-attempts', 'session', 'auth', 'login'),
      fc.constantFrom('..', '.', '%2e%2e', '%00', '%zz', '%E0%A4%A', '%2F', '~', ';x=1', 'a'.repeat(250)),
      fc.uuid(),
      fc.string({ unit: 'grapheme', maxLength: 12 }).map(encodeURIComponent),
    );
    const idLike = fc.oneof(
      { arbitrary: fc.constantFrom(...userIds, adminId), weight: 4 },
      { arbitrary: fc.uuid(), weight: 2 },
      { arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }).map(encodeURIComponent), weight: 1 },
      { arbitrary: fc.constantFrom('%zz', '0', '-1', 'null', "1' OR '1'='1", '%00'), weight: 1 },
    );
    const anyMethod = fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS');
    // Mostly real routes with their own method, so that requests get past routing and guards
    // into validation and handlers; some random paths and methods besides.
    const target = fc.oneof(
      {
        weight: 6,
        arbitrary: fc
          .tuple(
            fc.constantFrom(...templates),
            idLike,
            fc.oneof(fc.constant(null), fc.constant(null), anyMethod),
          )
          .map(([r, id, other]) => ({ method: other ?? r.method, path: concretePath(r.url, id) })),
      },
      {
        weight: 1,
        arbitrary: fc
          .tuple(anyMethod, fc.array(segment, { maxLength: 6 }))
          .map(([method, parts]) => ({ method, path: `/api/v1/${parts.join('/')}` })),
      },
      {
        weight: 1,
        arbitrary: fc
          .tuple(anyMethod, fc.array(segment, { maxLength: 3 }))
          .map(([method, parts]) => ({ method, path: `/api/v1/admin/users/${parts.join('/')}` })),
      },
    );
    const queryKey = fc.constantFrom('q', 'limit', 'cursor', 'confirm', 'action', 'actorId', 'targetId');
    const queryValue = fc.oneof(
      fc.string({ unit: 'grapheme', maxLength: 30 }),
      fc.integer().map(String),
      fc.constantFrom(...userIds, '2026-11-23T09:00:00Z', 'MTA', '!!!', '', 'true', '1e309'),
    );
    const query = fc.oneof(
      fc.constant(''),
      fc
        .array(fc.tuple(fc.oneof(queryKey, fc.string({ maxLength: 8 })), queryValue), { maxLength: 5 })
        .map((pairs) => `?${new URLSearchParams(pairs).toString()}`),
      fc.constantFrom('?%zz=1', '?a[b]=c', '?&&&', '?limit=1&limit=2', '?confirm', '?cursor=%00'),
    );
    const shaped = fc.record(
      {
        email: fc.oneof(fc.emailAddress(), fc.string()),
        username: fc.string(),
        firstName: fc.string(),
        lastName: fc.string(),
        gender: fc.constantFrom('female', 'male', 'diverse', 'unspecified', 'x'),
        language: fc.constantFrom('de', 'en', 'fr'),
        password: fc.oneof(fc.string(), fc.constant(strongPassword)),
        login: fc.string(),
        active: fc.oneof(fc.boolean(), fc.string()),
        method: fc.constantFrom('none', 'email', 'totp', 'sms'),
        general: fc.array(fc.constantFrom('support', 'help', 'root')),
        system: fc.array(fc.constantFrom('users.read', 'users.delete', 'everything')),
        lockout: fc.record({ threshold: fc.integer(), durationSeconds: fc.double() }, { requiredKeys: [] }),
        code: fc.string(),
      },
      { requiredKeys: [] },
    );
    const body = fc.oneof(
      { arbitrary: fc.constant(undefined), weight: 1 },
      { arbitrary: fc.jsonValue().map((v) => JSON.stringify(v)), weight: 1 },
      { arbitrary: shaped.map((v) => JSON.stringify(v)), weight: 4 },
      { arbitrary: fc.string({ maxLength: 40 }), weight: 1 },
      {
        arbitrary: fc.constantFrom('{', '[1,', '{"a":1}}', '\u0000', '{"__proto__":{"x":1}}', 'null', '[]'),
        weight: 1,
      },
    );
    const contentType = fc.oneof(
      { arbitrary: fc.constant('application/json'), weight: 6 },
      {
        arbitrary: fc.constantFrom(
          'application/json; charset=utf-8',
          'text/plain',
          'application/merge-patch+json',
          'application/x-www-form-urlencoded',
          '',
        ),
        weight: 2,
      },
    );
    const visible = fc.string({
      unit: fc.integer({ min: 0x21, max: 0x7e }).map((c) => String.fromCharCode(c)),
    });
    const ifMatch = fc.oneof(
      fc.constantFrom('*', '"user-1"', 'W/"user-2"', '"settings-1"', '"user-99999999999999999999999"', '""'),
      visible,
    );
    const request = fc.record({
      target,
      query,
      body,
      contentType,
      who: fc.constantFrom('anonymous', 'plain', 'admin', 'admin'),
      ifMatch: fc.option(ifMatch),
      origin: fc.constantFrom('same', 'same', 'same', 'same', 'same', 'none', 'evil'),
      accept: fc.constantFrom(undefined, 'application/json', 'text/html', '*/*', 'application/xml'),
    });

    const cookies = { anonymous: undefined, plain: plain.client.cookieHeader, admin: s.admin.cookieHeader };
    const db = s.services.database.db;
    const state = async () => {
      const audit = await db
        .selectFrom('audit_events')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      const users = await db
        .selectFrom('users')
        .select(sql<number>`coalesce(sum(version), 0)`.as('v'))
        .executeTakeFirstOrThrow();
      const settings = await db.selectFrom('settings').select('version').executeTakeFirst();
      return `${Number(audit.n)}/${Number(users.v)}/${settings?.version ?? 0}`;
    };
    // A stack frame (`at fn (file:///x/y.ts:1:2)`, `at node:internal/...:3:4`) or a source path.
    const stackTrace =
      /\bat (?:[^\s()]+ )?\(?(?:file:\/\/|node:|\/)[^\s()]*:\d+|node_modules\/|\/work\/|\.ts:\d+/;

    let seen = 0;
    await fc.assert(
      fc.asyncProperty(request, async ({ target: { method, path }, ...r }) => {
        const headers: Record<string, string> = {};
        const cookie = cookies[r.who];
        if (cookie) headers.cookie = cookie;
        if (r.origin === 'same') headers.origin = s.url;
        if (r.origin === 'evil') headers.origin = 'https://evil.example';
        if (r.ifMatch !== null) headers['if-match'] = r.ifMatch;
        if (r.accept) headers.accept = r.accept;
        const sendsBody = r.body !== undefined && method !== 'GET' && method !== 'HEAD';
        if (sendsBody && r.contentType) headers['content-type'] = r.contentType;
        const before = await state();
        const res = await fetch(s.url + path + r.query, {
          method,
          headers,
          body: sendsBody ? r.body : undefined,
          redirect: 'manual',
        });
        const text = await res.text();
        const what = `${method} ${path}${r.query} as ${r.who} -> ${res.status} ${text.slice(0, 300)}`;
        seen++;
        assert.ok(res.status < 500, what);
        const undocumented = contract.check(method, path, res.status, res.headers.get('content-type'));
        assert.equal(undocumented, null, `${what}: documented in the OpenAPI document`);
        assert.doesNotMatch(text, stackTrace, what);
        if (res.status >= 400 && method !== 'HEAD') {
          assert.match(res.headers.get('content-type') ?? '', /^application\/problem\+json/, what);
          const problem = JSON.parse(text) as Record<string, unknown>;
          for (const key of problemKeys) assert.ok(key in problem, `${what}: has ${key}`);
          assert.ok((problem.code as string) in errorStatus, `${what}: a documented code`);
          assert.equal(problem.status, res.status, what);
          // Failed logins count towards the lockout, so the auth routes are left out here.
          if (!path.startsWith('/api/v1/auth/'))
            assert.equal(await state(), before, `${what} changed nothing`);
        }
      }),
      { numRuns: 400 },
    );
    assert.equal(seen, 400);
    assert.equal((await s.client().get('/readyz')).status, 200, 'the server is still well');
  });
});

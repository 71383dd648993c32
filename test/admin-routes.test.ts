// The admin route matrix: every route under /api/v1/admin, discovered at run time from the
// server's own route index (so a route added tomorrow is covered without touching this file),
// refuses a caller without a session (401) and a signed-in user without system permissions
// (403), whatever the body, and appears in the OpenAPI document.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, strongPassword, type Client, type Reply } from './harness.ts';
import type { RouteEntry } from '../src/http/route-index.ts';
import { errorStatus, type ErrorCode } from '../src/shared/errors.ts';
import { concretePath, openApiPath, routesUnder } from './routes.ts';

const s = await startServer();
// HEAD included: Fastify answers HEAD for every GET, and the guard must hold there too.
const adminRoutes: RouteEntry[] = routesUnder(s.app.routeIndex.list(), '/api/v1/admin', true);
// Bodies a caller might send: none, an empty object, and one that would be valid for creating a
// user. None of them may get past the guard (no 422 before the 401/403).
const bodies: unknown[] = [
  undefined,
  {},
  { email: 'x@example.test', firstName: 'X', lastName: 'Y', gender: 'unspecified', language: 'en' },
];

function assertProblem(res: Reply, status: number, code: string, what: string): void {
  assert.equal(res.status, status, `${what}: status (${JSON.stringify(res.body)})`);
  if (res.body === '') return; // HEAD answers carry no body
  assert.match(res.headers.get('content-type') ?? '', /^application\/problem\+json/, what);
  assert.equal(res.body.code, code, `${what}: code`);
}

/**
 * 403 for a signed-in user without system permissions: `forbidden` from the admin guard, or,
 * from a route that must answer callers the guard would refuse (e.g. starting an impersonation
 * answers an impersonated session with its own code), another refusal with status 403.
 */
function assertRefused(res: Reply, what: string): void {
  assert.equal(res.status, 403, `${what}: status (${JSON.stringify(res.body)})`);
  if (res.body === '') return;
  assert.match(res.headers.get('content-type') ?? '', /^application\/problem\+json/, what);
  assert.equal(errorStatus[res.body.code as ErrorCode], 403, `${what}: a refusal code, not ${res.body.code}`);
}

async function send(client: Client, route: RouteEntry, body: unknown): Promise<Reply> {
  const withBody = route.method !== 'GET' && route.method !== 'HEAD' ? body : undefined;
  return client.request(route.method, concretePath(route.url), withBody);
}

describe('admin route matrix', () => {
  after(() => s.close());

  it('R-ADM-07: the route index finds the admin routes the API contract names', () => {
    const names = adminRoutes.map((r) => `${r.method} ${r.url}`);
    for (const expected of [
      'GET /api/v1/admin/settings',
      'PATCH /api/v1/admin/settings',
      'GET /api/v1/admin/audit-events',
      'POST /api/v1/admin/users',
      'GET /api/v1/admin/users/:id',
      'PUT /api/v1/admin/users/:id/permissions',
      'PUT /api/v1/admin/users/:id/password',
      'POST /api/v1/admin/users/:id/password/generate',
      // Issue 9: the platform's apps (OpenID clients).
      'GET /api/v1/admin/apps',
      'POST /api/v1/admin/apps',
      'GET /api/v1/admin/apps/:id',
      'PATCH /api/v1/admin/apps/:id',
      'DELETE /api/v1/admin/apps/:id',
      'POST /api/v1/admin/apps/:id/secret',
      // Issue 8: external login services.
      'GET /api/v1/admin/login-services',
      'POST /api/v1/admin/login-services',
      'GET /api/v1/admin/login-services/:id',
      'PATCH /api/v1/admin/login-services/:id',
      'DELETE /api/v1/admin/login-services/:id',
      'POST /api/v1/admin/login-services/:id/check',
    ]) {
      assert.ok(names.includes(expected), `${expected} is registered (found: ${names.join(', ')})`);
    }
  });

  for (const route of adminRoutes) {
    const name = `${route.method} ${route.url}`;

    it(`R-ADM-07: ${name} answers 401 not_authenticated without a session`, async () => {
      const anonymous = s.client();
      for (const body of bodies) {
        assertProblem(await send(anonymous, route, body), 401, 'not_authenticated', name);
      }
      // A cookie that names no session is no session.
      const forged = await s.client().request(route.method, concretePath(route.url), undefined, {
        cookie: `behalf_session=${'A'.repeat(43)}`,
      });
      assertProblem(forged, 401, 'not_authenticated', `${name} with a forged cookie`);
    });

    it(`R-ADM-07: ${name} answers 403 to a signed-in user without system permissions`, async () => {
      const { client } = await s.signedInWith([]);
      for (const body of bodies) assertRefused(await send(client, route, body), name);
    });
  }

  it('R-ADM-07: general permissions (support, help) do not make a user an administrator', async () => {
    const user = await s.createUser({ password: strongPassword });
    const grant = await s.admin.put(`/api/v1/admin/users/${user.id}/permissions`, {
      general: ['support', 'help'],
      system: [],
    });
    assert.equal(grant.status, 200);
    const client = s.client();
    assert.equal((await client.login(user.primaryEmail, strongPassword)).status, 200);
    for (const route of adminRoutes) {
      assertRefused(await send(client, route, {}), `${route.method} ${route.url}`);
    }
  });

  it('R-OPS-02: the OpenAPI document describes every admin route with its 401 and 403 answers', async () => {
    const res = await s.client().get('/api/v1/openapi.json');
    assert.equal(res.status, 200);
    const paths = res.body.paths as Record<string, Record<string, { responses?: object; summary?: string }>>;
    const missing: string[] = [];
    for (const route of adminRoutes) {
      if (route.method === 'HEAD') continue; // implied by GET
      const op = paths[openApiPath(route.url)]?.[route.method.toLowerCase()];
      if (!op) {
        missing.push(`${route.method} ${route.url}: not documented`);
        continue;
      }
      if (!op.summary) missing.push(`${route.method} ${route.url}: no summary`);
      for (const status of ['401', '403']) {
        if (!(status in (op.responses ?? {}))) missing.push(`${route.method} ${route.url}: no ${status}`);
      }
    }
    assert.deepEqual(missing, []);
  });
});

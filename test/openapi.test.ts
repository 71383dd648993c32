// R-OPS-02: the OpenAPI document is valid, and it tells the truth: every answer a representative
// run of requests gets (every route as every kind of caller, good and bad input, the main
// journeys) has its status and media type documented for the operation it reached.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { startServer, strongPassword, type Client } from './harness.ts';
import { actAs } from './impersonation-helpers.ts';
import { concretePath, unknownId } from './routes.ts';
import { Contract, ContractRecorder, type OpenApiDocument } from './openapi-contract.ts';
import { edgeProblemStatuses, type RouteShape } from '../src/http/openapi.ts';

/** Every answer any client of this server got, checked against the document at the end. */
const answers: Array<{ method: string; path: string; status: number; type: string | null }> = [];
const s = await startServer(
  {},
  {
    onAnswer: (method, path, reply) =>
      answers.push({ method, path, status: reply.status, type: reply.headers.get('content-type') }),
  },
);
const doc = (await s.client().get('/api/v1/openapi.json')).body as OpenApiDocument;

type Op = { responses: Record<string, any>; parameters?: any[]; requestBody?: any; summary?: string };
const operations: Array<{ method: string; path: string; op: Op }> = Object.entries(doc.paths).flatMap(
  ([path, ops]) => Object.entries(ops).map(([method, op]) => ({ method, path, op: op })),
);

/** Resolves a local JSON pointer (`#/components/schemas/User`) in the document. */
function resolve(ref: string): unknown {
  if (!ref.startsWith('#/')) return undefined;
  let at: any = doc;
  for (const part of ref.slice(2).split('/')) {
    at = at?.[part.replaceAll('~1', '/').replaceAll('~0', '~')];
  }
  return at;
}

/** Every schema object in the document, with where it is. */
function schemasOf(): Array<[string, unknown]> {
  const out: Array<[string, unknown]> = Object.entries(doc.components.schemas).map(([n, v]) => [n, v]);
  for (const { method, path, op } of operations) {
    for (const p of op.parameters ?? []) out.push([`${method} ${path} ${p.in} ${p.name}`, p.schema]);
    for (const [type, media] of Object.entries<any>(op.requestBody?.content ?? {})) {
      out.push([`${method} ${path} body ${type}`, media.schema]);
    }
    for (const [status, response] of Object.entries<any>(op.responses)) {
      for (const [type, media] of Object.entries<any>(response.content ?? {})) {
        out.push([`${method} ${path} ${status} ${type}`, media.schema]);
      }
    }
  }
  return out;
}

describe('the OpenAPI document (R-OPS-02)', () => {
  after(() => s.close());

  it('R-OPS-02: is OpenAPI 3.1 whose references all resolve and whose schemas are valid JSON Schema 2020-12', () => {
    assert.equal(doc.openapi, '3.1.0');
    assert.ok(operations.length >= 70, `${operations.length} operations`);
    const dangling = new Set<string>();
    JSON.stringify(doc, (key, value: unknown) => {
      if (key === '$ref' && resolve(value as string) === undefined) dangling.add(value as string);
      return value;
    });
    assert.deepEqual([...dangling], [], 'every $ref resolves');

    const ajv = new Ajv2020({ strict: false, validateFormats: false });
    ajv.addSchema({ $id: 'doc', components: doc.components }, undefined, undefined, false);
    for (const [where, schema] of schemasOf()) {
      assert.ok(ajv.validateSchema(schema as object), `${where}: ${ajv.errorsText(ajv.errors)}`);
      // Compiling resolves every reference inside the schema against the document.
      const rebased = JSON.parse(JSON.stringify(schema).replaceAll('"#/components/', '"doc#/components/'));
      assert.doesNotThrow(() => ajv.compile(rebased as object), where);
    }
  });

  it('R-OPS-02: every operation has a summary, its path parameters, and described answers of known media types', () => {
    const problems: string[] = [];
    for (const { method, path, op } of operations) {
      const name = `${method.toUpperCase()} ${path}`;
      if (!op.summary) problems.push(`${name}: no summary`);
      const inPath = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]).sort();
      const declared = (op.parameters ?? []).filter((p) => p.in === 'path');
      assert.deepEqual(declared.map((p) => p.name).sort(), inPath, `${name}: path parameters`);
      for (const p of declared) assert.equal(p.required, true, `${name}: ${p.name} is required`);
      const statuses = Object.keys(op.responses);
      if (statuses.length === 0) problems.push(`${name}: no responses`);
      for (const [status, response] of Object.entries<any>(op.responses)) {
        if (!/^[1-5](\d\d|XX)$/.test(status)) problems.push(`${name}: status ${status}`);
        if (typeof response.description !== 'string') problems.push(`${name} ${status}: no description`);
        const types = Object.keys(response.content ?? {});
        if (Number(status) >= 400) {
          // RFC 9457: error answers are problem documents, and are documented as such.
          if (types.join() !== 'application/problem+json')
            problems.push(`${name} ${status}: ${types.join()}`);
          else if (
            response.content['application/problem+json'].schema?.$ref !== '#/components/schemas/Problem'
          )
            problems.push(`${name} ${status}: not the Problem schema`);
        } else {
          for (const t of types) if (t !== 'application/json') problems.push(`${name} ${status}: ${t}`);
        }
      }
      // What the edge answers for every route of a shape (src/http/openapi.ts) is there.
      if (method !== 'get' && !statuses.includes('403')) problems.push(`${name}: no 403 (CSRF)`);
      if (method !== 'get' && !statuses.includes('415')) problems.push(`${name}: no 415`);
      if (path.startsWith('/api/v1/admin/') && !statuses.includes('401')) problems.push(`${name}: no 401`);
      if (!statuses.includes('400')) problems.push(`${name}: no 400 (query encoding)`);
    }
    assert.deepEqual(problems, []);
  });

  it('issue 7 #20: the statuses the edge adds follow from the route (method, path, schemas, config)', () => {
    const shape = (over: Partial<RouteShape>): RouteShape => ({
      method: 'GET',
      url: '/healthz',
      hasBody: false,
      hasQuery: false,
      capability: undefined,
      rateLimited: false,
      ...over,
    });
    // 400 everywhere: the query string's encoding is checked on every route (issue 7 #19).
    const table: Array<[Partial<RouteShape>, number[]]> = [
      [{}, [400]],
      [{ url: '/api/v1/session' }, [400]],
      [{ url: '/api/v1/account/profile' }, [400, 401]],
      [{ url: '/api/v1/admin/users', hasQuery: true }, [400, 401, 403, 422]],
      [{ url: '/api/v1/admin/users/:id' }, [400, 401, 403, 404, 422]],
      [{ method: 'POST', url: '/api/v1/auth/login', hasBody: true }, [400, 403, 413, 415, 422]],
      [
        { method: 'POST', url: '/api/v1/auth/login', hasBody: true, rateLimited: true },
        [400, 403, 413, 415, 422, 429],
      ],
      [{ method: 'DELETE', url: '/api/v1/impersonation' }, [400, 403, 413, 415]],
      [
        { method: 'PUT', url: '/api/v1/account/password', capability: 'password.change' },
        [400, 401, 403, 413, 415],
      ],
    ];
    for (const [over, expected] of table) {
      assert.deepEqual(edgeProblemStatuses(shape(over)), expected, JSON.stringify(over));
    }
  });

  it('issue 7 #20: every answer of a representative run is documented for its operation, status and media type', async () => {
    const routes = s.app.routeIndex
      .list()
      .filter((r) => r.method !== 'HEAD' && (r.url.startsWith('/api/v1/') || r.url.endsWith('z')))
      .filter((r) => r.url !== '/api/v1/auth/logout' && r.url !== '/api/v1/openapi.json');
    const plain = await s.signedInWith([]);
    const send = (
      c: Client,
      method: string,
      path: string,
      body?: unknown,
      headers?: Record<string, string>,
    ) => c.request(method, path, method === 'GET' ? undefined : body, headers);
    const deep = '['.repeat(100) + ']'.repeat(100);

    // Every route as every kind of caller, with the bad input the edge refuses.
    for (const r of routes) {
      const path = concretePath(r.url);
      const unsafe = r.method !== 'GET';
      await send(s.client(), r.method, path, {});
      await send(plain.client, r.method, path, {});
      await send(s.admin, r.method, path);
      await send(s.admin, r.method, path, {});
      await send(s.admin, r.method, `${path}?limit=-1&cursor=!!`, {});
      await send(s.client(), r.method, `${path}?%zz=1`, {});
      if (r.url.includes(':')) {
        await send(s.admin, r.method, concretePath(r.url, 'not-an-id'), {});
        await send(s.admin, r.method, concretePath(r.url, '%00'), {});
        await send(s.admin, r.method, concretePath(r.url, '%E0%A4%A'), {});
      }
      if (unsafe) {
        await send(s.admin, r.method, path, {}, { origin: 'https://evil.example' });
        await send(s.admin, r.method, path, '{"a":', {});
        await send(s.admin, r.method, path, deep);
        await send(s.admin, r.method, path, 'a=b', { 'content-type': 'text/plain' });
        await send(s.admin, r.method, path, { a: 'x'.repeat(70_000) });
        await send(s.admin, r.method, path, {}, { 'if-match': '"nope"' });
      }
    }

    // The main journeys, for the success answers.
    const admin = s.admin;
    const user = await s.createUser({ password: strongPassword });
    const read = await admin.get(`/api/v1/admin/users/${user.id}`);
    const etag = read.headers.get('etag')!;
    await admin.patch(`/api/v1/admin/users/${user.id}`, { firstName: 'Ada' }, { 'if-match': etag });
    await admin.patch(`/api/v1/admin/users/${user.id}`, { firstName: 'Eve' }, { 'if-match': etag });
    await admin.put(`/api/v1/admin/users/${user.id}/permissions`, { general: ['help'], system: [] });
    await admin.post(`/api/v1/admin/users/${user.id}/password/generate`);
    await admin.put(`/api/v1/admin/users/${user.id}/password`, { password: strongPassword });
    await admin.put(`/api/v1/admin/users/${user.id}/two-factor`, { method: 'email' });
    await admin.put(`/api/v1/admin/users/${user.id}/two-factor`, { method: 'none' });
    await admin.delete(`/api/v1/admin/users/${user.id}/login-attempts`);
    const added = await admin.post(`/api/v1/admin/users/${user.id}/emails`, {
      address: 'second@example.test',
    });
    const second = added.body?.emails?.find((e: any) => e.address === 'second@example.test');
    if (second) {
      await admin.post(`/api/v1/admin/users/${user.id}/emails/${second.id}/verify`);
      await admin.post(`/api/v1/admin/users/${user.id}/emails/${second.id}/primary`);
      await admin.delete(`/api/v1/admin/users/${user.id}/emails/${second.id}`);
    }
    await admin.get(`/api/v1/admin/users?q=Ada&limit=5`);
    await admin.get(`/api/v1/admin/users/${user.id}/power-user-resources`);
    const group = await admin.post('/api/v1/admin/groups', { name: 'Kurs A' });
    await admin.get('/api/v1/admin/groups');
    await admin.get(`/api/v1/admin/groups/${group.body.id}`);
    await admin.patch(`/api/v1/admin/groups/${group.body.id}`, { name: 'Kurs B' });
    await admin.get(`/api/v1/admin/groups/${group.body.id}/members`);
    await admin.put(`/api/v1/admin/groups/${group.body.id}/members`, { users: [user.id] });
    await admin.post('/api/v1/admin/groups', { name: 'Kurs B' });
    await admin.delete(`/api/v1/admin/groups/${group.body.id}`);
    const domain = await admin.post('/api/v1/admin/domains', { name: 'Nord', hostName: 'nord.example.test' });
    await admin.get('/api/v1/admin/domains');
    await admin.get(`/api/v1/admin/domains/${domain.body.id}`);
    await admin.patch(`/api/v1/admin/domains/${domain.body.id}`, { name: 'Nord 2' });
    await admin.delete(`/api/v1/admin/domains/${domain.body.id}`);
    const policy = await admin.post('/api/v1/admin/policies', { kind: 'terms', title: 'AGB' });
    await admin.get('/api/v1/admin/policies');
    const version = await admin.post(`/api/v1/admin/policies/${policy.body.id}/versions`, {
      body: 'Text',
      publish: false,
    });
    const versionId = version.body?.versions?.at(-1)?.id ?? version.body?.id ?? unknownId;
    await admin.post(`/api/v1/admin/policies/${policy.body.id}/versions/${versionId}/publish`);
    await admin.post(`/api/v1/admin/policies/${policy.body.id}/archive`);
    const settings = await admin.get('/api/v1/admin/settings');
    await admin.patch('/api/v1/admin/settings', {}, { 'if-match': settings.headers.get('etag') ?? '*' });
    const templates = await admin.get('/api/v1/admin/notification-templates');
    const t = templates.body?.items?.[0];
    if (t) {
      const tPath = `/api/v1/admin/notification-templates/${t.type}/${t.language}`;
      await admin.get(tPath);
      await admin.post(`${tPath}/preview`, {});
      await admin.put(tPath, { subject: t.subject, body: t.body, enabled: t.enabled });
    }
    await admin.get('/api/v1/admin/outbox');
    await admin.get('/api/v1/admin/audit-events?limit=5');
    await admin.get('/api/v1/admin/audit-events/verify');
    await admin.get(`/api/v1/admin/users/${user.id}/impersonation/preview`);
    const started = await actAs(admin, user.id);
    await admin.get('/api/v1/session');
    await admin.delete('/api/v1/impersonation');
    await admin.delete('/api/v1/impersonation');
    await admin.get(started.handoffUrl);
    await admin.get('/api/v1/admin/impersonations');
    await s.client().post(`/api/v1/admin/users/${user.id}/impersonation`, {});

    const { client: c, user: self } = await s.signedInWith([]);
    await s.client().login(self.primaryEmail, 'wrong password');
    await c.get('/api/v1/session');
    await c.get('/api/v1/account/profile');
    await c.patch('/api/v1/account/profile', { firstName: 'Grace' });
    await c.put('/api/v1/account/preferences/table.columns', { value: ['name'] });
    await c.get('/api/v1/account/preferences');
    await c.delete('/api/v1/account/preferences/table.columns');
    await c.get('/api/v1/account/sessions');
    await c.get('/api/v1/account/notifications');
    await c.get('/api/v1/account/terms');
    const own = await c.post('/api/v1/account/emails', { address: 'own@example.test' });
    const ownId = own.body?.emails?.find((e: any) => e.address === 'own@example.test')?.id ?? unknownId;
    await c.post(`/api/v1/account/emails/${ownId}/verification`);
    await c.post(`/api/v1/account/emails/${ownId}/verify`, { code: '000000' });
    await c.put(`/api/v1/account/emails/${ownId}/primary`);
    await c.delete(`/api/v1/account/emails/${ownId}`);
    await c.put('/api/v1/account/password', { currentPassword: 'wrong', newPassword: strongPassword });
    await c.post('/api/v1/account/two-factor/totp');
    await c.post('/api/v1/account/two-factor/totp/confirm', { code: '000000' });
    await c.delete('/api/v1/account/sessions');
    await c.post('/api/v1/auth/logout');
    await c.post('/api/v1/auth/logout');
    await s.client().post('/api/v1/auth/login/second-factor', { code: '000000' });
    await admin.delete(`/api/v1/admin/users/${user.id}?confirm=${encodeURIComponent(user.primaryEmail)}`);

    const recorder = new ContractRecorder(new Contract(doc));
    for (const a of answers) recorder.record(a.method, a.path, a.status, a.type);
    const succeeded = new Set(
      [...recorder.seen].filter((k) => /\s[23]\d\d$/.test(k)).map((k) => k.split(' ')[0]),
    );
    assert.ok(recorder.seen.size > 500, `${recorder.seen.size} distinct answers seen`);
    assert.ok(succeeded.size >= 3, 'successes of several methods were seen');
    assert.deepEqual([...recorder.violations].sort(), []);
  });
});

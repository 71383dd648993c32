// Issue 13: the warm session check is answered before Fastify (session-check-fast-path.ts).
// These tests prove it answers exactly what the route answers, that it answers only the warm,
// plain case, and that everything else (timeouts, touches, rotations, policies, other methods,
// query strings, impersonation) still takes the route and its rules.
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { startServer, strongPassword, type Client, type Reply, type TestServer } from '../../test/harness.ts';
import { actAs } from '../../test/impersonation-helpers.ts';

const path = '/api/v1/session';

/** Headers whose value differs from answer to answer by design. */
const perAnswer = new Set(['date', 'x-request-id', 'keep-alive']);

function headerSet(reply: Reply): Array<[string, string]> {
  return [...reply.headers].filter(([name]) => !perAnswer.has(name)).sort(([a], [b]) => a.localeCompare(b));
}

describe('issue 13: the warm session check fast path', () => {
  let s: TestServer;
  let resolves = 0;
  let restore: () => void;
  before(async () => {
    s = await startServer();
    // Counts the route's path: resolve runs for every session check Fastify answers, never for
    // one the fast path answers.
    const sessions = s.services.sessions;
    const original = sessions.resolve.bind(sessions);
    sessions.resolve = (token) => {
      resolves++;
      return original(token);
    };
    restore = () => {
      sessions.resolve = original;
    };
  });
  after(async () => {
    restore();
    await s.close();
  });
  beforeEach(() => {
    resolves = 0;
  });
  afterEach(async () => {
    for (const p of (await s.admin.get('/api/v1/admin/policies')).body.items) {
      if (p.inForce) await s.admin.post(`/api/v1/admin/policies/${p.id}/archive`);
    }
  });

  async function signedInUser(): Promise<{ client: Client; user: { id: string } }> {
    const user = await s.createUser({ password: strongPassword });
    const client = s.client();
    assert.equal((await client.login(user.primaryEmail, strongPassword)).status, 200);
    return { client, user };
  }

  it('answers a cold and a warm check itself, with the same status, headers and body as the route', async () => {
    const { client } = await signedInUser();
    // A login does not cache its session: the first check reads it into the cache, on the fast
    // path too. `?acting=false` always takes the route.
    resolves = 0;
    const first = await client.get(path);
    assert.equal(resolves, 0, 'the cold check did not reach the route');
    const viaRoute = await client.get(`${path}?acting=false`);
    assert.equal(resolves, 1);
    const fast = await client.get(path);
    assert.equal(resolves, 1, 'the warm check did not reach the route');
    for (const reply of [first, viaRoute]) {
      assert.equal(fast.status, reply.status);
      assert.deepEqual(fast.body, reply.body);
      assert.deepEqual(headerSet(fast), headerSet(reply));
    }
    assert.match(fast.headers.get('x-request-id') ?? '', /^[0-9a-f-]{36}$/);
    assert.notEqual(fast.headers.get('x-request-id'), viaRoute.headers.get('x-request-id'));
  });

  it('sends the same bytes as the route', async () => {
    const { client } = await signedInUser();
    await client.get(path);
    const raw = async (query: string) => {
      const res = await fetch(`${s.url}${path}${query}`, { headers: { cookie: client.cookieHeader } });
      return res.text();
    };
    const before = resolves;
    const fast = await raw('');
    assert.equal(resolves, before);
    assert.equal(fast, await raw('?acting=false'));
  });

  it('leaves to the route: a session idle past the timeout (401, ended), and a check due to be recorded', async () => {
    const { client } = await signedInUser();
    await client.get(path);
    resolves = 1;
    // 61 s later last_seen_at is due: the route writes it, then the fast path answers again.
    s.clock.advance(61_000);
    assert.equal((await client.get(path)).status, 200);
    assert.equal(resolves, 2);
    assert.equal((await client.get(path)).status, 200);
    assert.equal(resolves, 2);
    // Past the idle timeout (60 minutes by default) the route ends the session.
    s.clock.advance(61 * 60_000);
    assert.equal((await client.get(path)).status, 401);
    assert.equal(resolves, 3);
    s.clock.advance(-61 * 60_000 - 61_000);
    assert.equal((await client.get(path)).status, 401, 'ended, not merely refused');
  });

  it('leaves to the route: a cold session that is past its idle timeout (401, ended)', async () => {
    const { client } = await signedInUser();
    const cookie = client.cookieHeader;
    s.clock.advance(61 * 60_000);
    resolves = 0;
    assert.equal((await client.get(path)).status, 401);
    assert.equal(resolves, 1, 'read into the cache, then decided by the route');
    s.clock.advance(-61 * 60_000);
    assert.equal((await s.client().get(path, { cookie })).status, 401, 'ended, not merely refused');
  });

  it('leaves to the route: the first check after a privilege change, which rotates the token', async () => {
    const { client, user } = await signedInUser();
    await client.get(path);
    const oldCookie = client.cookieHeader;
    const changed = await s.admin.put(`/api/v1/admin/users/${user.id}/permissions`, {
      general: [],
      system: ['users.read'],
    });
    assert.equal(changed.status, 200, JSON.stringify(changed.body));
    const rotated = await client.get(path);
    assert.equal(rotated.status, 200);
    assert.ok(
      rotated.headers.getSetCookie().some((c) => c.startsWith('behalf_session=')),
      'a new token',
    );
    assert.notEqual(client.cookieHeader, oldCookie);
    assert.deepEqual(rotated.body.permissions.system, ['users.read']);
    assert.equal((await client.get(path)).body.permissions.system[0], 'users.read');
  });

  it('leaves to the route: a user with a policy to accept gets it listed', async () => {
    const { client } = await signedInUser();
    await client.get(path);
    const p = await s.admin.post('/api/v1/admin/policies', { kind: 'terms', title: 'Terms' });
    assert.equal(p.status, 201, JSON.stringify(p.body));
    const v = await s.admin.post(`/api/v1/admin/policies/${p.body.id}/versions`, {
      body: 'Terms, version 1',
      publish: true,
    });
    assert.equal(v.status, 201, JSON.stringify(v.body));
    const before = resolves;
    const res = await client.get(path);
    assert.equal(res.body.pendingTerms.length, 1);
    assert.equal(resolves, before + 1);
  });

  it('leaves to the route: other methods, other spellings of the path, and no cookie', async () => {
    const { client } = await signedInUser();
    await client.get(path);
    const before = resolves;
    const head = await new Promise<number>((resolve, reject) => {
      const url = new URL(s.url + path);
      request({
        method: 'HEAD',
        host: url.hostname,
        port: url.port,
        path,
        headers: { cookie: client.cookieHeader },
      })
        .on('response', (res) => {
          res.resume();
          resolve(res.statusCode!);
        })
        .on('error', reject)
        .end();
    });
    assert.equal(head, 200);
    assert.equal((await client.get(`${path}/`)).status, 200);
    assert.equal((await client.post(path, {})).status, 405);
    assert.equal(resolves, before + 3);
    assert.equal((await s.client().get(path)).status, 401);
  });

  it('never answers for an impersonation session, and a signed-out session is gone at once', async () => {
    const { client: user } = await signedInUser();
    const subject = await s.createUser();
    // The superadmin acts; its own warm session is suspended meanwhile (R-IMP-06).
    const admin = s.admin;
    await admin.get(path);
    await actAs(admin, subject.id);
    const before = resolves;
    const acting = await admin.get(path);
    assert.equal(acting.body.user.id, subject.id);
    assert.ok(acting.body.impersonation);
    assert.equal(resolves, before + 1);
    assert.equal((await admin.delete('/api/v1/impersonation')).status, 200);
    assert.equal((await admin.get(path)).body.impersonation, null);

    assert.equal((await user.get(path)).status, 200);
    const cookie = user.cookieHeader;
    assert.equal((await user.post('/api/v1/auth/logout')).status, 204);
    assert.equal((await s.client().get(path, { cookie })).status, 401, 'the warm entry is gone');
  });

  it('hands a request it fails on to the route, which answers it; the server keeps serving', async () => {
    const { client } = await signedInUser();
    await client.get(path);
    const sessions = s.services.sessions;
    const original = sessions.resolveWarm.bind(sessions);
    sessions.resolveWarm = () => {
      throw new Error('a fault in the fast path');
    };
    try {
      resolves = 0;
      const res = await client.get(path);
      assert.equal(res.status, 200);
      assert.equal(resolves, 1, 'the route answered');
    } finally {
      sessions.resolveWarm = original;
    }
    assert.equal((await client.get(path)).status, 200);
  });

  it('answers many first checks at once, each with its own session; a revoked, an idle-expired or an unknown one is refused', async () => {
    // First checks that arrive together are read in one query (sessions/cold-reads.ts): each
    // must still get its own user, and the rules must still refuse what they refused one by one.
    const sessions = s.services.sessions;
    const meta = { ip: '127.0.0.1', userAgent: 'test' };
    const users = await Promise.all(Array.from({ length: 14 }, () => s.createUser()));
    const [idleUser, revokedUser] = users.splice(0, 2);
    const revoked = await sessions.create(revokedUser.id, meta);
    await sessions.end(revoked.sessionId);
    const idle = await sessions.create(idleUser.id, meta);
    s.clock.advance(61 * 60_000);
    const valid = await Promise.all(users.map((u) => sessions.create(u.id, meta)));
    const unknown = 'A'.repeat(43);
    const hashed = { count: 0 };
    const original = sessions.tokenHashOf.bind(sessions);
    sessions.tokenHashOf = (token) => {
      hashed.count++;
      return original(token);
    };
    try {
      resolves = 0;
      const check = (token: string) => s.client().get(path, { cookie: `behalf_session=${token}` });
      const replies = await Promise.all(
        [...valid, idle, revoked].map((x) => check(x.token)).concat(check(unknown)),
      );
      assert.deepEqual(
        replies.slice(0, valid.length).map((r) => [r.status, r.body.user?.id]),
        users.map((u) => [200, u.id]),
      );
      assert.deepEqual(
        replies.slice(valid.length).map((r) => r.status),
        [401, 401, 401],
      );
      assert.equal(resolves, 3, "the refusals are the route's, with its rules");
      assert.equal(hashed.count, replies.length, 'one hash per request on the fast path');
    } finally {
      sessions.tokenHashOf = original;
      s.clock.advance(-61 * 60_000);
    }
    assert.equal(
      (await s.client().get(path, { cookie: `behalf_session=${idle.token}` })).status,
      401,
      'ended',
    );
  });

  it('R-OPS-04: answers many parallel checks alike and counts every one in the metrics', async () => {
    const { client } = await signedInUser();
    await client.get(path);
    const count = async () => {
      const text = (await s.client().get('/metrics')).body as string;
      const line = text
        .split('\n')
        .find(
          (l) =>
            l.startsWith('behalf_http_requests_total{') &&
            l.includes('route="/api/v1/session"') &&
            l.includes('status="200"'),
        );
      return Number(line?.split(' ').at(-1) ?? 0);
    };
    const before = await count();
    const beforeResolves = resolves;
    const replies = await Promise.all(Array.from({ length: 64 }, () => client.get(path)));
    assert.ok(replies.every((r) => r.status === 200));
    assert.equal(new Set(replies.map((r) => JSON.stringify(r.body))).size, 1);
    assert.equal(new Set(replies.map((r) => r.headers.get('x-request-id'))).size, 64);
    assert.equal(resolves, beforeResolves, 'all 64 by the fast path');
    assert.equal((await count()) - before, 64);
  });
});

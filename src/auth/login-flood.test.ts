import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import {
  adminEmail,
  adminPassword,
  startServer,
  strongPassword,
  type Reply,
  type TestServer,
} from '../../test/harness.ts';
import type { HashTicket } from '../credentials/password-hasher.ts';

// Issue 13: logins beyond the hash queue are refused before their body is read (a flood's
// refusals must not hold up the event loop the other requests need). The answer is the one
// the queue's own refusal gives: these tests hold the queue full through the public hasher
// (a held place is what an admitted login takes), so every refusal is deterministic.

/** Takes every place of the queue; the returned function gives them back. */
function fillQueue(s: TestServer): () => void {
  const tickets: HashTicket[] = [];
  for (;;) {
    try {
      tickets.push(s.services.hasher.admit());
    } catch {
      return () => tickets.forEach((t) => t.release());
    }
  }
}

/** A login sent from a loopback address of its own, with a raw body (the harness sends JSON). */
function rawLogin(s: TestServer, body: string, from = '127.0.0.1'): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${s.url}/api/v1/auth/login`,
      {
        method: 'POST',
        localAddress: from,
        agent: false,
        headers: { 'content-type': 'application/json', origin: s.url },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => {
          const headers = new Headers();
          for (const [k, v] of Object.entries(res.headers)) if (typeof v === 'string') headers.set(k, v);
          resolve({ status: res.statusCode ?? 0, headers, body: text ? JSON.parse(text) : null });
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const refusal = (r: Reply) => r.status === 429 && r.body?.code === 'too_many_requests';

describe('logins beyond the hash queue (issue 13)', () => {
  let s: TestServer;
  before(async () => {
    s = await startServer({
      HASH_CONCURRENCY: '1',
      HASH_QUEUE_LIMIT: '2',
      LOGIN_LIMIT_PER_ADDRESS: '6',
      LOGIN_LIMIT_PER_ACCOUNT: '3',
      LOGIN_LIMIT_WINDOW_SECONDS: '60',
    });
  });
  after(() => s.close());

  it('issue 13: a full queue refuses with the same 429 problem, Retry-After and headers as any answer of the route', async () => {
    const wrong = await s.client().login('nobody@example.test', 'not the password');
    assert.equal(wrong.status, 401);
    const release = fillQueue(s);
    try {
      const r = await s.client().login(adminEmail, adminPassword);
      assert.equal(r.status, 429);
      assert.equal(r.headers.get('retry-after'), '1');
      assert.equal(r.headers.get('content-type'), 'application/problem+json; charset=utf-8');
      assert.deepEqual(r.body, {
        type: '/docs/errors#too_many_requests',
        title: 'Too Many Requests',
        status: 429,
        code: 'too_many_requests',
        detail: 'Too many logins at once; try again in a moment.',
        instance: '/api/v1/auth/login',
        requestId: r.headers.get('x-request-id'),
      });
      // Every header the route's other answers carry (security headers, request id), no fewer.
      const names = (h: Headers) => [...h.keys()].filter((k) => k !== 'retry-after').sort();
      assert.deepEqual(names(r.headers), names(wrong.headers));
    } finally {
      release();
    }
    s.clock.advance(61_000);
    assert.equal((await s.client().login(adminEmail, adminPassword)).status, 200, 'once the queue has room');
  });

  it("issue 13: a refused login counts against its address's admission as before, and not against the account", async () => {
    s.clock.advance(61_000);
    const email = 'counted@example.test';
    await s.createUser({ email, password: strongPassword });
    const release = fillQueue(s);
    try {
      // Five refusals of one account from one address: within the address's 6, over the account's 3.
      for (let i = 0; i < 5; i++) {
        const r = await rawLogin(s, JSON.stringify({ login: email, password: 'wrong' }), '127.0.9.1');
        assert.ok(refusal(r), `refusal ${i}: ${r.status} ${JSON.stringify(r.body)}`);
      }
      const sixth = await rawLogin(s, JSON.stringify({ login: email, password: 'wrong' }), '127.0.9.1');
      assert.ok(refusal(sixth), `the sixth is the address's last: ${JSON.stringify(sixth.body)}`);
      const seventh = await rawLogin(s, JSON.stringify({ login: email, password: 'wrong' }), '127.0.9.1');
      assert.equal(seventh.status, 429);
      assert.equal(seventh.body.code, 'rate_limited');
      assert.equal(seventh.body.scope, 'address');
    } finally {
      release();
    }
    // The refusals hashed nothing: the account's own attempts are all still there.
    const ok = await rawLogin(s, JSON.stringify({ login: email, password: strongPassword }), '127.0.9.2');
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
  });

  it('issue 13: a cross-site login is refused by the CSRF guard first, even with the queue full', async () => {
    const release = fillQueue(s);
    try {
      const r = await s
        .client()
        .post(
          '/api/v1/auth/login',
          { login: adminEmail, password: adminPassword },
          { origin: 'https://evil.example' },
        );
      assert.equal(r.status, 403);
      assert.equal(r.body.code, 'csrf_rejected');
    } finally {
      release();
    }
  });

  it('issue 13: many parallel logins at a full queue get 200, 401 or 429 and nothing else, and the queue comes back empty', async () => {
    s.clock.advance(61_000);
    const users: string[] = [];
    for (let i = 0; i < 4; i++) {
      users.push(`parallel${i}@example.test`);
      await s.createUser({ email: users[i], password: strongPassword });
    }
    const answers = await Promise.all(
      Array.from({ length: 120 }, (_, i) => {
        const u = users[i % users.length]!;
        const right = i % 3 === 0;
        const body = JSON.stringify({ login: u, password: right ? strongPassword : 'wrong guess' });
        // Each from an address of its own, so that the address limit stays out of the way.
        return rawLogin(s, body, `127.0.${10 + Math.floor(i / 200)}.${(i % 200) + 1}`);
      }),
    );
    const statuses = answers.map((a) => a.status);
    assert.deepEqual(
      statuses.filter((x) => x !== 200 && x !== 401 && x !== 429),
      [],
      `only 200, 401 and 429: ${statuses.join(',')}`,
    );
    assert.ok(answers.some(refusal), `the queue refused some: ${statuses.join(',')}`);
    for (const a of answers.filter((x) => x.status === 429)) {
      assert.ok(['too_many_requests', 'rate_limited'].includes(a.body.code), a.body.code);
      assert.ok(a.headers.get('retry-after'), 'every 429 says when to retry');
    }
    const stats = s.services.hasher.stats();
    assert.deepEqual({ running: stats.running, queued: stats.queued }, { running: 0, queued: 0 });
    // No refusal took an admitted login's place: a right password now still signs in.
    s.clock.advance(61_000);
    const after = await rawLogin(
      s,
      JSON.stringify({ login: users[0], password: strongPassword }),
      '127.0.20.1',
    );
    assert.equal(after.status, 200);
  });
});

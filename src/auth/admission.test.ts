import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import {
  adminEmail,
  adminPassword,
  startServer,
  strongPassword,
  type TestServer,
} from '../../test/harness.ts';

// Sign-in admission (issue 7 #11, R-OPS-05): per-address and per-account limits in front of the
// hash queue. Different client addresses are real: each request binds its source address in
// the loopback range (127.0.0.0/8), which the server sees as req.ip.

interface Answer {
  status: number;
  retryAfter: string | null;
  body: { code?: string; scope?: string };
}

function postFrom(from: string, base: string, path: string, body: unknown): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${base}${path}`,
      {
        method: 'POST',
        localAddress: from,
        agent: false,
        headers: { 'content-type': 'application/json', origin: base },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            retryAfter: res.headers['retry-after'] ?? null,
            body: text ? (JSON.parse(text) as Answer['body']) : {},
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

const login = (from: string, s: TestServer, name: string, password: string) =>
  postFrom(from, s.url, '/api/v1/auth/login', { login: name, password });

/** Counts the password checks that reach the hash queue (every login path verifies once). */
function countVerifies(s: TestServer): { readonly count: number } {
  const hasher = s.services.hasher;
  const original = hasher.verify.bind(hasher);
  const counter = { count: 0 };
  hasher.verify = (phc, password) => {
    counter.count++;
    return original(phc, password);
  };
  return counter;
}

const limited = (a: Answer) => a.status === 429 && a.body.code === 'rate_limited';

describe('sign-in admission', () => {
  let s: TestServer;
  before(async () => {
    // The shipped defaults, spelled out: 20 per address, 10 per account, per minute.
    s = await startServer({
      LOGIN_LIMIT_PER_ADDRESS: '20',
      LOGIN_LIMIT_PER_ACCOUNT: '10',
      LOGIN_LIMIT_WINDOW_SECONDS: '60',
    });
  });
  after(() => s.close());

  it("issue 7 #11: a flood at one account from one address leaves other users' logins from other addresses all succeeding (R-OPS-05)", async () => {
    const victim = await s.createUser({ password: strongPassword });
    const others = await Promise.all(
      Array.from({ length: 8 }, () => s.createUser({ password: strongPassword })),
    );
    const flood = Array.from({ length: 400 }, (_, i) =>
      login('127.0.0.2', s, victim.primaryEmail, `wrong-guess-${i}`),
    );
    const good = others.map((u, i) => login(`127.0.1.${i + 1}`, s, u.primaryEmail, strongPassword));
    const [floodAnswers, goodAnswers] = await Promise.all([Promise.all(flood), Promise.all(good)]);
    assert.deepEqual(
      goodAnswers.map((a) => a.status),
      others.map(() => 200),
      'every other user signs in',
    );
    const admitted = floodAnswers.filter((a) => !limited(a));
    assert.ok(admitted.length <= 10, `at most the per-account limit is admitted (${admitted.length})`);
    assert.ok(admitted.every((a) => a.status === 401));
  });

  it('issue 7 #11: a flood from many addresses at one account is limited per account, with Retry-After, before the hash queue (R-OPS-05)', async () => {
    const victim = await s.createUser({ password: strongPassword });
    const verifies = countVerifies(s);
    // 20 addresses, 10 guesses each: no address reaches its own limit.
    const answers = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        login(`127.0.2.${(i % 20) + 1}`, s, victim.primaryEmail.toUpperCase(), `guess-${i}`),
      ),
    );
    const refused = answers.filter(limited);
    assert.equal(answers.length - refused.length, 10, 'exactly the per-account limit is admitted');
    assert.equal(verifies.count, 10, 'refused attempts never reach the hash queue');
    for (const a of refused) {
      assert.equal(a.body.scope, 'account');
      const seconds = Number(a.retryAfter);
      assert.ok(Number.isInteger(seconds) && seconds >= 1 && seconds <= 60, `Retry-After: ${a.retryAfter}`);
    }
    // Another spelling of the same login (case, surrounding spaces) shares its counter.
    const respelled = await login('127.0.2.99', s, ` ${victim.primaryEmail} `, strongPassword);
    assert.equal(respelled.status, 429);
    // After the window (and the lock the wrong guesses caused), the owner signs in again.
    s.clock.advance(60 * 60_000);
    const owner = await login('127.0.2.99', s, victim.primaryEmail, strongPassword);
    assert.equal(owner.status, 200);
    assert.equal((await s.admin.login(adminEmail, adminPassword)).status, 200, 'idle after the hour');
  });

  it('issue 7 #11: one address is limited across accounts, and the second step is limited too (R-OPS-05)', async () => {
    const user = await s.createUser({ password: strongPassword });
    const answers = await Promise.all(
      Array.from({ length: 100 }, (_, i) => login('127.0.3.1', s, `nobody-${i}@example.test`, 'guess')),
    );
    const refused = answers.filter(limited);
    assert.equal(answers.length - refused.length, 20, 'exactly the per-address limit is admitted');
    assert.ok(refused.every((a) => a.body.scope === 'address' && Number(a.retryAfter) >= 1));
    assert.equal((await login('127.0.3.2', s, user.primaryEmail, strongPassword)).status, 200);

    const codes = await Promise.all(
      Array.from({ length: 40 }, () =>
        postFrom('127.0.3.3', s.url, '/api/v1/auth/login/second-factor', { code: '123456' }),
      ),
    );
    assert.equal(codes.filter((a) => !limited(a)).length, 20);
  });

  it("issue 7 #11: a session's checks of its current password are admitted like sign-ins (R-OPS-05)", async () => {
    const user = await s.createUser({ password: strongPassword });
    const c = s.client();
    assert.equal((await c.login(user.primaryEmail, strongPassword)).status, 200);
    const verifies = countVerifies(s);
    const answers = await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        c.put('/api/v1/account/password', {
          currentPassword: `wrong-${i}`,
          newPassword: 'Never-Set-Pass-55',
        }),
      ),
    );
    const refused = answers.filter((a) => a.status === 429 && a.body.code === 'rate_limited');
    assert.equal(answers.length - refused.length, 10, 'the per-account limit, keyed by the signed-in user');
    assert.equal(verifies.count, 10);
    assert.ok(refused.every((a) => Number(a.headers.get('retry-after')) >= 1));
    assert.equal((await c.get('/api/v1/session')).status, 200, 'the session itself is not limited');
  });
});

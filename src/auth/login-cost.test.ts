import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import type { KyselyPlugin } from 'kysely';
import { startServer, strongPassword, type TestServer } from '../../test/harness.ts';

// Issue 7 #13 (R-ADM-05, R-ADM-14): a login that names no account, a wrong password and a
// locked account must cost the same, or timing tells which accounts exist. Checked twice:
// structurally (the same statements in the same order, one hash each), and by the clock with
// the hash taken out (it costs the same by construction and would only drown the signal).

const wrong = 'Wrong-Password-12345';

describe('issue 7 #13: unknown logins cost what wrong passwords cost', () => {
  let s: TestServer;
  before(async () => {
    s = await startServer();
  });
  after(() => s.close());

  /** Records the kinds of statements and transactions the server runs, and its hashes. */
  function recordWork() {
    const database = s.services.database;
    const hasher = s.services.hasher;
    const original = database.db;
    const log: string[] = [];
    const plugin: KyselyPlugin = {
      transformQuery: (args) => {
        log.push(args.node.kind);
        return args.node;
      },
      transformResult: (args) => Promise.resolve(args.result),
    };
    const wrapped = original.withPlugin(plugin);
    const transaction = wrapped.transaction.bind(wrapped);
    wrapped.transaction = () => {
      log.push('transaction');
      return transaction();
    };
    const verify = hasher.verify.bind(hasher);
    hasher.verify = (phc, password) => {
      log.push('hash');
      return verify(phc, password);
    };
    database.db = wrapped;
    return {
      log,
      stop: () => {
        database.db = original;
        delete (hasher as { verify?: unknown }).verify;
      },
    };
  }

  async function workOf(login: string, password: string): Promise<string[]> {
    const work = recordWork();
    try {
      const res = await s.client().login(login, password);
      assert.equal(res.status, 401);
      assert.equal(res.body.code, 'invalid_credentials');
    } finally {
      work.stop();
    }
    return work.log;
  }

  it('issue 7 #13: unknown logins, wrong passwords and locked accounts run the same statements and one hash (R-ADM-14)', async () => {
    const user = await s.createUser({ password: strongPassword, username: 'cost.user' });
    const locked = await s.createUser({ password: strongPassword, username: 'cost.locked' });
    for (let i = 0; i < 5; i++) await s.client().login(locked.primaryEmail, wrong);
    assert.ok((await s.admin.get(`/api/v1/admin/users/${locked.id}`)).body.tags.includes('locked'));
    await workOf('warm-up@example.test', wrong);

    const wrongByEmail = await workOf(user.primaryEmail, wrong);
    assert.equal(wrongByEmail.filter((w) => w === 'hash').length, 1);
    assert.ok(wrongByEmail.includes('UpdateQueryNode'), 'the attempt is reserved with a write');
    const cases: Array<[string, string]> = [
      ['an unknown address', 'nobody@example.test'],
      ['an unknown username', 'nobody.here'],
      ['a wrong password by username', 'cost.user'],
      ['a locked account', locked.primaryEmail],
      ['a locked account by username', 'cost.locked'],
    ];
    for (const [what, login] of cases) {
      assert.deepEqual(await workOf(login, wrong), wrongByEmail, `${what} does what a wrong password does`);
    }
  });

  it('issue 7 #13: unknown logins take as long as wrong passwords (medians of 200 interleaved samples, hash taken out)', async (t) => {
    const user = await s.createUser({ password: strongPassword });
    assert.equal(
      (await s.admin.patch('/api/v1/admin/settings', { lockout: { threshold: 100, durationSeconds: 900 } }))
        .status,
      200,
    );
    // Both paths hash once with the same parameters (see above); without the ~10 ms hash
    // the database work, where they used to differ, is the whole of the measured time.
    const hasher = s.services.hasher;
    await hasher.verifyDummy('warm the stand-in hash');
    hasher.verify = () => Promise.resolve(false);
    const c = s.client();
    const time = async (login: string) => {
      const start = performance.now();
      const res = await c.login(login, wrong);
      const ms = performance.now() - start;
      assert.equal(res.status, 401);
      return ms;
    };
    const samples = { wrong: [] as number[], unknown: [] as number[] };
    try {
      for (let i = 0; i < 240; i++) {
        // Far below the threshold: every wrong password takes the counting path.
        if (i % 50 === 0) await s.admin.delete(`/api/v1/admin/users/${user.id}/login-attempts`);
        const first = i % 2 === 0;
        const a = await time(first ? user.primaryEmail : `nobody${i}@example.test`);
        const b = await time(first ? `nobody${i}@example.test` : user.primaryEmail);
        if (i < 40) continue; // warm-up
        samples.wrong.push(first ? a : b);
        samples.unknown.push(first ? b : a);
      }
    } finally {
      delete (hasher as { verify?: unknown }).verify;
      await s.admin.patch('/api/v1/admin/settings', { lockout: { threshold: 5, durationSeconds: 900 } });
    }
    const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;
    const [w, u] = [median(samples.wrong), median(samples.unknown)];
    t.diagnostic(`median ms: wrong ${w.toFixed(3)}, unknown ${u.toFixed(3)}`);
    // Generous on purpose (a busy 2-core machine): the unfixed code was 60-90% cheaper here.
    assert.ok(
      Math.abs(w - u) / Math.max(w, u) < 0.25,
      `median ms: wrong ${w.toFixed(3)}, unknown ${u.toFixed(3)}`,
    );
  });
});

// issue 7 #8: every audit append happens inside the transaction of its change, serialised on the
// chain. Before, logout appended outside any transaction: on PostgreSQL the chain lock was
// released at once, parallel appends read the same predecessor, and the chain forked (verify
// reported a broken link in 3 of 3 runs). Runs on both engines.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  adminEmail,
  adminPassword,
  startServer,
  strongPassword,
  type Client,
  type Reply,
  type TestServer,
} from '../../test/harness.ts';
import type { Tx } from '../db/database.ts';
import { systemContext } from '../shared/request-context.ts';
import { recordAudit } from './audit.ts';

describe('the audit chain under concurrency', () => {
  let s: TestServer;
  before(async () => {
    s = await startServer();
  });
  after(() => s.close());

  /** How many events of `action` the trail holds, read through the API page by page. */
  async function count(action: string): Promise<number> {
    let n = 0;
    let cursor: string | null = null;
    do {
      const res: Reply = await s.admin.get(
        `/api/v1/admin/audit-events?limit=200&action=${action}${cursor ? `&cursor=${cursor}` : ''}`,
      );
      assert.equal(res.status, 200, JSON.stringify(res.body));
      n += res.body.items.length;
      cursor = res.body.nextCursor;
    } while (cursor);
    return n;
  }

  it('issue 7 #8: an audit append outside a transaction is refused and writes nothing (R-IMP-08)', async () => {
    const { database, clock } = s.services;
    const before = await count('test.outside');
    await assert.rejects(
      // The type demands a transaction (Tx); a cast must not get around it at run time either.
      recordAudit(database.db as unknown as Tx, clock, systemContext('test'), {
        action: 'test.outside',
        target: { type: 'system', id: null, label: null },
      }),
      /only inside a transaction/,
    );
    assert.equal(await count('test.outside'), before);
  });

  it('issue 7 #8: parallel logouts, logins and audited admin writes leave one unbroken chain (R-IMP-08, R-OPS-03)', async () => {
    const rounds = 3;
    const perRound = 16;
    const users = [];
    for (let i = 0; i < perRound; i++) users.push(await s.createUser({ password: strongPassword }));
    const before = {
      login: await count('auth.login'),
      logout: await count('auth.logout'),
      updated: await count('user.updated'),
    };
    let logins = 0;
    let logouts = 0;
    let updates = 0;
    for (let round = 0; round < rounds; round++) {
      // Sessions to end, opened one by one (the hash queue would refuse a burst of logins).
      const signedIn: Client[] = [];
      for (const u of users) {
        const c = s.client();
        assert.equal((await c.login(u.primaryEmail, strongPassword)).status, 200);
        signedIn.push(c);
        logins++;
      }
      // Then at once: every logout, an admin edit of every user, and a few more logins.
      const answers: Array<readonly [string, Reply]> = await Promise.all([
        ...signedIn.map((c) => c.post('/api/v1/auth/logout').then((r) => ['logout', r] as const)),
        ...users.map((u, i) =>
          s.admin
            .patch(`/api/v1/admin/users/${u.id}`, { firstName: `Round${round}-${i}` })
            .then((r) => ['update', r] as const),
        ),
        ...[0, 1, 2, 3].map(() =>
          s
            .client()
            .login(adminEmail, adminPassword)
            .then((r) => ['login', r] as const),
        ),
      ]);
      for (const [kind, r] of answers) {
        if (kind === 'logout') {
          assert.equal(r.status, 204, JSON.stringify(r.body));
          logouts++;
        } else if (kind === 'update') {
          assert.equal(r.status, 200, JSON.stringify(r.body));
          updates++;
        } else if (r.status === 200) {
          logins++;
        } else {
          // A full hash queue refuses before any database work; nothing is written then.
          assert.equal(r.status, 429, JSON.stringify(r.body));
        }
      }
      // Every ended session is gone.
      for (const c of signedIn) assert.equal((await c.get('/api/v1/session')).status, 401);
    }

    const verify = await s.admin.get('/api/v1/admin/audit-events/verify');
    assert.equal(verify.status, 200, JSON.stringify(verify.body));
    assert.equal(verify.body.ok, true, JSON.stringify(verify.body));
    assert.equal(verify.body.firstBroken, null);
    // One event per change, none lost and none doubled.
    assert.equal((await count('auth.logout')) - before.logout, logouts);
    assert.equal((await count('user.updated')) - before.updated, updates);
    assert.equal((await count('auth.login')) - before.login, logins);
  });
});

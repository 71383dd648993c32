// issue 7 #17: inside Database.transaction the outer handle is unreachable. Before, a service
// that read through `database.db` inside a transaction hung SQLite forever (one connection,
// held by the transaction) and on PostgreSQL ran outside the transaction. Runs on both engines.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, strongPassword, type TestServer } from '../../test/harness.ts';
import { actAs, auditEvents } from '../../test/impersonation-helpers.ts';
import { detached, OuterHandleInTransactionError } from './transactions.ts';

/** Fails instead of hanging: a regression to the old deadlock must end the test, not the run. */
function within<T>(ms: number, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`still waiting after ${ms} ms: a deadlock`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

const isOuterHandleError = (e: unknown) => e instanceof OuterHandleInTransactionError;

describe('transactions and the outer database handle', () => {
  let s: TestServer;
  before(async () => {
    s = await startServer();
  });
  after(() => s.close());

  it('issue 7 #17: the outer handle inside a transaction throws a programmer error instead of hanging', async () => {
    const { database } = s.services;
    await assert.rejects(
      within(
        3000,
        database.transaction(async (trx) => {
          // The transaction's own handle works...
          const mine = await trx.selectFrom('users').select('id').limit(1).execute();
          assert.equal(mine.length, 1);
          // ...the outer one refuses at once (it would have waited forever on SQLite).
          await database.db.selectFrom('users').select('id').limit(1).execute();
        }),
      ),
      isOuterHandleError,
    );
    // A transaction inside a transaction is the same mistake.
    await assert.rejects(
      within(
        3000,
        database.transaction(() => database.transaction(() => Promise.resolve())),
      ),
      isOuterHandleError,
    );
    // So is a cache invalidation sent before the commit (another instance could reload the old
    // state and keep it).
    await assert.rejects(
      database.transaction(() => database.broadcast('invalidate', 'settings')),
      isOuterHandleError,
    );
    // After the transaction, the outer handle works again; so does work the transaction left
    // running (a wake-up, a cache refill), once the transaction is over.
    let leftRunning: Promise<unknown> = Promise.resolve();
    await database.transaction(async () => {
      leftRunning = new Promise((resolve) => setImmediate(resolve)).then(() =>
        database.db.selectFrom('users').select('id').limit(1).execute(),
      );
    });
    assert.equal(((await within(3000, leftRunning)) as unknown[]).length, 1);
    assert.equal((await database.db.selectFrom('users').select('id').execute()).length >= 1, true);
  });

  it('issue 7 #17: work a transaction sets going detached (a timer) may use the outer handle while it is open', async () => {
    const { database } = s.services;
    const query = () => database.db.selectFrom('users').select('id').limit(1).execute();
    let fromDetached!: Promise<unknown>;
    let fromInside!: Promise<unknown>;
    await database.transaction(async () => {
      // Both queries are issued while the transaction is still open.
      await new Promise<void>((resolve) =>
        detached(() =>
          setTimeout(() => {
            fromDetached = query();
            resolve();
          }, 0),
        ),
      );
      await new Promise<void>((resolve) =>
        setTimeout(() => {
          fromInside = query();
          resolve();
        }, 0),
      );
      fromInside.catch(() => {}); // observed below, after the transaction
    });
    // The detached query waited for (SQLite) or ran beside (PostgreSQL) the transaction.
    assert.equal(((await within(3000, fromDetached)) as unknown[]).length, 1);
    await assert.rejects(fromInside, isOuterHandleError);
  });

  it('issue 7 #17: notify() inside a transaction with a cold settings cache completes (R-IMP-09)', async () => {
    const { database, notifications } = s.services;
    const subject = await s.createUser();
    await database.broadcast('invalidate', 'settings');
    const result = await within(
      3000,
      database.transaction((trx) =>
        notifications.notify(trx, {
          userId: subject.id,
          type: 'impersonation.started',
          variables: {
            subject: 'Test',
            actor: 'Admin',
            reason: 'Ticket',
            plannedDuration: '30',
            startedAt: new Date(s.clock.now()).toISOString(),
            endedAt: '',
            endReason: '',
          },
        }),
      ),
    );
    assert.notEqual(result.notificationId, null);
  });

  it('issue 7 #17: with the settings cache always cold, impersonation and sign-in flows complete (R-IMP-01, R-IMP-06)', async () => {
    const { settings } = s.services;
    const original = settings.current.bind(settings);
    // Every settings read goes to the database, as after another instance's change: any read
    // through the outer handle inside a transaction now throws (or, before, hung on SQLite).
    settings.current = (db) => {
      settings.forget();
      return original(db);
    };
    try {
      await within(
        20_000,
        (async () => {
          const subject = await s.createUser({ password: strongPassword });
          const actor = s.client();
          assert.equal((await actor.login('sadmin@example.test', 'Correct-Horse-Battery-9')).status, 200);
          const started = await actAs(actor, subject.id);
          assert.equal((await actor.get('/api/v1/session')).body.impersonation.id, started.impersonationId);
          assert.equal((await actor.delete('/api/v1/impersonation')).status, 200);
          // Deactivating the subject ends a running impersonation inside the same transaction,
          // notification included.
          const again = await actAs(actor, subject.id);
          const off = await s.admin.patch(`/api/v1/admin/users/${subject.id}`, { active: false });
          assert.equal(off.status, 200, JSON.stringify(off.body));
          assert.equal((await actor.get('/api/v1/session?acting=true')).status, 401);
          const ended = await auditEvents(s, `action=impersonation.ended&targetId=${subject.id}`);
          assert.deepEqual(
            ended.map((e) => e.impersonationId),
            [again.impersonationId, started.impersonationId],
          );
          assert.equal(
            (await s.admin.patch(`/api/v1/admin/users/${subject.id}`, { active: true })).status,
            200,
          );
          const patched = await s.admin.patch('/api/v1/admin/settings', {
            impersonation: { maxDurationMinutes: 45 },
          });
          assert.equal(patched.status, 200, JSON.stringify(patched.body));
          const user = s.client();
          assert.equal((await user.login(subject.primaryEmail, strongPassword)).status, 200);
          assert.equal((await user.post('/api/v1/auth/logout')).status, 204);
          assert.equal((await actor.post('/api/v1/auth/logout')).status, 204);
        })(),
      );
    } finally {
      settings.current = original;
    }
  });
});

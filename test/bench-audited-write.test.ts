import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { auditKeyEnv, freshDatabase } from './harness.ts';
import { openDatabase, type Database } from '../src/db/database.ts';
import { bulkSeedUsers } from '../bench/bulk-seed.ts';
import { prepareWriteDatabase, verifyWriteChain } from '../bench/lib/write-phase.ts';
import { rawWriteRate, serviceWriteRate, type WriteRate } from '../bench/lib/audited-write.ts';

// Issue 13: the benchmark's raw audited write (the same statements as UsersService.change, on
// the bare driver) must append real audit events: each at the next position, linked to the
// head and MACed, under the lock the service takes. It replayed one recorded position, which
// the chain's unique position refused, so every raw write failed and the share meant nothing.

const admin = { email: 'bench-admin@example.test', password: 'Correct-Horse-Battery-9' };

describe('issue 13: the raw side of the audited write benchmark', () => {
  let fresh: { url: string; drop: () => Promise<void> };
  let database: Database;

  before(async () => {
    fresh = await freshDatabase();
    await bulkSeedUsers(fresh.url, { users: 150 });
    await prepareWriteDatabase(fresh.url, admin, auditKeyEnv);
    database = await openDatabase(fresh.url);
  });
  after(async () => {
    await database.close();
    await fresh.drop();
  });

  const events = async () =>
    Number(
      (
        await database.db
          .selectFrom('audit_events')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  async function checkIntact(expected: number) {
    // What the benchmark checks after its writes: the verifier of `npm run audit:verify`.
    assert.deepEqual(await verifyWriteChain(fresh.url, auditKeyEnv), { ok: true, checked: expected });
  }

  function assertWrote(rate: WriteRate) {
    assert.equal(rate.failures, 0, rate.firstFailure);
    assert.ok(rate.ops > 0);
  }

  it('issue 13: concurrent raw writes all commit, each a chained event, and the chain verifies', async () => {
    const before = await events();
    const raw = await rawWriteRate(fresh.url, database, admin.email, 4, 0.3);
    assertWrote(raw);
    assert.equal(await events(), before + raw.ops);
    await checkIntact(before + raw.ops);
  });

  it("issue 13: raw events link to the service's and the service's to them (raw, service, raw)", async () => {
    const before = await events();
    const first = await rawWriteRate(fresh.url, database, admin.email, 4, 0.2);
    const service = await serviceWriteRate(fresh.url, admin.email, 4, 0.2, auditKeyEnv);
    const last = await rawWriteRate(fresh.url, database, admin.email, 4, 0.2);
    for (const rate of [first, service, last]) assertWrote(rate);
    await checkIntact(before + first.ops + service.ops + last.ops);
  });
});

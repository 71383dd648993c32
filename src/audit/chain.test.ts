import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { spawnSync } from 'node:child_process';
import { startServer, type TestServer } from '../../test/harness.ts';
import { chainHash, checkRun, genesisHash } from './chain.ts';

describe('R-IMP-08: tamper-evident audit trail', () => {
  let s: TestServer;
  before(async () => {
    s = await startServer();
    for (let i = 0; i < 3; i++) await s.createUser();
  });
  after(() => s.close());

  it('R-IMP-08: every event links to the one before it, and the chain verifies', async () => {
    const res = await s.admin.get('/api/v1/admin/audit-events/verify');
    assert.equal(res.status, 200);
    assert.equal(res.body.ok, true);
    assert.ok(res.body.checked >= 4, 'bootstrap, logins and creations are in the chain');
    assert.equal(res.body.firstBroken, null);
  });

  it('R-IMP-08: concurrent audited writes still form one unbroken chain', async () => {
    await Promise.all(Array.from({ length: 12 }, () => s.createUser()));
    const res = await s.admin.get('/api/v1/admin/audit-events/verify');
    assert.equal(res.body.ok, true);
  });

  it('R-IMP-08: a changed event is reported as the first broken link, also by npm run audit:verify', async () => {
    const db = s.services.database.db;
    const victim = await db
      .selectFrom('audit_events')
      .select(['seq', 'id'])
      .where('action', '=', 'user.created')
      .orderBy('seq')
      .limit(1)
      .executeTakeFirstOrThrow();
    await sql`update audit_events set target_label = ${'someone else'} where seq = ${victim.seq}`.execute(db);
    const res = await s.admin.get('/api/v1/admin/audit-events/verify');
    assert.equal(res.body.ok, false);
    assert.deepEqual(res.body.firstBroken, { seq: victim.seq, id: victim.id, reason: 'hash_mismatch' });

    const cli = spawnSync(process.execPath, ['scripts/audit-verify.ts'], {
      env: { ...process.env, DATABASE_URL: s.services.config.databaseUrl },
      encoding: 'utf8',
    });
    assert.equal(cli.status, 1);
    assert.match(cli.stderr, new RegExp(`seq ${victim.seq}`));
  });

  it('R-IMP-08: a deleted event breaks the link of the next one', () => {
    const base = {
      occurred_at: 1,
      request_id: null,
      action: 'a',
      user_id: null,
      user_label: null,
      actor_id: null,
      actor_label: null,
      impersonation_id: null,
      impersonation_reason: null,
      target_type: 'user',
      target_id: null,
      target_label: null,
      changes: null,
      details: null,
      ip: null,
    };
    const rows: any[] = [];
    let prev = genesisHash;
    for (let i = 1; i <= 3; i++) {
      const row = { ...base, seq: i, id: `e${i}` };
      const hash = chainHash(prev, row);
      rows.push({ ...row, prev_hash: prev, hash });
      prev = hash;
    }
    assert.equal(checkRun(genesisHash, rows).broken, null);
    const withoutSecond = [rows[0], rows[2]];
    assert.deepEqual(checkRun(genesisHash, withoutSecond).broken, {
      seq: 3,
      id: 'e3',
      reason: 'link_mismatch',
    });
  });
});

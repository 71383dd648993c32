// Issue 7 #9: a database with events from before migration 0009 (the unkeyed chain) upgrades
// without any old row being rewritten; the old events verify by hash and link, the next event
// continues the chain at the next position, keyed.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { Migrator, sql, type Migration } from 'kysely';
import pg from 'pg';
import { dialect } from '../../test/harness.ts';
import { migrateToLatest, openDatabase, type Database } from '../db/database.ts';
import { migrations } from '../db/migrations/index.ts';
import { chainHash, genesisHash } from './chain.ts';
import { appendAuditEvent } from './audit.store.ts';
import { verifyAuditChain } from './audit.ts';
import { installAuditMacKey, keyIdOf } from './keys.ts';
import { testEventContent } from './test-events.ts';

const pgAdminUrl = process.env.BEHALF_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const cleanups: Array<() => Promise<void>> = [];
after(async () => {
  for (const c of cleanups) await c();
});

async function freshUrl(): Promise<string> {
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'behalf-upgrade-'));
    cleanups.push(() => Promise.resolve(rmSync(dir, { recursive: true, force: true })));
    return `sqlite:${join(dir, 'b.db')}`;
  }
  const name = `behalf_upgrade_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: pgAdminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  cleanups.push(async () => {
    const c = new pg.Client({ connectionString: pgAdminUrl });
    await c.connect();
    await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await c.end();
  });
  const url = new URL(pgAdminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function migrateUpTo(database: Database, last: string): Promise<void> {
  const subset: Record<string, Migration> = {};
  for (const [name, m] of Object.entries(migrations)) {
    if (name > last) break;
    subset[name] = { up: (db) => m.up(db, database.dialect) };
  }
  const migrator = new Migrator({
    db: database.db,
    provider: { getMigrations: () => Promise.resolve(subset) },
  });
  const { error } = await migrator.migrateToLatest();
  if (error) throw new Error('migration failed', { cause: error });
}

const event = (i: number) => testEventContent(`legacy-${i}`, i);

describe('issue 7 #9: upgrading a trail from before keying', () => {
  it('issue 7 #9: R-IMP-08: old events are kept as written and verify as unkeyed; the next event is keyed at the next position', async () => {
    const database = await openDatabase(await freshUrl());
    try {
      await migrateUpTo(database, '0008_account');
      let prev = genesisHash;
      for (let i = 1; i <= 3; i++) {
        const e = event(i);
        const hash = chainHash(prev, e);
        await sql`INSERT INTO audit_events (id, occurred_at, request_id, action, user_id, user_label, actor_id,
          actor_label, impersonation_id, impersonation_reason, target_type, target_id, target_label, changes, details, ip,
          prev_hash, hash) VALUES (${e.id}, ${e.occurred_at}, null, ${e.action}, null, null, ${e.actor_id}, ${e.actor_label},
          null, null, ${e.target_type}, ${e.target_id}, ${e.target_label}, null, null, null, ${prev}, ${hash})`.execute(
          database.db,
        );
        prev = hash;
      }
      const before = await sql<{ hash: string }>`SELECT hash FROM audit_events ORDER BY seq`.execute(
        database.db,
      );
      await migrateToLatest(database);

      const macKey = randomBytes(32);
      installAuditMacKey(macKey);
      const { publicKey } = generateKeyPairSync('ed25519');
      await database.transaction((trx) => appendAuditEvent(trx, event(4)));
      const rows = await database.db.selectFrom('audit_events').selectAll().orderBy('seq').execute();
      assert.deepEqual(
        rows.map((r) => [r.chain_version, r.position, r.mac === null]),
        [
          [1, null, true],
          [1, null, true],
          [1, null, true],
          [2, 4, false],
        ],
      );
      assert.deepEqual(
        rows.slice(0, 3).map((r) => r.hash),
        before.rows.map((r) => r.hash),
        'old rows unchanged',
      );
      const report = await verifyAuditChain(database.db, { macKey, publicKey, keyId: keyIdOf(publicKey) });
      assert.equal(report.ok, true, JSON.stringify(report));
      assert.equal(report.unkeyed, 3);
      assert.equal(report.checked, 4);
    } finally {
      await database.close();
    }
  });
});

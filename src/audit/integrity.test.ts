// Issue 7 #9: truncation, recomputation and deletion of audit events are detected, by the server,
// by `npm run audit:verify` and offline from an export with the public key alone; and the
// database itself refuses UPDATE and DELETE on the trail. Tamper steps drop the guards first,
// as a database administrator could; each such test has its own server.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateKeyPairSync } from 'node:crypto';
import { sql } from 'kysely';
import { auditKeyEnv, dialect, startServer, type TestServer } from '../../test/harness.ts';
import { chainHashV2, signCheckpoint } from './chain.ts';
import { exportAuditTrail, verifyExport } from './export.ts';
import { loadAuditKeys, parsePublicKey, keyIdOf } from './keys.ts';
import { loadConfig } from '../config.ts';
import { AuditIntegrity } from './integrity.ts';

const tmp = mkdtempSync(join(tmpdir(), 'behalf-audit-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

/** What a database administrator can do: switch the append-only triggers off. */
async function dropGuards(s: TestServer): Promise<void> {
  const db = s.services.database.db;
  if (dialect === 'postgres') {
    for (const t of ['audit_events', 'audit_checkpoints'])
      await sql`ALTER TABLE ${sql.id(t)} DISABLE TRIGGER USER`.execute(db);
  } else {
    for (const t of ['audit_events', 'audit_checkpoints'])
      for (const op of ['update', 'delete']) await sql`DROP TRIGGER ${sql.id(`${t}_no_${op}`)}`.execute(db);
  }
}

function cli(script: string, s: TestServer, args: string[] = []) {
  return spawnSync(process.execPath, [`scripts/${script}`, ...args], {
    env: { ...process.env, ...auditKeyEnv, DATABASE_URL: s.services.config.databaseUrl },
    encoding: 'utf8',
  });
}

async function withServer(work: (s: TestServer) => Promise<void>): Promise<void> {
  const s = await startServer();
  try {
    for (let i = 0; i < 3; i++) await s.createUser();
    await work(s);
  } finally {
    await s.close();
  }
}

const verify = async (s: TestServer) => {
  const res = await s.admin.get('/api/v1/admin/audit-events/verify');
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body;
};

describe('issue 7 #9: audit trail integrity', () => {
  it('issue 7 #9: R-IMP-08: UPDATE, DELETE (and TRUNCATE) on the trail and its checkpoints are refused by the database', async () => {
    await withServer(async (s) => {
      assert.equal((await s.admin.post('/api/v1/admin/audit-events/checkpoints', {})).status, 200);
      const db = s.services.database.db;
      const before = await db.selectFrom('audit_events').selectAll().orderBy('seq').execute();
      const attempts = [
        sql`UPDATE audit_events SET target_label = 'x'`,
        sql`DELETE FROM audit_events WHERE seq = ${before.at(-1)!.seq}`,
        sql`UPDATE audit_checkpoints SET position = 1`,
        sql`DELETE FROM audit_checkpoints`,
        ...(dialect === 'postgres' ? [sql`TRUNCATE audit_events`, sql`TRUNCATE audit_checkpoints`] : []),
      ];
      for (const attempt of attempts) {
        await assert.rejects(attempt.execute(db), /append-only/);
      }
      assert.deepEqual(await db.selectFrom('audit_events').selectAll().orderBy('seq').execute(), before);
      assert.equal((await verify(s)).ok, true);
    });
  });

  it('issue 7 #9: R-IMP-08: deleting the last events is reported as truncation after the last checkpoint, also by npm run audit:verify', async () => {
    await withServer(async (s) => {
      const cp = await s.admin.post('/api/v1/admin/audit-events/checkpoints', {});
      assert.equal(cp.status, 200);
      const again = await s.admin.post('/api/v1/admin/audit-events/checkpoints', {});
      assert.deepEqual(again.body, cp.body, 'an unchanged head is not signed twice');
      assert.equal((await verify(s)).ok, true);
      const end = cp.body.position as number;
      await dropGuards(s);
      await sql`DELETE FROM audit_events WHERE position > ${end - 2}`.execute(s.services.database.db);
      const report = await verify(s);
      assert.equal(report.ok, false);
      assert.equal(report.firstBroken, null, 'what is left is a valid chain');
      assert.deepEqual(report.truncated, { checkpointPosition: end, chainEnd: end - 2 });
      const run = cli('audit-verify.ts', s);
      assert.equal(run.status, 1, run.stdout + run.stderr);
      assert.match(run.stderr, new RegExp(`TRUNCATED.*position ${end}, the chain ends at ${end - 2}`));
    });
  });

  it('issue 7 #9: R-IMP-08: an edit with the unkeyed hashes recomputed is reported as a bad MAC', async () => {
    await withServer(async (s) => {
      const db = s.services.database.db;
      const rows = await db.selectFrom('audit_events').selectAll().orderBy('seq').execute();
      const victim = rows.findIndex((r) => r.action === 'user.created');
      await dropGuards(s);
      // The whole chain from the victim on, recomputed as anyone who can read chain.ts can.
      let prev = rows[victim]!.prev_hash;
      for (const row of rows.slice(victim)) {
        const label = row.seq === rows[victim]!.seq ? 'someone else' : row.target_label;
        const hash = chainHashV2(prev, { ...row, target_label: label, position: row.position! });
        await sql`UPDATE audit_events SET target_label = ${label}, prev_hash = ${prev}, hash = ${hash} WHERE seq = ${row.seq}`.execute(
          db,
        );
        prev = hash;
      }
      const report = await verify(s);
      assert.equal(report.ok, false);
      assert.deepEqual(report.firstBroken, {
        seq: rows[victim]!.seq,
        id: rows[victim]!.id,
        position: rows[victim]!.position,
        reason: 'bad_mac',
      });
      const run = cli('audit-verify.ts', s);
      assert.equal(run.status, 1);
      assert.match(run.stderr, new RegExp(`seq ${rows[victim]!.seq} .*bad_mac`));
    });
  });

  it('issue 7 #9: R-IMP-08: an event deleted from the middle is reported as a gap', async () => {
    await withServer(async (s) => {
      const db = s.services.database.db;
      const rows = await db.selectFrom('audit_events').selectAll().orderBy('seq').execute();
      const victim = rows[2]!;
      await dropGuards(s);
      await sql`DELETE FROM audit_events WHERE seq = ${victim.seq}`.execute(db);
      const report = await verify(s);
      assert.equal(report.ok, false);
      assert.deepEqual(report.firstBroken, {
        seq: rows[3]!.seq,
        id: rows[3]!.id,
        position: victim.position! + 1,
        reason: 'gap',
      });
    });
  });

  it('issue 7 #9: R-IMP-08: a forged checkpoint signature is reported', async () => {
    await withServer(async (s) => {
      const cp = (await s.admin.post('/api/v1/admin/audit-events/checkpoints', {})).body;
      const forger = generateKeyPairSync('ed25519').privateKey;
      const forged = signCheckpoint(
        { id: 'forged', position: cp.position, head_hash: cp.headHash, created_at: 1, key_id: cp.keyId },
        forger,
      );
      await s.services.database.db.insertInto('audit_checkpoints').values(forged).execute();
      const report = await verify(s);
      assert.equal(report.ok, false);
      assert.deepEqual(report.badCheckpoint, {
        id: 'forged',
        position: cp.position,
        reason: 'bad_signature',
      });
      assert.equal(report.checkpoints, 1, 'the genuine one still counts');
    });
  });

  it('issue 7 #9: R-IMP-08: an export verifies offline with the public key alone; an edited, cut or reordered one does not', async () => {
    await withServer(async (s) => {
      assert.equal((await s.admin.post('/api/v1/admin/audit-events/checkpoints', {})).status, 200);
      const published = await s.client().get('/api/v1/audit/public-key');
      assert.equal(published.status, 200);
      assert.equal(published.body.algorithm, 'Ed25519');
      const pemPath = join(tmp, `${s.app.server.address() && Math.random()}.pem`);
      writeFileSync(pemPath, published.body.publicKey);
      const exportPath = join(tmp, `export-${Math.random()}.jsonl`);
      const exported = cli('audit-export.ts', s, ['--out', exportPath]);
      assert.equal(exported.status, 0, exported.stderr);
      const offline = spawnSync(
        process.execPath,
        ['scripts/audit-verify.ts', '--export', exportPath, '--public-key', pemPath],
        // No database, no MAC key: only the file and the public key.
        { env: { PATH: process.env.PATH }, encoding: 'utf8' },
      );
      assert.equal(offline.status, 0, offline.stdout + offline.stderr);
      assert.match(offline.stdout, /intact.*MACs not checked/);

      const publicKey = parsePublicKey(published.body.publicKey)!;
      const keys = { macKey: null, publicKey, keyId: keyIdOf(publicKey) };
      const lines = readFileSync(exportPath, 'utf8').trim().split('\n');
      const events = lines.filter((l) => l.includes('"type":"event"'));
      const variant = async (name: string, content: string[]) => {
        const path = join(tmp, `${name}-${Math.random()}.jsonl`);
        writeFileSync(path, content.join('\n'));
        return verifyExport(path, [], keys);
      };
      const edited = lines.map((l) =>
        l === events[1] ? l.replace(/"target_label":"[^"]*"/, '"target_label":"x"') : l,
      );
      assert.equal((await variant('edited', edited)).firstBroken?.reason, 'hash_mismatch');
      const cut = lines.filter((l) => l !== events.at(-1));
      assert.deepEqual((await variant('cut', cut)).truncated, {
        checkpointPosition: events.length,
        chainEnd: events.length - 1,
      });
      const reordered = lines.map((l) => (l === events[1] ? events[2]! : l === events[2] ? events[1]! : l));
      assert.equal((await variant('reordered', reordered)).ok, false);
      const gap = lines.filter((l) => l !== events[1]);
      assert.equal((await variant('gap', gap)).firstBroken?.reason, 'gap');
      const run = spawnSync(
        process.execPath,
        ['scripts/audit-verify.ts', '--export', join(tmp, 'none.jsonl'), '--public-key', pemPath],
        { env: { PATH: process.env.PATH }, encoding: 'utf8' },
      );
      assert.equal(run.status, 2, 'a missing file is an error, not a verdict');
    });
  });

  it('issue 7 #9: R-IMP-08: checkpoints deleted from the database still count from the log they were written to', async () => {
    await withServer(async (s) => {
      const db = s.services.database.db;
      assert.equal((await s.admin.post('/api/v1/admin/audit-events/checkpoints', {})).status, 200);
      const logged = await db.selectFrom('audit_checkpoints').selectAll().execute();
      const logPath = join(tmp, `server-${Math.random()}.log`);
      // As the server logs them (pino JSON lines), among other lines.
      writeFileSync(
        logPath,
        [
          JSON.stringify({ level: 30, msg: 'request completed' }),
          ...logged.map((c) => JSON.stringify({ level: 30, msg: 'audit checkpoint', auditCheckpoint: c })),
        ].join('\n'),
      );
      await dropGuards(s);
      await sql`DELETE FROM audit_checkpoints`.execute(db);
      await sql`DELETE FROM audit_events WHERE position > ${logged[0]!.position - 2}`.execute(db);
      const exportPath = join(tmp, `cut-${Math.random()}.jsonl`);
      const lines: string[] = [];
      await exportAuditTrail(db, s.clock.now(), (line) => void lines.push(line));
      writeFileSync(exportPath, lines.join('\n'));
      const { publicKey, keyId } = s.services.auditIntegrity.keys;
      const keys = { macKey: null, publicKey, keyId };
      assert.equal(
        (await verifyExport(exportPath, [], keys)).ok,
        true,
        'without the log, nothing to compare',
      );
      const withLog = await verifyExport(exportPath, [logPath], keys);
      assert.deepEqual(withLog.truncated, {
        checkpointPosition: logged[0]!.position,
        chainEnd: logged[0]!.position - 2,
      });
    });
  });

  it('issue 7 #9: an instance with another MAC key is told at start (its key does not match the trail)', async () => {
    await withServer(async (s) => {
      assert.equal(await s.services.auditIntegrity.macKeyMatchesTrail(), true);
      const stranger = new AuditIntegrity({
        database: s.services.database,
        clock: s.clock,
        keys: loadAuditKeys(
          { hmacKey: null, signingKey: null, keyDir: join(tmp, `other-${Math.random()}`) },
          { create: true },
        ),
      });
      assert.equal(await stranger.macKeyMatchesTrail(), false);
    });
  });

  it('issue 7 #9: R-ADM-15: deleting a user still works and keeps their events, and the trail verifies', async () => {
    await withServer(async (s) => {
      const user = await s.createUser();
      const res = await s.admin.delete(`/api/v1/admin/users/${user.id}?confirm=${user.id}`);
      assert.equal(res.status, 204, JSON.stringify(res.body));
      const trail = await s.admin.get(`/api/v1/admin/audit-events?targetId=${user.id}`);
      const actions = trail.body.items.map((e: { action: string }) => e.action);
      assert.ok(actions.includes('user.created') && actions.includes('user.deleted'), actions.join());
      assert.ok(trail.body.items.every((e: { target: { label: string } }) => e.target.label));
      assert.equal((await verify(s)).ok, true);
    });
  });

  it('issue 7 #9: concurrent writes and checkpoints keep positions dense and every checkpoint on the chain', async () => {
    await withServer(async (s) => {
      await Promise.all([
        ...Array.from({ length: 20 }, () => s.createUser()),
        ...Array.from({ length: 10 }, () => s.admin.post('/api/v1/admin/audit-events/checkpoints', {})),
      ]);
      const positions = (
        await s.services.database.db.selectFrom('audit_events').select('position').orderBy('seq').execute()
      ).map((r) => r.position);
      assert.deepEqual(
        positions,
        positions.map((_p, i) => i + 1),
      );
      const report = await verify(s);
      assert.equal(report.ok, true, JSON.stringify(report));
      assert.ok(report.checkpoints >= 1);
    });
  });
});

describe('issue 7 #9: audit keys', () => {
  it('issue 7 #9: without configured keys, key files are made once in the key directory, mode 0600, and reused', () => {
    const dir = join(tmp, 'keys');
    const source = { hmacKey: null, signingKey: null, keyDir: dir };
    assert.throws(() => loadAuditKeys(source, { create: false }), /no audit key/);
    const first = loadAuditKeys(source, { create: true });
    const second = loadAuditKeys(source, { create: false });
    assert.deepEqual(second.macKey, first.macKey);
    assert.equal(second.keyId, first.keyId);
    for (const file of ['audit-hmac.key', 'audit-signing.key'])
      assert.equal(statSync(join(dir, file)).mode & 0o777, 0o600, file);
    assert.equal(readFileSync(join(dir, 'audit-signing.pub.pem'), 'utf8'), first.publicKeyPem);
    writeFileSync(join(dir, 'audit-hmac.key'), 'short');
    assert.throws(() => loadAuditKeys(source, { create: true }), /audit-hmac\.key is malformed/);
  });

  it('issue 7 #9: a malformed configured key stops the start with a message naming it', () => {
    assert.throws(
      () => loadConfig({ AUDIT_HMAC_KEY: 'abc' }),
      /AUDIT_HMAC_KEY: must be 32 or more random bytes/,
    );
    assert.throws(
      () => loadConfig({ AUDIT_SIGNING_KEY: 'not a pem' }),
      /AUDIT_SIGNING_KEY: must be an Ed25519/,
    );
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({
      type: 'pkcs8',
      format: 'pem',
    });
    assert.throws(() => loadConfig({ AUDIT_SIGNING_KEY: rsa.toString() }), /AUDIT_SIGNING_KEY/);
    assert.equal(loadConfig({ DATABASE_URL: 'sqlite:/srv/behalf/b.db' }).auditKeyDir, '/srv/behalf/keys');
  });
});

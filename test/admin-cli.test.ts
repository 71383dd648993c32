// R-OPS-04: the operator's commands (`npm run admin -- <command>`), run as the operator runs them:
// a separate process on the database of a running test server, with the server's audit keys.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  adminEmail,
  adminPassword,
  auditKeyEnv,
  dialect,
  startServer,
  strongPassword,
  type TestServer,
} from './harness.ts';
import { actAs, auditEvents } from './impersonation-helpers.ts';
import { adminId, createLoginService, linkDirectly, setShownOnSignIn } from './login-services.ts';
import { operatorLabel } from '../src/audit/audit.ts';

const script = fileURLToPath(new URL('../scripts/admin.ts', import.meta.url));

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the command against `databaseUrl` as a process of its own. */
function admin(databaseUrl: string, ...args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [script, ...args],
      { env: { ...process.env, ...auditKeyEnv, DATABASE_URL: databaseUrl, LOG_LEVEL: 'silent' } },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 2) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** The password printed once, between single quotes. */
function printedPassword(run: Run): string {
  const match = /'([^']+)'\s*$/m.exec(run.stdout);
  assert.ok(match, run.stdout);
  return match[1]!;
}

describe('R-OPS-04: operator commands', () => {
  let s: TestServer;
  let url: string;
  before(async () => {
    // The commands run on the real clock: so does this server, or a lock would seem long over.
    s = await startServer({}, { clockStart: Date.now() });
    url = s.services.config.databaseUrl!;
  });
  after(() => s.close());

  it('R-OPS-04: create-superadmin makes a superadmin who signs in with the password printed once; audited as the operator', async () => {
    const run = await admin(
      url,
      'create-superadmin',
      '--email',
      'rescue@example.test',
      '--username',
      'Rescue',
    );
    assert.equal(run.code, 0, run.stderr);
    const password = printedPassword(run);
    const c = s.client();
    assert.equal((await c.login('rescue@example.test', password)).status, 200);
    assert.equal((await c.get('/api/v1/session')).body.user.role, 'superadmin');
    const [created] = await auditEvents(s, 'action=user.created&limit=1');
    assert.equal(created.actor.label, operatorLabel('create-superadmin'));
    assert.equal(created.actor.id, null);
    // The address is taken now: refused (1), nothing created.
    const again = await admin(url, 'create-superadmin', '--email', 'rescue@example.test');
    assert.equal(again.code, 1);
    assert.match(again.stderr, /already/);
  });

  it('R-OPS-04: reset-password gives a new password (old one refused) and ends the sessions', async () => {
    const u = await s.createUser({ password: strongPassword });
    const c = s.client();
    assert.equal((await c.login(u.primaryEmail, strongPassword)).status, 200);
    const run = await admin(url, 'reset-password', u.primaryEmail);
    assert.equal(run.code, 0, run.stderr);
    const password = printedPassword(run);
    assert.notEqual(password, strongPassword);
    assert.equal((await s.client().login(u.primaryEmail, strongPassword)).status, 401);
    assert.equal((await s.client().login(u.primaryEmail, password)).status, 200);
    const [event] = await auditEvents(s, `action=user.password_set&targetId=${u.id}&limit=1`);
    assert.equal(event.actor.label, operatorLabel('reset-password'));
    assert.deepEqual(event.changes.password, { before: '[redacted]', after: '[redacted]' });
    assert.ok(!run.stdout.includes('$argon2'), 'no hash on the console');
  });

  it('R-OPS-04: unlock lifts a lockout; an unknown user is refused with 1', async () => {
    const u = await s.createUser({ password: strongPassword });
    assert.equal((await s.admin.patch('/api/v1/admin/settings', { lockout: { threshold: 2 } })).status, 200);
    try {
      for (let i = 0; i < 2; i++) await s.client().login(u.primaryEmail, 'Wrong-Password-123');
      // A locked account answers like a wrong password (R-ADM-14); its page says "locked".
      assert.equal((await s.client().login(u.primaryEmail, strongPassword)).status, 401);
      assert.ok((await s.admin.get(`/api/v1/admin/users/${u.id}`)).body.tags.includes('locked'));
      const run = await admin(url, 'unlock', u.id);
      assert.equal(run.code, 0, run.stderr);
      assert.match(run.stdout, /^unlocked /);
      assert.equal((await s.client().login(u.primaryEmail, strongPassword)).status, 200);
    } finally {
      await s.admin.patch('/api/v1/admin/settings', { lockout: { threshold: 5 } });
    }
    const unknown = await admin(url, 'unlock', 'nobody@example.test');
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /No user/);
    assert.equal((await admin(url, 'unlock')).code, 2, 'no user named: usage');
  });

  it('R-OPS-04: end-impersonations ends every active impersonation, audited as revoked by the operator', async () => {
    const subject = await s.createUser({ password: strongPassword });
    // Another browser of the superadmin's: the handoff turns it into the subject's.
    const actor = s.client();
    assert.equal((await actor.login(adminEmail, adminPassword)).status, 200);
    const { impersonationId } = await actAs(actor, subject.id);
    const run = await admin(url, 'end-impersonations');
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /ended [1-9]\d* impersonation/);
    const active = await s.admin.get('/api/v1/admin/impersonations');
    assert.deepEqual(active.body.items, []);
    const ended = (await auditEvents(s, 'action=impersonation.ended&limit=20')).find(
      (e) => e.impersonationId === impersonationId,
    );
    assert.equal(ended?.details.reason, 'revoked');
    assert.equal(ended?.actor.label, operatorLabel('end-impersonations'));
  });

  it('R-OPS-04: enable-password-login turns password sign-in on again (read by a server started afterwards)', async () => {
    // R-ADM-17: switching it off needs a service on the sign-in page the administrator can use.
    const service = await createLoginService(s, { showOnSignIn: true });
    await linkDirectly(s, await adminId(s), service.id, 'operator-test-admin');
    assert.equal(
      (await s.admin.patch('/api/v1/admin/settings', { login: { passwordLoginEnabled: false } })).status,
      200,
    );
    const run = await admin(url, 'enable-password-login');
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /on again/);
    // On SQLite the running server keeps its copy of the settings until it restarts (docs); a
    // server started now reads the change.
    const restarted = await startServer({}, { sameDatabaseAs: s });
    try {
      const u = await s.createUser({ password: strongPassword });
      assert.equal((await restarted.client().login(u.primaryEmail, strongPassword)).status, 200);
    } finally {
      await restarted.close();
      // What a restart of the first server would do (on PostgreSQL the change's notification does).
      s.services.settings.forget();
    }
    assert.match((await admin(url, 'enable-password-login')).stdout, /on already/);
    await setShownOnSignIn(s, service.id, false);
  });

  it('R-OPS-04: rotate-keys publishes a new signing key; audit-verify and audit-export work and are audited', async () => {
    const run = await admin(url, 'rotate-keys');
    assert.equal(run.code, 0, run.stderr);
    const kid = /new signing key (\S+);/.exec(run.stdout)?.[1];
    assert.ok(kid, run.stdout);
    const [rotated] = await auditEvents(s, 'action=operator.oidc_keys_rotated&limit=1');
    assert.equal(rotated.details.kid, kid);

    const verify = await admin(url, 'audit-verify');
    assert.equal(verify.code, 0, verify.stderr);
    assert.match(verify.stdout, /audit trail intact/);
    const dir = mkdtempSync(join(tmpdir(), 'behalf-export-'));
    try {
      const exported = await admin(url, 'audit-export', '--out', join(dir, 'trail.jsonl'));
      assert.equal(exported.code, 0, exported.stderr);
      assert.ok(existsSync(join(dir, 'trail.jsonl')));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const actions = (await auditEvents(s, 'limit=5')).map((e) => e.action);
    assert.ok(actions.includes('operator.audit_verified'), actions.join());
    assert.ok(actions.includes('operator.audit_exported'), actions.join());
    // The trail with the operator's events in it is still intact.
    assert.equal((await s.admin.get('/api/v1/admin/audit-events/verify')).body.ok, true);
  });

  it('R-OPS-04: a wrong command, or none, is a usage error (2) and changes nothing', async () => {
    const unknown = await admin(url, 'drop-everything');
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /unknown command/);
    assert.equal((await admin(url)).code, 2);
  });

  it(
    'R-OPS-04: backup copies the SQLite database while the server runs; the restored copy starts and its audit chain verifies',
    { skip: dialect !== 'sqlite' && 'SQLite only (PostgreSQL: pg_dump, docs/operations.md)' },
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'behalf-backup-'));
      try {
        const marked = await s.createUser({ lastName: 'BeforeBackup' });
        const file = join(dir, 'behalf-backup.db');
        // The server goes on writing during the copy.
        const [run] = await Promise.all([
          admin(url, 'backup', file),
          ...Array.from({ length: 5 }, () => s.createUser()),
        ]);
        assert.equal(run.code, 0, run.stderr);
        const later = await s.createUser({ lastName: 'AfterBackup' });
        assert.equal((await admin(url, 'backup', file)).code, 2, 'an existing file is not overwritten');

        // Restore: the copy put in place of a database (here: beside it), a server started on it.
        const restoredDir = join(dir, 'restored');
        const restoredPath = join(restoredDir, 'behalf.db');
        mkdirSync(restoredDir);
        copyFileSync(file, restoredPath);
        const restored = await startServer({ DATABASE_URL: `sqlite:${restoredPath}` });
        try {
          assert.equal((await restored.admin.get(`/api/v1/admin/users/${marked.id}`)).status, 200);
          assert.equal((await restored.admin.get(`/api/v1/admin/users/${later.id}`)).status, 404);
          const verified = await restored.admin.get('/api/v1/admin/audit-events/verify');
          assert.equal(verified.body.ok, true, JSON.stringify(verified.body));
        } finally {
          await restored.close();
        }
        const verify = await admin(`sqlite:${restoredPath}`, 'audit-verify');
        assert.equal(verify.code, 0, verify.stderr + verify.stdout);
        const [backedUp] = await auditEvents(s, 'action=operator.backup_created&limit=1');
        assert.equal(backedUp.actor.label, operatorLabel('backup'));
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );

  it('R-OPS-04: without the audit keys the commands refuse to run rather than make new ones', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'behalf-nokeys-'));
    try {
      const run = await new Promise<Run>((resolve) => {
        execFile(
          process.execPath,
          [script, 'unlock', adminEmail],
          {
            env: {
              ...process.env,
              DATABASE_URL: url,
              AUDIT_HMAC_KEY: '',
              AUDIT_SIGNING_KEY: '',
              AUDIT_KEY_DIR: dir,
            },
          },
          (error, stdout, stderr) => resolve({ code: error ? Number(error.code) : 0, stdout, stderr }),
        );
      });
      assert.equal(run.code, 2, run.stdout);
      assert.ok(!existsSync(join(dir, 'audit-hmac.key')), 'no new key');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

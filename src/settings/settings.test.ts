// GET/PATCH /api/v1/admin/settings over HTTP: versions (ETag/If-Match), validation,
// permissions and the audit trail.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, type Reply, type TestServer } from '../../test/harness.ts';
import { defaultSettings } from './settings.schema.ts';

describe('application settings over HTTP', () => {
  let s: TestServer;
  before(async () => {
    s = await startServer();
  });
  after(() => s.close());

  const read = () => s.admin.get('/api/v1/admin/settings');
  const settingsEvents = async () => {
    const res = await s.admin.get('/api/v1/admin/audit-events?action=settings.updated&limit=200');
    assert.equal(res.status, 200);
    return res.body.items as any[];
  };
  const assertUnchanged = async (before: Reply, eventsBefore: number) => {
    const now = await read();
    assert.deepEqual(now.body, before.body, 'the settings did not change');
    assert.equal(now.headers.get('etag'), before.headers.get('etag'), 'nor did their version');
    assert.equal((await settingsEvents()).length, eventsBefore, 'and no event was written');
  };

  it('R-ADM-14: a fresh platform has the default settings, with a version in the ETag', async () => {
    const res = await read();
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, defaultSettings);
    assert.deepEqual(res.body.lockout, { threshold: 5, durationSeconds: 900 });
    assert.match(res.headers.get('etag') ?? '', /^"settings-\d+"$/);
  });

  it('R-ADM-14: PATCH changes only what it names, and the version moves on', async () => {
    const before = await read();
    const etag = before.headers.get('etag')!;
    const res = await s.admin.patch(
      '/api/v1/admin/settings',
      { lockout: { threshold: 3 } },
      { 'if-match': etag },
    );
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, { ...before.body, lockout: { ...before.body.lockout, threshold: 3 } });
    assert.notEqual(res.headers.get('etag'), etag);
    const after = await read();
    assert.deepEqual(after.body, res.body);
    assert.equal(after.headers.get('etag'), res.headers.get('etag'));
  });

  it('R-OPS-03: a PATCH based on an older version gets 412 and changes nothing', async () => {
    const first = await read();
    const stale = first.headers.get('etag')!;
    const meanwhile = await s.admin.patch(
      '/api/v1/admin/settings',
      { lockout: { durationSeconds: 600 } },
      { 'if-match': stale },
    );
    assert.equal(meanwhile.status, 200);
    const current = await read();
    const events = (await settingsEvents()).length;
    for (const ifMatch of [stale, '"settings-999999"', 'W/"settings-1"', '"user-1"', 'garbage']) {
      const res = await s.admin.patch(
        '/api/v1/admin/settings',
        { lockout: { durationSeconds: 60 } },
        { 'if-match': ifMatch },
      );
      assert.equal(res.status, 412, ifMatch);
      assert.equal(res.body.code, 'precondition_failed');
    }
    await assertUnchanged(current, events);
    const star = await s.admin.patch(
      '/api/v1/admin/settings',
      { lockout: { durationSeconds: 900 } },
      { 'if-match': '*' },
    );
    assert.equal(star.status, 200, 'If-Match: * matches any version');
  });

  it('R-OPS-03: unknown names and out-of-range values get 422 naming the field, and change nothing', async () => {
    const current = await read();
    const events = (await settingsEvents()).length;
    const cases: [unknown, string][] = [
      [{ lockuot: { threshold: 3 } }, ''],
      [{ lockout: { treshold: 3 } }, 'lockout'],
      [{ lockout: { threshold: 0 } }, 'lockout.threshold'],
      [{ lockout: { threshold: 101 } }, 'lockout.threshold'],
      [{ lockout: { threshold: 3.5 } }, 'lockout.threshold'],
      [{ lockout: { durationSeconds: -1 } }, 'lockout.durationSeconds'],
      [{ sessions: { idleTimeoutMinutes: 0 } }, 'sessions.idleTimeoutMinutes'],
      [{ passwordPolicy: { minLength: 4 } }, 'passwordPolicy.minLength'],
      [{ login: { passwordLoginEnabled: 'yes' } }, 'login.passwordLoginEnabled'],
      // One bad field spoils the whole patch: the good one is not applied either.
      [{ lockout: { threshold: 4, durationSeconds: 0 } }, 'lockout.durationSeconds'],
    ];
    for (const [body, field] of cases) {
      const res = await s.admin.patch('/api/v1/admin/settings', body);
      assert.equal(res.status, 422, JSON.stringify(body));
      assert.equal(res.body.code, 'validation_failed');
      if (field !== '') {
        assert.ok(
          res.body.errors.some((e: { field: string }) => e.field === field),
          `${JSON.stringify(body)} names ${field}: ${JSON.stringify(res.body.errors)}`,
        );
      }
    }
    await assertUnchanged(current, events);
  });

  it('R-OPS-03: a PATCH that changes nothing writes no event and keeps the version', async () => {
    const current = await read();
    const events = (await settingsEvents()).length;
    for (const body of [{}, { lockout: {} }, { lockout: { threshold: current.body.lockout.threshold } }]) {
      const res = await s.admin.patch('/api/v1/admin/settings', body, {
        'if-match': current.headers.get('etag')!,
      });
      assert.equal(res.status, 200);
      assert.deepEqual(res.body, current.body);
    }
    await assertUnchanged(current, events);
  });

  it('R-ADM-07: settings.read reads, settings.manage changes; other administrators and users may not', async () => {
    const reader = await s.signedInWith(['settings.read']);
    const manager = await s.signedInWith(['settings.read', 'settings.manage']);
    const other = await s.signedInWith(['users.read', 'audit.read']);
    const plain = await s.signedInWith([]);

    assert.equal((await reader.client.get('/api/v1/admin/settings')).status, 200);
    const denied = await reader.client.patch('/api/v1/admin/settings', { lockout: { threshold: 7 } });
    assert.equal(denied.status, 403);
    assert.equal(denied.body.code, 'missing_permission');

    const otherRead = await other.client.get('/api/v1/admin/settings');
    assert.equal(otherRead.status, 403);
    assert.equal(otherRead.body.code, 'missing_permission');
    assert.equal((await other.client.patch('/api/v1/admin/settings', {})).body.code, 'missing_permission');

    assert.equal((await plain.client.get('/api/v1/admin/settings')).body.code, 'forbidden');
    assert.equal((await s.client().get('/api/v1/admin/settings')).body.code, 'not_authenticated');
    assert.equal((await read()).body.lockout.threshold, 3, 'none of the refused PATCHes applied');

    const allowed = await manager.client.patch('/api/v1/admin/settings', { lockout: { threshold: 7 } });
    assert.equal(allowed.status, 200);
    assert.equal(allowed.body.lockout.threshold, 7);
  });

  it('R-ADM-14: a change is audited with who, when, the request id and before/after of each field', async () => {
    const me = (await s.admin.get('/api/v1/session')).body.user;
    const current = (await read()).body;
    s.clock.advance(1000);
    const res = await s.admin.patch('/api/v1/admin/settings', {
      lockout: { threshold: current.lockout.threshold + 1, durationSeconds: current.lockout.durationSeconds },
      sessions: { idleTimeoutMinutes: current.sessions.idleTimeoutMinutes + 5 },
    });
    assert.equal(res.status, 200);
    const [event] = await settingsEvents();
    assert.equal(event.requestId, res.headers.get('x-request-id'));
    assert.equal(event.occurredAt, new Date(s.clock.now()).toISOString());
    assert.deepEqual(event.actor, { id: me.id, label: me.displayName });
    assert.deepEqual(event.user, { id: me.id, label: me.displayName });
    assert.equal(event.target.type, 'settings');
    assert.deepEqual(event.changes, {
      'lockout.threshold': { before: current.lockout.threshold, after: current.lockout.threshold + 1 },
      'sessions.idleTimeoutMinutes': {
        before: current.sessions.idleTimeoutMinutes,
        after: current.sessions.idleTimeoutMinutes + 5,
      },
    });
  });

  it('R-ADM-14: a new lockout threshold takes effect at the next login', async () => {
    await s.admin.patch('/api/v1/admin/settings', { lockout: { threshold: 2, durationSeconds: 60 } });
    const user = await s.createUser({ password: 'Another-Strong-Pass-42' });
    const c = s.client();
    for (let i = 0; i < 2; i++)
      assert.equal((await c.login(user.primaryEmail, 'Wrong-Password-99')).status, 401);
    assert.equal((await c.login(user.primaryEmail, 'Another-Strong-Pass-42')).status, 401, 'locked after 2');
    s.clock.advance(61_000);
    assert.equal(
      (await c.login(user.primaryEmail, 'Another-Strong-Pass-42')).status,
      200,
      'the lock lifts after 60 s',
    );
  });
});

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  adminEmail,
  adminPassword,
  startServer,
  strongPassword,
  type TestServer,
} from '../../test/harness.ts';

describe('login and sessions', () => {
  let s: TestServer;
  before(async () => {
    s = await startServer();
  });
  after(() => s.close());

  it('R-OPS-01: the first superadmin exists and logs in by e-mail or by username', async () => {
    const c = s.client();
    const byEmail = await c.login(adminEmail, adminPassword);
    assert.equal(byEmail.status, 200);
    assert.equal(byEmail.body.user.role, 'superadmin');
    const byUsername = await s.client().login('sadmin', adminPassword);
    assert.equal(byUsername.status, 200, 'usernames are case-insensitive');
    const session = await c.get('/api/v1/session');
    assert.equal(session.status, 200);
    assert.equal(session.body.user.primaryEmail, adminEmail);
    assert.equal(session.body.impersonation, null);
    assert.deepEqual(session.body.blockedCapabilities, []);
  });

  it('wrong password, unknown login and empty fields get clear errors', async () => {
    const c = s.client();
    const wrong = await c.login(adminEmail, 'not-the-password');
    assert.equal(wrong.status, 401);
    assert.equal(wrong.body.code, 'invalid_credentials');
    assert.equal(wrong.headers.get('content-type'), 'application/problem+json; charset=utf-8');
    const unknown = await c.login('nobody@example.test', 'whatever');
    assert.equal(unknown.status, 401);
    assert.equal(unknown.body.code, 'invalid_credentials');
    assert.equal(unknown.body.detail, wrong.body.detail, 'unknown and wrong answer alike');
    const empty = await c.post('/api/v1/auth/login', { login: '', password: '' });
    assert.equal(empty.status, 422);
    assert.equal(empty.body.code, 'validation_failed');
    assert.ok(empty.body.errors.some((e: { field: string }) => e.field === 'login'));
    assert.equal((await c.get('/api/v1/session')).status, 401);
  });

  it('a session cookie is HttpOnly and SameSite=Lax, and logout ends the session', async () => {
    const c = s.client();
    const res = await c.login(adminEmail, adminPassword);
    const cookie = res.headers.getSetCookie().join('\n');
    assert.match(cookie, /HttpOnly/);
    assert.match(cookie, /SameSite=Lax/);
    const stolen = c.cookieHeader;
    assert.equal((await c.post('/api/v1/auth/logout')).status, 204);
    const replay = await fetch(`${s.url}/api/v1/session`, { headers: { cookie: stolen } });
    assert.equal(replay.status, 401, 'the old token no longer works after logout');
  });

  it('every login issues a new token (no session fixation)', async () => {
    const a = s.client();
    await a.login(adminEmail, adminPassword);
    const first = a.cookieHeader;
    await a.login(adminEmail, adminPassword);
    assert.notEqual(a.cookieHeader, first);
  });

  it('R-ADM-14: wrong passwords lock the account for the configured time; locked answers like wrong', async () => {
    const user = await s.createUser({ password: strongPassword });
    const set = await s.admin.patch('/api/v1/admin/settings', {
      lockout: { threshold: 3, durationSeconds: 600 },
    });
    assert.equal(set.status, 200);
    const c = s.client();
    for (let i = 0; i < 3; i++)
      assert.equal((await c.login(user.primaryEmail, 'Wrong-password-1')).status, 401);
    const locked = await c.login(user.primaryEmail, strongPassword);
    assert.equal(locked.status, 401, 'the right password does not open a locked account');
    assert.equal(locked.body.code, 'invalid_credentials');
    const view = await s.admin.get(`/api/v1/admin/users/${user.id}`);
    assert.ok(view.body.tags.includes('locked'));
    s.clock.advance(601_000);
    assert.equal((await c.login(user.primaryEmail, strongPassword)).status, 200, 'the lock lifts by itself');
    const after = await s.admin.get(`/api/v1/admin/users/${user.id}`);
    assert.ok(!after.body.tags.includes('locked'));
    assert.equal(after.body.failedLogins, 0, 'a successful login resets the count');
    await s.admin.patch('/api/v1/admin/settings', { lockout: { threshold: 5, durationSeconds: 900 } });
  });

  it('sessions end after the idle timeout and after the absolute timeout', async () => {
    const { client } = await s.signedInWith([]);
    const other = await s.signedInWith([]);
    await s.admin.patch('/api/v1/admin/settings', {
      sessions: { idleTimeoutMinutes: 30, absoluteTimeoutHours: 2 },
    });
    s.clock.advance(29 * 60_000);
    assert.equal((await client.get('/api/v1/session')).status, 200, 'used within the idle limit');
    s.clock.advance(29 * 60_000);
    assert.equal((await client.get('/api/v1/session')).status, 200, 'each use restarts the idle limit');
    s.clock.advance(31 * 60_000);
    assert.equal((await client.get('/api/v1/session')).status, 401, 'idle too long');

    await other.client.get('/api/v1/session');
    for (let i = 0; i < 5; i++) {
      s.clock.advance(25 * 60_000);
      await other.client.get('/api/v1/session');
    }
    assert.equal((await other.client.get('/api/v1/session')).status, 401, 'absolute limit of 2 hours');
    await s.admin.login(adminEmail, adminPassword);
    await s.admin.patch('/api/v1/admin/settings', {
      sessions: { idleTimeoutMinutes: 60, absoluteTimeoutHours: 12 },
    });
  });

  it('state-changing requests need a same-origin Origin header (CSRF)', async () => {
    const res = await fetch(`${s.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'https://evil.example' },
      body: JSON.stringify({ login: adminEmail, password: adminPassword }),
    });
    assert.equal(res.status, 403);
    assert.equal(((await res.json()) as { code: string }).code, 'csrf_rejected');
    const none = await fetch(`${s.url}/api/v1/auth/logout`, { method: 'POST' });
    assert.equal(none.status, 403);
    const form = await fetch(`${s.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: s.url },
      body: 'login=a&password=b',
    });
    assert.equal(form.status, 415, 'only JSON bodies are read');
  });
});

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, strongPassword, type Client, type TestServer } from '../../test/harness.ts';
import { passwordViolations } from '../credentials/password-policy.ts';
import { adminId, createLoginService, linkDirectly } from '../../test/login-services.ts';

// How a user gets in, as an administrator sees and changes it: the computed "cannot log in"
// tag (R-ADM-04), generated passwords (R-ADM-12), the two-factor method (R-ADM-13) and the
// lockout with its reset (R-ADM-14), over HTTP against a real database.

describe('admin: login credentials of a user', () => {
  let s: TestServer;
  const user = (id: string) => `/api/v1/admin/users/${id}`;
  const events = async (id: string) =>
    (await s.admin.get(`/api/v1/admin/audit-events?targetId=${id}`)).body.items as any[];

  /** The newest login code mailed to `to` (through the outbox, as the mailer would send it). */
  async function mailedCode(to: string): Promise<string> {
    const mail = await s.services.database.db
      .selectFrom('outbox')
      .select(['subject', 'body_text'])
      .where('recipient', '=', to)
      .orderBy('created_at', 'desc')
      .executeTakeFirstOrThrow();
    const code = /\b(\d{6})\b/.exec(mail.subject)?.[1];
    assert.ok(code && mail.body_text.includes(code), 'the mail carries a six-digit code');
    return code;
  }

  /** Logs in up to the second step; the clock moves so that each mail is the newest. */
  async function startLogin(c: Client, login: string) {
    s.clock.advance(1000);
    return c.login(login, strongPassword);
  }

  before(async () => {
    s = await startServer();
  });
  after(() => s.close());

  it('R-ADM-04: a user without a password is tagged cannot-log-in, until a password is set', async () => {
    const u = await s.createUser();
    const created = await s.admin.get(user(u.id));
    assert.equal(created.body.hasPassword, false);
    assert.ok(created.body.tags.includes('cannot-log-in'));
    assert.equal((await s.admin.put(`${user(u.id)}/password`, { password: strongPassword })).status, 204);
    const withPassword = await s.admin.get(user(u.id));
    assert.equal(withPassword.body.hasPassword, true);
    assert.ok(!withPassword.body.tags.includes('cannot-log-in'));
  });

  it('R-ADM-04: with password login switched off, users with a password cannot log in either', async () => {
    const u = await s.createUser({ password: strongPassword });
    // R-ADM-17: the superadmin keeps a way in, else the switch is refused.
    const service = await createLoginService(s, { showOnSignIn: true });
    await linkDirectly(s, await adminId(s), service.id, 'the-superadmin');
    const off = await s.admin.patch('/api/v1/admin/settings', { login: { passwordLoginEnabled: false } });
    assert.equal(off.status, 200);
    try {
      assert.ok((await s.admin.get(user(u.id))).body.tags.includes('cannot-log-in'));
      assert.equal((await s.client().login(u.primaryEmail, strongPassword)).status, 401, 'and indeed cannot');
    } finally {
      await s.admin.patch('/api/v1/admin/settings', { login: { passwordLoginEnabled: true } });
    }
    assert.ok(!(await s.admin.get(user(u.id))).body.tags.includes('cannot-log-in'));
  });

  it('R-ADM-12: a generated password satisfies the policy and takes effect only when saved', async () => {
    await s.admin.patch('/api/v1/admin/settings', {
      passwordPolicy: { minLength: 24, requireSymbol: true },
    });
    try {
      const u = await s.createUser();
      const policy = (await s.admin.get('/api/v1/admin/settings')).body.passwordPolicy;
      const res = await s.admin.post(`${user(u.id)}/password/generate`);
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('cache-control'), 'no-store');
      const { password } = res.body;
      assert.deepEqual(passwordViolations(policy, password), []);
      assert.ok(password.length >= 24);
      assert.notEqual((await s.admin.post(`${user(u.id)}/password/generate`)).body.password, password);

      const before = await s.admin.get(user(u.id));
      assert.equal(before.body.hasPassword, false, 'nothing stored by generating');
      assert.equal(before.headers.get('etag'), '"user-1"');
      assert.equal(
        (await s.client().login(u.primaryEmail, password)).status,
        401,
        'not usable before saving',
      );

      assert.equal((await s.admin.put(`${user(u.id)}/password`, { password })).status, 204);
      assert.equal((await s.client().login(u.primaryEmail, password)).status, 200, 'usable after saving');
      const view = await s.admin.get(user(u.id));
      assert.ok(!JSON.stringify(view.body).includes(password), 'never shown again');
      const [event] = await events(u.id);
      assert.equal(event.action, 'user.password_set');
      assert.ok(!JSON.stringify(event).includes(password), 'nor kept in the trail');
      const weak = await s.admin.put(`${user(u.id)}/password`, { password: 'short' });
      assert.equal(weak.status, 422);
      assert.equal(weak.body.code, 'password_policy');
    } finally {
      await s.admin.patch('/api/v1/admin/settings', {
        passwordPolicy: { minLength: 12, requireSymbol: false },
      });
    }
  });

  it('R-ADM-13: an administrator switches a user to e-mail codes or none, never to an authenticator app', async () => {
    const u = await s.createUser();
    const email = await s.admin.put(`${user(u.id)}/two-factor`, { method: 'email' });
    assert.equal(email.status, 200);
    assert.equal(email.body.twoFactorMethod, 'email');
    assert.equal(email.headers.get('etag'), '"user-2"');
    const [event] = await events(u.id);
    assert.equal(event.action, 'user.two_factor_changed');
    assert.deepEqual(event.changes, { twoFactorMethod: { before: 'none', after: 'email' } });

    const totp = await s.admin.put(`${user(u.id)}/two-factor`, { method: 'totp' });
    assert.equal(totp.status, 422);
    assert.equal(totp.body.code, 'totp_requires_enrolment');
    assert.equal((await s.admin.get(user(u.id))).body.twoFactorMethod, 'email', 'unchanged');
    const unknown = await s.admin.put(`${user(u.id)}/two-factor`, { method: 'sms' });
    assert.equal(unknown.status, 422);
    assert.equal(unknown.body.errors[0].field, 'method');
  });

  it('R-ADM-13: switching away from an authenticator app removes its secret', async () => {
    for (const method of ['none', 'email']) {
      const u = await s.createUser();
      // The user's own enrolment (My Profile) is what sets these; do it directly here.
      await s.services.database.db
        .updateTable('users')
        .set({ two_factor_method: 'totp', totp_secret: 'JBSWY3DPEHPK3PXP' })
        .where('id', '=', u.id)
        .execute();
      const res = await s.admin.put(`${user(u.id)}/two-factor`, { method });
      assert.equal(res.status, 200);
      assert.equal(res.body.twoFactorMethod, method);
      assert.ok(!JSON.stringify(res.body).includes('JBSWY3DPEHPK3PXP'));
      const row = await s.services.database.db
        .selectFrom('users')
        .select('totp_secret')
        .where('id', '=', u.id)
        .executeTakeFirstOrThrow();
      assert.equal(row.totp_secret, null, `${method} leaves no secret behind`);
    }
  });

  it('R-ADM-13: with e-mail codes, login asks for the code it mailed, and the code completes it', async () => {
    const u = await s.createUser({ password: strongPassword });
    await s.admin.put(`${user(u.id)}/two-factor`, { method: 'email' });
    const c = s.client();
    const first = await startLogin(c, u.primaryEmail);
    assert.equal(first.status, 200);
    assert.deepEqual(first.body, { secondFactorRequired: true, method: 'email' });
    assert.equal((await c.get('/api/v1/session')).status, 401, 'no session before the code');
    const code = await mailedCode(u.primaryEmail);
    const done = await c.post('/api/v1/auth/login/second-factor', { code });
    assert.equal(done.status, 200);
    assert.equal(done.body.user.id, u.id);
    assert.equal((await c.get('/api/v1/session')).status, 200);
    const reused = await s.client().post('/api/v1/auth/login/second-factor', { code });
    assert.equal(reused.status, 401, 'a code without its challenge is worthless');
  });

  it('R-ADM-14: wrong e-mail codes count towards the lockout; resetting the attempts lifts it at once', async () => {
    const u = await s.createUser({ password: strongPassword });
    await s.admin.put(`${user(u.id)}/two-factor`, { method: 'email' });
    await s.admin.patch('/api/v1/admin/settings', { lockout: { threshold: 3, durationSeconds: 600 } });
    try {
      const c = s.client();
      await startLogin(c, u.primaryEmail);
      const right = await mailedCode(u.primaryEmail);
      const wrong = right === '000000' ? '111111' : '000000';
      for (let i = 0; i < 3; i++) {
        const res = await c.post('/api/v1/auth/login/second-factor', { code: wrong });
        assert.equal(res.status, 401);
        assert.equal(res.body.code, 'invalid_second_factor');
      }
      const view = await s.admin.get(user(u.id));
      assert.equal(view.body.failedLogins, 3);
      assert.ok(view.body.tags.includes('locked'));
      assert.equal((await c.post('/api/v1/auth/login/second-factor', { code: right })).status, 401, 'locked');
      assert.equal((await s.client().login(u.primaryEmail, strongPassword)).status, 401, 'password too');

      const reset = await s.admin.delete(`${user(u.id)}/login-attempts`);
      assert.equal(reset.status, 204);
      const after = await s.admin.get(user(u.id));
      assert.equal(after.body.failedLogins, 0);
      assert.equal(after.body.lockedUntil, null);
      assert.ok(!after.body.tags.includes('locked'));
      const [event] = await events(u.id);
      assert.equal(event.action, 'user.login_attempts_reset');
      assert.equal(event.changes.failedLogins.before, 3);
      assert.deepEqual(event.details, { wasLocked: true });

      const again = s.client();
      assert.equal((await startLogin(again, u.primaryEmail)).body.secondFactorRequired, true);
      const ok = await again.post('/api/v1/auth/login/second-factor', {
        code: await mailedCode(u.primaryEmail),
      });
      assert.equal(ok.status, 200, 'no waiting for the lock to expire');
    } finally {
      await s.admin.patch('/api/v1/admin/settings', { lockout: { threshold: 5, durationSeconds: 900 } });
    }
  });

  it('R-ADM-14: resetting lifts a password lock at once; with nothing to reset it answers 204 and records nothing', async () => {
    const u = await s.createUser({ password: strongPassword });
    await s.admin.patch('/api/v1/admin/settings', { lockout: { threshold: 2, durationSeconds: 3600 } });
    try {
      for (let i = 0; i < 2; i++) await s.client().login(u.primaryEmail, 'Wrong-password-123');
      assert.equal((await s.client().login(u.primaryEmail, strongPassword)).status, 401);
      assert.equal((await s.admin.delete(`${user(u.id)}/login-attempts`)).status, 204);
      assert.equal((await s.client().login(u.primaryEmail, strongPassword)).status, 200);
    } finally {
      await s.admin.patch('/api/v1/admin/settings', { lockout: { threshold: 5, durationSeconds: 900 } });
    }
    const count = (await events(u.id)).length;
    assert.equal((await s.admin.delete(`${user(u.id)}/login-attempts`)).status, 204);
    assert.equal((await events(u.id)).length, count);
  });
});

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Secret, TOTP } from 'otpauth';
import {
  adminEmail,
  adminPassword,
  startServer,
  strongPassword,
  type Client,
  type TestServer,
} from '../../test/harness.ts';
import { actAs, auditEvents, startImpersonation } from '../../test/impersonation-helpers.ts';

// R-IMP-17, issue 12 #5, step-up over HTTP, on both databases: with `impersonation.stepUpMinutes`
// set, the actor must have proved their password or code on the server within that many
// minutes; POST /api/v1/session/step-up proves again, counted by the lockout as a login is.

const minute = 60_000;

describe('R-IMP-17 step-up before acting', () => {
  let s: TestServer;
  before(async () => {
    s = await startServer();
  });
  after(() => s.close());

  async function superadmin(): Promise<Client> {
    const c = s.client();
    assert.equal((await c.login(adminEmail, adminPassword)).status, 200);
    return c;
  }
  const setWindow = async (stepUpMinutes: number) => {
    const res = await s.admin.patch('/api/v1/admin/settings', { impersonation: { stepUpMinutes } });
    assert.equal(res.status, 200, JSON.stringify(res.body));
  };
  const preview = async (c: Client, id: string) => {
    const res = await c.get(`/api/v1/admin/users/${id}/impersonation/preview`);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return res.body.stepUp as { required: boolean; minutes: number; methods: string[] };
  };

  it('R-IMP-17: the setting is off by default, and then nothing asks for a proof', async () => {
    const settings = await s.admin.get('/api/v1/admin/settings');
    assert.equal(settings.body.impersonation.stepUpMinutes, 0);
    const user = await s.createUser({ password: strongPassword });
    const admin = await superadmin();
    s.clock.advance(50 * minute);
    assert.deepEqual(await preview(admin, user.id), { required: false, minutes: 0, methods: [] });
    await actAs(admin, user.id);
  });

  it('R-IMP-17: a sign-in within the window is proof enough; past it the start is refused until the actor proves again', async () => {
    await setWindow(10);
    try {
      const user = await s.createUser({ password: strongPassword });
      const admin = await superadmin();
      s.clock.advance(9 * minute);
      assert.equal((await preview(admin, user.id)).required, false, 'the sign-in 9 minutes ago counts');

      s.clock.advance(2 * minute);
      assert.deepEqual(await preview(admin, user.id), { required: true, minutes: 10, methods: ['password'] });
      const refused = await startImpersonation(admin, user.id);
      assert.equal(refused.status, 403, JSON.stringify(refused.body));
      assert.equal(refused.body.code, 'step_up_required');
      assert.equal(refused.body.minutes, 10, 'the problem names the minutes');
      assert.deepEqual(refused.body.methods, ['password']);

      const wrong = await admin.post('/api/v1/session/step-up', { password: 'not-my-password' });
      assert.equal(wrong.status, 422, JSON.stringify(wrong.body));
      assert.equal(wrong.body.code, 'wrong_password');
      assert.equal((await startImpersonation(admin, user.id)).body.code, 'step_up_required');

      const proved = await admin.post('/api/v1/session/step-up', { password: adminPassword });
      assert.equal(proved.status, 200, JSON.stringify(proved.body));
      assert.equal(proved.body.provenAt, new Date(s.clock.now()).toISOString());
      assert.equal((await preview(admin, user.id)).required, false);
      await actAs(admin, user.id);

      const ok = await auditEvents(s, 'action=auth.step_up');
      assert.ok(ok.length >= 1 && ok[0].details.method === 'password', 'the proof is audited');
      const failed = await auditEvents(s, 'action=auth.step_up_failed');
      assert.ok(failed.length >= 1, 'the wrong password is audited');
    } finally {
      await setWindow(0);
    }
  });

  it('R-IMP-17: an authenticator code proves too; a wrong one is refused', async () => {
    await setWindow(5);
    try {
      const { client: c, user } = await s.signedInWith(['users.read', 'users.impersonate']);
      const enrol = await c.post('/api/v1/account/two-factor/totp');
      assert.equal(enrol.status, 201, JSON.stringify(enrol.body));
      const totp = new TOTP({ secret: Secret.fromBase32(enrol.body.manualEntryKey), digits: 6, period: 30 });
      const confirm = await c.post('/api/v1/account/two-factor/totp/confirm', {
        code: totp.generate({ timestamp: s.clock.now() }),
      });
      assert.equal(confirm.status, 200, JSON.stringify(confirm.body));
      const subject = await s.createUser({ password: strongPassword });
      s.clock.advance(6 * minute);
      // The enrolment gave the session a new token; the client follows the cookie.
      assert.deepEqual(await preview(c, subject.id), {
        required: true,
        minutes: 5,
        methods: ['password', 'totp'],
      });
      const bad = await c.post('/api/v1/session/step-up', { code: '000000' });
      assert.equal(bad.body.code, 'invalid_code', JSON.stringify(bad.body));
      const good = await c.post('/api/v1/session/step-up', {
        code: totp.generate({ timestamp: s.clock.now() }),
      });
      assert.equal(good.status, 200, JSON.stringify(good.body));
      assert.equal((await preview(c, subject.id)).required, false);
      void user;
    } finally {
      await setWindow(0);
    }
  });

  it('R-IMP-17: an account with e-mail codes gets a step-up code by mail, valid once', async () => {
    await setWindow(5);
    try {
      const { client: c, user } = await s.signedInWith(['users.read', 'users.impersonate']);
      const switched = await s.admin.put(`/api/v1/admin/users/${user.id}/two-factor`, { method: 'email' });
      assert.equal(switched.status, 200, JSON.stringify(switched.body));
      const subject = await s.createUser({ password: strongPassword });
      s.clock.advance(6 * minute);
      assert.deepEqual((await preview(c, subject.id)).methods, ['password', 'email']);
      assert.equal(
        (await c.post('/api/v1/session/step-up', { code: '123456' })).body.code,
        'invalid_code',
        'none sent yet',
      );
      const sent = await c.post('/api/v1/session/step-up/code');
      assert.equal(sent.status, 204, JSON.stringify(sent.body));
      const mail = await s.services.database.db
        .selectFrom('outbox')
        .select(['subject', 'kind'])
        .where('recipient', '=', user.primaryEmail)
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .executeTakeFirstOrThrow();
      assert.equal(mail.kind, 'login_code', 'kept out of the outbox listing and the log');
      const code = /(\d{6})/.exec(mail.subject)![1]!;
      const wrongCode = code === '000000' ? '111111' : '000000';
      assert.equal((await c.post('/api/v1/session/step-up', { code: wrongCode })).body.code, 'invalid_code');
      const good = await c.post('/api/v1/session/step-up', { code });
      assert.equal(good.status, 200, JSON.stringify(good.body));
      assert.equal(
        (await c.post('/api/v1/session/step-up', { code })).body.code,
        'invalid_code',
        'used once',
      );
      assert.equal((await preview(c, subject.id)).required, false);
      const events = await auditEvents(s, `action=auth.step_up&userId=${user.id}`);
      assert.equal(events[0].details.method, 'email');
    } finally {
      await setWindow(0);
    }
  });

  it('R-IMP-17, R-ADM-14: a step-up e-mail code lives 10 minutes and checks 5 codes, as a login code does', async () => {
    // A higher lockout threshold, so that the code's own limit is what refuses here.
    assert.equal((await s.admin.patch('/api/v1/admin/settings', { lockout: { threshold: 20 } })).status, 200);
    try {
      const { client: c, user } = await s.signedInWith(['users.read', 'users.impersonate']);
      const switched = await s.admin.put(`/api/v1/admin/users/${user.id}/two-factor`, { method: 'email' });
      assert.equal(switched.status, 200, JSON.stringify(switched.body));
      const sendCode = async () => {
        // A later millisecond than the previous mail: ids within one millisecond are not ordered.
        s.clock.advance(1);
        assert.equal((await c.post('/api/v1/session/step-up/code')).status, 204);
        const mail = await s.services.database.db
          .selectFrom('outbox')
          .select(['subject', 'body_text'])
          .where('recipient', '=', user.primaryEmail)
          .orderBy('created_at', 'desc')
          .orderBy('id', 'desc')
          .executeTakeFirstOrThrow();
        return { code: /(\d{6})/.exec(mail.subject)![1]!, body: mail.body_text };
      };
      const prove = (code: string) => c.post('/api/v1/session/step-up', { code });

      const first = await sendCode();
      assert.match(first.body, /valid for 10 minutes/);
      s.clock.advance(10 * minute);
      assert.equal((await prove(first.code)).body.code, 'invalid_code', 'expired after 10 minutes');

      const second = await sendCode();
      const wrongCode = second.code === '000000' ? '111111' : '000000';
      for (let i = 0; i < 5; i++) assert.equal((await prove(wrongCode)).body.code, 'invalid_code');
      assert.equal((await prove(second.code)).body.code, 'invalid_code', 'five tries used up');

      const third = await sendCode();
      s.clock.advance(10 * minute - 1);
      const good = await prove(third.code);
      assert.equal(good.status, 200, JSON.stringify(good.body));
    } finally {
      await s.admin.patch('/api/v1/admin/settings', { lockout: { threshold: 5 } });
    }
  });

  it('R-IMP-17: no step-up code for an account without e-mail codes', async () => {
    const { client: c } = await s.signedInWith(['users.read', 'users.impersonate']);
    const res = await c.post('/api/v1/session/step-up/code');
    assert.equal(res.status, 422, JSON.stringify(res.body));
  });

  it('R-IMP-17, R-ADM-14: a wrong step-up password counts towards the same lockout as a login', async () => {
    const set = await s.admin.patch('/api/v1/admin/settings', { lockout: { threshold: 3 } });
    assert.equal(set.status, 200);
    try {
      const { client: c, user } = await s.signedInWith(['users.read', 'users.impersonate']);
      assert.equal((await s.client().login(user.primaryEmail, 'wrong-at-login')).status, 401);
      for (let i = 0; i < 2; i++) {
        const wrong = await c.post('/api/v1/session/step-up', { password: 'wrong-here' });
        assert.equal(wrong.body.code, 'wrong_password', JSON.stringify(wrong.body));
      }
      // One wrong login and two wrong step-ups reach the threshold of 3: the account is locked.
      const locked = await c.post('/api/v1/session/step-up', { password: strongPassword });
      assert.equal(locked.status, 429, JSON.stringify(locked.body));
      assert.equal(locked.body.code, 'account_locked');
      assert.ok(Number(locked.headers.get('retry-after')) > 0);
      const login = await s.client().login(user.primaryEmail, strongPassword);
      assert.equal(login.status, 401, 'the login is locked too');
    } finally {
      await s.admin.patch('/api/v1/admin/settings', { lockout: { threshold: 5 } });
    }
  });

  it('R-IMP-17, R-OPS-05: parallel wrong step-ups check no more guesses than the lockout allows', async () => {
    const { client: c, user } = await s.signedInWith(['users.read', 'users.impersonate']);
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => c.post('/api/v1/session/step-up', { password: 'guess-guess' })),
    );
    const checked = answers.filter((a) => a.body.code === 'wrong_password').length;
    const lockedOut = answers.filter((a) => a.body.code === 'account_locked').length;
    assert.equal(checked + lockedOut, 20, JSON.stringify(answers.map((a) => a.body.code)));
    assert.ok(checked <= 5, `at most the threshold of 5 guesses were checked, not ${checked}`);
    const right = await c.post('/api/v1/session/step-up', { password: strongPassword });
    assert.equal(right.body.code, 'account_locked', 'the right password does not lift the lock');
    const failed = (await auditEvents(s, `action=auth.step_up_failed&userId=${user.id}`)).length;
    assert.ok(failed >= 15, 'every refused guess is audited');
  });

  it('R-IMP-17: nobody proves the subject’s credentials while acting', async () => {
    const user = await s.createUser({ password: strongPassword });
    const admin = await superadmin();
    await actAs(admin, user.id);
    const res = await admin.post('/api/v1/session/step-up', { password: strongPassword });
    assert.equal(res.status, 403, JSON.stringify(res.body));
    assert.equal(res.body.code, 'admin_unavailable_while_impersonating');
  });

  it('R-IMP-17: a malformed proof is a clear 422, without a guess counted', async () => {
    const admin = await superadmin();
    for (const body of [{}, { password: '' }, { code: '12ab' }, { password: 'x', code: '123456' }]) {
      const res = await admin.post('/api/v1/session/step-up', body);
      assert.equal(res.status, 422, JSON.stringify(body));
      assert.equal(res.body.code, 'validation_failed');
    }
  });
});

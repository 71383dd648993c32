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
import { actAs } from '../../test/impersonation-helpers.ts';

// My Profile over HTTP (R-ADM-16): the user's own profile, username (R-ADM-02), e-mails with a
// mailed code, sessions, two-factor (R-ADM-13), and what stays refused while an administrator
// acts as the user (R-IMP-04).

describe('My Profile: self-service API', () => {
  let s: TestServer;
  before(async () => {
    s = await startServer();
  });
  after(() => s.close());

  async function signedIn(overrides: Record<string, string> = {}): Promise<{ c: Client; user: any }> {
    const user = await s.createUser({ ...overrides, password: strongPassword });
    const c = s.client();
    const res = await c.login(user.primaryEmail, strongPassword);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return { c, user };
  }
  const eventsOf = async (id: string) =>
    (await s.admin.get(`/api/v1/admin/audit-events?targetId=${id}`)).body.items as any[];
  /** The code of the newest verification mail to `address`, read from the outbox. */
  async function mailedCode(address: string): Promise<string> {
    const row = await s.services.database.db
      .selectFrom('outbox')
      .select(['body_text', 'kind'])
      .where('recipient', '=', address)
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    assert.equal(row.kind, 'login_code', 'the code is hidden from the outbox listing');
    return /Code: (\d{6})/.exec(row.body_text)![1]!;
  }

  it('R-ADM-16: reads and changes names, gender and language; the session follows; audited', async () => {
    const { c, user } = await signedIn({ firstName: 'Ada', lastName: 'Byron' });
    const read = await c.get('/api/v1/account/profile');
    assert.equal(read.status, 200);
    assert.equal(read.body.displayName, 'Ada Byron');
    assert.equal(read.body.emails.length, 1);
    assert.ok(!('totpSecret' in read.body) && !('passwordHash' in read.body));
    const res = await c.patch('/api/v1/account/profile', {
      lastName: 'Lovelace',
      gender: 'female',
      language: 'de',
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.displayName, 'Ada Lovelace');
    assert.equal(res.body.language, 'de');
    const session = await c.get('/api/v1/session');
    assert.equal(session.body.user.language, 'de', 'the whole interface follows at once');
    assert.equal(session.body.user.displayName, 'Ada Lovelace');
    const [event] = await eventsOf(user.id);
    assert.equal(event.action, 'account.profile_updated');
    assert.deepEqual(event.changes, {
      lastName: { before: 'Byron', after: 'Lovelace' },
      gender: { before: 'unspecified', after: 'female' },
      language: { before: 'en', after: 'de' },
    });
    const bad = await c.patch('/api/v1/account/profile', { firstName: ' ', role: 'superadmin' });
    assert.equal(bad.status, 422);
    assert.equal(bad.body.code, 'validation_failed');
  });

  it('R-ADM-02: the user changes their own username; unique regardless of case (409 username_taken)', async () => {
    await s.createUser({ username: 'Taken.Name' });
    const { c, user } = await signedIn({ username: 'old.name' });
    const taken = await c.patch('/api/v1/account/profile', { username: 'taken.NAME' });
    assert.equal(taken.status, 409);
    assert.equal(taken.body.code, 'username_taken');
    const invalid = await c.patch('/api/v1/account/profile', { username: 'a@b' });
    assert.equal(invalid.status, 422);
    const ok = await c.patch('/api/v1/account/profile', { username: 'New.Name' });
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
    assert.equal(ok.body.username, 'New.Name');
    const relogin = await s.client().login('new.name', strongPassword);
    assert.equal(relogin.status, 200, 'signs in with the new username');
    assert.equal((await eventsOf(user.id))[0].changes.username.after, 'New.Name');
  });

  it('R-ADM-16: adds an address, verifies it with the mailed code (single use), makes it primary, removes the old one', async () => {
    const { c, user } = await signedIn();
    const address = `second-${Date.now()}@example.test`;
    const added = await c.post('/api/v1/account/emails', { address });
    assert.equal(added.status, 201, JSON.stringify(added.body));
    const email = added.body.emails.find((e: any) => e.address === address);
    assert.deepEqual([email.verified, email.primary, email.verificationPending], [false, false, true]);
    const stored = await s.services.database.db
      .selectFrom('email_verifications')
      .selectAll()
      .executeTakeFirstOrThrow();
    const code = await mailedCode(address);
    assert.notEqual(stored.code_hash, code, 'only a hash of the code is stored');
    assert.equal(stored.expires_at, s.clock.now() + 24 * 3_600_000);

    const again = await c.post('/api/v1/account/emails', { address: address.toUpperCase() });
    assert.equal(again.status, 409);
    assert.equal(again.body.code, 'email_exists');
    const early = await c.put(`/api/v1/account/emails/${email.id}/primary`);
    assert.equal(early.status, 422);
    assert.equal(early.body.code, 'email_not_verified');
    const wrong = await c.post(`/api/v1/account/emails/${email.id}/verify`, {
      code: code === '000000' ? '111111' : '000000',
    });
    assert.equal(wrong.status, 422);
    assert.equal(wrong.body.code, 'invalid_code');

    const verified = await c.post(`/api/v1/account/emails/${email.id}/verify`, { code });
    assert.equal(verified.status, 200, JSON.stringify(verified.body));
    assert.equal(verified.body.emails.find((e: any) => e.id === email.id).verified, true);
    // No code waits any more: even the right one is not accepted again (a 200 means compared).
    const twice = await c.post(`/api/v1/account/emails/${email.id}/verify`, { code });
    assert.equal(twice.status, 422);
    assert.equal(twice.body.code, 'invalid_code');

    const primary = await c.put(`/api/v1/account/emails/${email.id}/primary`);
    assert.equal(primary.status, 200);
    assert.equal(primary.body.primaryEmail, address);
    const old = primary.body.emails.find((e: any) => e.id !== email.id);
    const removePrimary = await c.delete(`/api/v1/account/emails/${email.id}`);
    assert.equal(removePrimary.body.code, 'primary_email');
    const removed = await c.delete(`/api/v1/account/emails/${old.id}`);
    assert.equal(removed.status, 200);
    assert.deepEqual(
      removed.body.emails.map((e: any) => e.address),
      [address],
    );
    const removeLast = await c.delete(`/api/v1/account/emails/${email.id}`);
    assert.equal(removeLast.body.code, 'last_email');
    const actions = (await eventsOf(user.id)).map((e) => e.action);
    for (const a of [
      'account.email_added',
      'account.email_verified',
      'account.email_primary_set',
      'account.email_removed',
    ])
      assert.ok(actions.includes(a), a);
  });

  it('R-ADM-16: a code expires after 24 hours and is spent by too many wrong tries; resending gives a new one', async () => {
    const { c } = await signedIn();
    const address = `late-${Date.now()}@example.test`;
    const email = (await c.post('/api/v1/account/emails', { address })).body.emails.find(
      (e: any) => e.address === address,
    );
    const first = await mailedCode(address);
    // 24 hours later (moving the clock would end the test's sessions too).
    await s.services.database.db
      .updateTable('email_verifications')
      .set({ expires_at: s.clock.now() })
      .where('email_id', '=', email.id)
      .execute();
    const late = await c.post(`/api/v1/account/emails/${email.id}/verify`, { code: first });
    assert.equal(late.body.code, 'invalid_code');
    assert.equal((await c.post(`/api/v1/account/emails/${email.id}/verification`)).status, 200);
    const second = await mailedCode(address);
    for (let i = 0; i < 5; i++) {
      await c.post(`/api/v1/account/emails/${email.id}/verify`, {
        code: second === '999999' ? '000001' : '999999',
      });
    }
    const spent = await c.post(`/api/v1/account/emails/${email.id}/verify`, { code: second });
    assert.equal(spent.body.code, 'invalid_code', 'after five wrong tries even the right code is spent');
  });

  it('R-ADM-16: lists own sessions with the current one marked, ends one, ends all others', async () => {
    const { c, user } = await signedIn();
    const other1 = s.client();
    const other2 = s.client();
    await other1.login(user.primaryEmail, strongPassword);
    await other2.login(user.primaryEmail, strongPassword);
    const list = await c.get('/api/v1/account/sessions');
    assert.equal(list.status, 200);
    assert.equal(list.body.items.length, 3);
    assert.equal(list.body.items.filter((x: any) => x.current).length, 1);
    const current = list.body.items.find((x: any) => x.current);
    const self = await c.delete(`/api/v1/account/sessions/${current.id}`);
    assert.equal(self.status, 422);
    const target = list.body.items.find((x: any) => !x.current);
    assert.equal((await c.delete(`/api/v1/account/sessions/${target.id}`)).status, 204);
    assert.equal((await c.delete(`/api/v1/account/sessions/${target.id}`)).body.code, 'session_not_found');
    const rest = await c.delete('/api/v1/account/sessions');
    assert.deepEqual(rest.body, { ended: 1 });
    assert.equal((await other1.get('/api/v1/session')).status, 401);
    assert.equal((await other2.get('/api/v1/session')).status, 401);
    assert.equal((await c.get('/api/v1/session')).status, 200, 'this one stays');
    // Someone else's session is not found.
    const stranger = await signedIn();
    const theirs = (await stranger.c.get('/api/v1/account/sessions')).body.items[0];
    assert.equal((await c.delete(`/api/v1/account/sessions/${theirs.id}`)).status, 404);
  });

  it('R-ADM-13: enrols an authenticator app (confirmed by a code), switches to e-mail, switches off with the password', async () => {
    const { c, user } = await signedIn();
    const started = await c.post('/api/v1/account/two-factor/totp');
    assert.equal(started.status, 201, JSON.stringify(started.body));
    assert.match(started.body.uri, /^otpauth:\/\/totp\/Behalf:.+secret=/);
    assert.equal(started.headers.get('cache-control'), 'no-store');
    assert.equal((await c.get('/api/v1/account/profile')).body.twoFactorMethod, 'none', 'nothing yet');
    const wrong = await c.post('/api/v1/account/two-factor/totp/confirm', { code: '000000' });
    assert.ok(wrong.status === 422 && wrong.body.code === 'invalid_code', JSON.stringify(wrong.body));
    const totp = new TOTP({ secret: Secret.fromBase32(started.body.manualEntryKey), digits: 6, period: 30 });
    const code = totp.generate({ timestamp: s.clock.now() });
    const confirmed = await c.post('/api/v1/account/two-factor/totp/confirm', { code });
    assert.equal(confirmed.status, 200, JSON.stringify(confirmed.body));
    assert.equal(confirmed.body.twoFactorMethod, 'totp');
    assert.ok(
      !JSON.stringify(confirmed.body).includes(started.body.manualEntryKey),
      'the secret never comes back',
    );
    const twice = await c.post('/api/v1/account/two-factor/totp/confirm', { code });
    assert.equal(twice.body.code, 'no_pending_enrolment');

    // Sign-in now asks the app.
    const login = await s.client().login(user.primaryEmail, strongPassword);
    assert.equal(login.body.secondFactorRequired, true);
    assert.equal(login.body.method, 'totp');

    const viaTotp = await c.put('/api/v1/account/two-factor', { method: 'totp' });
    assert.equal(viaTotp.body.code, 'totp_requires_enrolment');
    const email = await c.put('/api/v1/account/two-factor', { method: 'email' });
    assert.equal(email.body.twoFactorMethod, 'email');
    const noPassword = await c.put('/api/v1/account/two-factor', { method: 'none', password: 'wrong' });
    assert.equal(noPassword.status, 422);
    assert.equal(noPassword.body.code, 'wrong_password');
    const off = await c.put('/api/v1/account/two-factor', { method: 'none', password: strongPassword });
    assert.equal(off.body.twoFactorMethod, 'none');
    const row = await s.services.database.db
      .selectFrom('users')
      .select(['totp_secret'])
      .where('id', '=', user.id)
      .executeTakeFirstOrThrow();
    assert.equal(row.totp_secret, null, 'leaving the app drops its secret');
    const actions = (await eventsOf(user.id)).map((e) => e.action);
    assert.equal(actions.filter((a) => a === 'account.two_factor_changed').length, 3);
  });

  it('R-ADM-16: changing the password asks the current one (a wrong one is 422 wrong_password, not a sign-out)', async () => {
    const { c, user } = await signedIn();
    const wrong = await c.put('/api/v1/account/password', {
      currentPassword: 'nope',
      newPassword: 'Brand-New-Pass-77',
    });
    assert.equal(wrong.status, 422);
    assert.equal(wrong.body.code, 'wrong_password');
    assert.equal((await c.get('/api/v1/session')).status, 200);
    const ok = await c.put('/api/v1/account/password', {
      currentPassword: strongPassword,
      newPassword: 'Brand-New-Pass-77',
    });
    assert.equal(ok.status, 204);
    assert.equal((await s.client().login(user.primaryEmail, 'Brand-New-Pass-77')).status, 200);
  });

  it('R-IMP-04: while acting as the user, password, e-mail and two-factor routes are refused with blocked_during_impersonation', async () => {
    const { c: own, user } = await signedIn();
    const address = `pending-${Date.now()}@example.test`;
    const email = (await own.post('/api/v1/account/emails', { address })).body.emails.find(
      (e: any) => e.address === address,
    );
    const admin = s.client();
    await admin.login(adminEmail, adminPassword);
    await actAs(admin, user.id);
    const session = await admin.get('/api/v1/session');
    for (const cap of ['password.change', 'emails.change', 'two_factor.change'])
      assert.ok(session.body.blockedCapabilities.includes(cap), cap);

    const blocked: Array<[string, string, unknown?]> = [
      [
        'PUT',
        '/api/v1/account/password',
        { currentPassword: strongPassword, newPassword: 'Brand-New-Pass-77' },
      ],
      ['POST', '/api/v1/account/emails', { address: 'actor@example.test' }],
      ['POST', `/api/v1/account/emails/${email.id}/verification`],
      ['POST', `/api/v1/account/emails/${email.id}/verify`, { code: '123456' }],
      ['PUT', `/api/v1/account/emails/${email.id}/primary`],
      ['DELETE', `/api/v1/account/emails/${email.id}`],
      ['POST', '/api/v1/account/two-factor/totp'],
      ['POST', '/api/v1/account/two-factor/totp/confirm', { code: '123456' }],
      ['PUT', '/api/v1/account/two-factor', { method: 'none', password: strongPassword }],
    ];
    const before = (await own.get('/api/v1/account/profile')).body;
    for (const [method, path, body] of blocked) {
      const res = await admin.request(method, path, method === 'DELETE' ? undefined : (body ?? {}));
      assert.equal(res.status, 403, `${method} ${path}: ${JSON.stringify(res.body)}`);
      assert.equal(res.body.code, 'blocked_during_impersonation', `${method} ${path}`);
      assert.ok(res.body.capability, 'the problem names the capability');
    }
    assert.deepEqual((await own.get('/api/v1/account/profile')).body, before, 'nothing changed');

    // The rest of My Profile works for the acting administrator, audited with both identities.
    assert.equal((await admin.get('/api/v1/account/profile')).status, 200);
    const renamed = await admin.patch('/api/v1/account/profile', { firstName: 'Helped' });
    assert.equal(renamed.status, 200);
    const [event] = await eventsOf(user.id);
    assert.equal(event.action, 'account.profile_updated');
    assert.equal(
      event.actor.label ?? event.actorLabel ?? event.actor,
      event.actor.label ?? event.actorLabel ?? event.actor,
    );
    assert.ok(JSON.stringify(event).includes('Super Admin'), 'the real person is recorded');
    // Their list of sessions does not offer the impersonation session to end.
    const sessions = await admin.get('/api/v1/account/sessions');
    assert.ok(sessions.body.items.every((x: any) => !x.current));
  });
});

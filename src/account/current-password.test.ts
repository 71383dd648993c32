import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, strongPassword, type Client, type TestServer } from '../../test/harness.ts';

// Issue 7 #12 (R-ADM-14, R-ADM-16): the current password My Profile asks for is a password
// guess like a login's, so wrong ones count towards the same lockout, and a locked account is
// refused (429 account_locked) even with the right password.

const wrong = 'Not-The-Password-99';
const newPassword = 'Brand-New-Password-77';

describe('issue 7 #12: My Profile current-password checks count towards the lockout', () => {
  let s: TestServer;
  before(async () => {
    s = await startServer();
    const set = await s.admin.patch('/api/v1/admin/settings', {
      lockout: { threshold: 5, durationSeconds: 900 },
    });
    assert.equal(set.status, 200);
  });
  after(() => s.close());

  async function signedIn(): Promise<{ c: Client; user: any }> {
    const user = await s.createUser({ password: strongPassword });
    const c = s.client();
    assert.equal((await c.login(user.primaryEmail, strongPassword)).status, 200);
    return { c, user };
  }

  async function lockedEvents(userId: string): Promise<number> {
    const rows = await s.services.database.db
      .selectFrom('audit_events')
      .select('action')
      .where('target_id', '=', userId)
      .where('action', '=', 'auth.locked')
      .execute();
    return rows.length;
  }

  /** 20 wrong guesses: the first five are checked, the rest refused as locked. */
  async function twentyWrong(guess: () => Promise<{ status: number; body: any; headers: Headers }>) {
    const codes: string[] = [];
    for (let i = 0; i < 20; i++) {
      const res = await guess();
      codes.push(`${res.status} ${res.body.code}`);
      if (res.status === 429) assert.ok(Number(res.headers.get('retry-after')) > 0, 'says when to retry');
    }
    assert.deepEqual(codes, [
      ...Array.from({ length: 5 }, () => '422 wrong_password'),
      ...Array.from({ length: 15 }, () => '429 account_locked'),
    ]);
  }

  it('issue 7 #12: 20 wrong current passwords on PUT /account/password, then the right one, is refused as locked (R-ADM-14)', async () => {
    const { c, user } = await signedIn();
    await twentyWrong(() => c.put('/api/v1/account/password', { currentPassword: wrong, newPassword }));
    const right = await c.put('/api/v1/account/password', { currentPassword: strongPassword, newPassword });
    assert.equal(right.status, 429);
    assert.equal(right.body.code, 'account_locked');
    assert.equal(await lockedEvents(user.id), 1, 'the lock is audited');
    const view = (await s.admin.get(`/api/v1/admin/users/${user.id}`)).body;
    assert.ok(view.tags.includes('locked'));
    assert.equal(
      (await s.client().login(user.primaryEmail, strongPassword)).status,
      401,
      'login is locked too',
    );

    s.clock.advance(901_000);
    const later = await c.put('/api/v1/account/password', { currentPassword: strongPassword, newPassword });
    assert.equal(later.status, 204, 'the lock lifts by itself');
    const cleared = (await s.admin.get(`/api/v1/admin/users/${user.id}`)).body;
    assert.equal(cleared.failedLogins, 0, 'a right password clears the count');
    assert.equal((await s.client().login(user.primaryEmail, newPassword)).status, 200);
  });

  it('issue 7 #12: 20 wrong passwords when switching two-factor off, then the right one, is refused as locked (R-ADM-13, R-ADM-14)', async () => {
    const { c, user } = await signedIn();
    assert.equal((await c.put('/api/v1/account/two-factor', { method: 'email' })).status, 200);
    await twentyWrong(() => c.put('/api/v1/account/two-factor', { method: 'none', password: wrong }));
    const right = await c.put('/api/v1/account/two-factor', { method: 'none', password: strongPassword });
    assert.equal(right.status, 429);
    assert.equal(right.body.code, 'account_locked');
    assert.equal(await lockedEvents(user.id), 1, 'the lock is audited');
    const profile = await c.get('/api/v1/account/profile');
    assert.equal(profile.body.twoFactorMethod, 'email', 'still on');

    s.clock.advance(901_000);
    const later = await c.put('/api/v1/account/two-factor', { method: 'none', password: strongPassword });
    assert.equal(later.status, 200);
    assert.equal(later.body.twoFactorMethod, 'none');
  });
});

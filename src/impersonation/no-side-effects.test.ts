import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  adminEmail,
  adminPassword,
  startServer,
  strongPassword,
  type Client,
  type TestServer,
} from '../../test/harness.ts';
import { actAs, auditEvents } from '../../test/impersonation-helpers.ts';

// R-IMP-18, issue 12 #6, no side effects: acting as a user leaves what describes the user's
// own use of their account as it was: their last sign-in and last activity, their sessions,
// their lockout count, the read marks of their notifications, their preferences, and what they
// are asked to do themselves (terms aside, R-IMP-12).

const minute = 60_000;

describe('R-IMP-18: acting has no side effects on the user', () => {
  let s: TestServer;
  before(async () => {
    s = await startServer();
  });
  after(() => s.close());

  /** Everything about the subject that acting must not change, read from their own session and the admin API. */
  async function snapshot(own: Client, userId: string) {
    const db = s.services.database.db;
    const row = await db
      .selectFrom('users')
      .select(['failed_logins', 'locked_until', 'updated_at', 'version'])
      .where('id', '=', userId)
      .executeTakeFirstOrThrow();
    // Read before the user's own client asks anything (its requests touch its own session).
    const sessions = await db
      .selectFrom('sessions')
      .select(['id', 'created_at', 'last_seen_at', 'impersonation_id'])
      .where('user_id', '=', userId)
      .where('impersonation_id', 'is', null)
      .execute();
    const signIns = await auditEvents(s, `action=auth.login&userId=${userId}`);
    return {
      user: (await s.admin.get(`/api/v1/admin/users/${userId}`)).body,
      row: { ...row, locked_until: row.locked_until === null ? null : Number(row.locked_until) },
      sessions: sessions.map((r) => [r.id, Number(r.created_at), Number(r.last_seen_at)]),
      ownList: (await own.get('/api/v1/account/sessions')).body.items.length,
      notifications: (await own.get('/api/v1/account/notifications')).body.items.map(
        (n: { id: string; read: boolean }) => [n.id, n.read],
      ),
      preferences: (await own.get('/api/v1/account/preferences')).body,
      terms: (await own.get('/api/v1/account/terms')).body,
      signIns: signIns.length,
    };
  }

  it('R-IMP-18: last sign-in, last activity, sessions, lockout count, read marks and preferences stay as they were', async () => {
    const subject = await s.createUser({ password: strongPassword });
    const own = s.client();
    assert.equal((await own.login(subject.primaryEmail, strongPassword)).status, 200);
    // A wrong password of the user's own: acting must neither add to nor clear their count.
    assert.equal((await s.client().login(subject.primaryEmail, 'not-it')).status, 401);
    assert.equal((await own.put('/api/v1/account/preferences/theme', { value: 'dark' })).status, 204);
    const before = await snapshot(own, subject.id);

    s.clock.advance(5 * minute);
    const admin = s.client();
    assert.equal((await admin.login(adminEmail, adminPassword)).status, 200);
    await actAs(admin, subject.id);
    // Long enough apart that any "last seen" write would show.
    for (const path of [
      '/api/v1/session',
      '/api/v1/account/profile',
      '/api/v1/account/sessions',
      '/api/v1/account/notifications',
      '/api/v1/account/terms',
      '/api/v1/account/preferences',
    ]) {
      s.clock.advance(2 * minute);
      assert.equal((await admin.get(path)).status, 200, path);
    }
    assert.equal((await admin.put('/api/v1/account/preferences/theme', { value: 'light' })).status, 204);
    for (const id of before.notifications.map(([id]: [string]) => id)) {
      await admin.post(`/api/v1/account/notifications/${id}/read`);
    }
    assert.equal(
      (await admin.put('/api/v1/account/password', { currentPassword: 'x', newPassword: 'y' })).status,
      403,
    );
    assert.equal((await admin.post('/api/v1/session/step-up', { password: 'wrong' })).status, 403);
    s.clock.advance(2 * minute);
    assert.equal((await admin.delete('/api/v1/impersonation')).status, 200);

    const afterwards = await snapshot(own, subject.id);
    // The start and end notices are new (R-IMP-09); they arrive unread. Nothing else differs.
    const fresh = afterwards.notifications.filter(
      ([id]: [string]) => !before.notifications.some(([b]: [string]) => b === id),
    );
    assert.ok(fresh.length >= 1 && fresh.every(([, read]: [string, boolean]) => read === false));
    assert.deepEqual(
      { ...afterwards, notifications: afterwards.notifications.filter((n: unknown) => !fresh.includes(n)) },
      before,
    );
  });
});

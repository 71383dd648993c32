import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, strongPassword, type TestServer } from '../../test/harness.ts';

// R-ADM-15: deleting a user needs their ID typed again, ends their sessions, and leaves the
// audit trail readable.

describe('admin: delete a user (R-ADM-15)', () => {
  let s: TestServer;
  const path = (id: string, confirm?: string) =>
    `/api/v1/admin/users/${id}${confirm === undefined ? '' : `?confirm=${encodeURIComponent(confirm)}`}`;
  const rowsOf = async (table: 'sessions' | 'user_emails', userId: string) =>
    (await s.services.database.db.selectFrom(table).select('id').where('user_id', '=', userId).execute())
      .length;

  before(async () => {
    s = await startServer();
  });
  after(() => s.close());

  it('R-ADM-15: without the ID typed as confirmation nothing is deleted (422 confirmation_required)', async () => {
    const u = await s.createUser();
    const other = await s.createUser();
    for (const confirm of [undefined, '', 'yes', other.id, u.id.slice(0, -1)]) {
      const res = await s.admin.delete(path(u.id, confirm));
      assert.equal(res.status, 422, String(confirm));
      assert.equal(res.body.code, 'confirmation_required');
      assert.equal(res.body.errors[0].field, 'confirm');
      assert.match(res.body.detail, new RegExp(u.id));
    }
    assert.equal((await s.admin.get(path(u.id))).status, 200, 'still there');
    const unknownParam = await s.admin.delete(`${path(u.id, u.id)}&force=1`);
    assert.equal(unknownParam.status, 422);
    assert.equal((await s.admin.get(path(u.id))).status, 200);
  });

  it("R-ADM-15: deleting ends the user's sessions at once and removes the profile with its addresses", async () => {
    const { client, user } = await s.signedInWith([]);
    assert.equal((await client.get('/api/v1/session')).status, 200);
    const res = await s.admin.delete(path(user.id, ` ${user.id.toUpperCase()} `));
    assert.equal(res.status, 204, 'case and blanks around the typed ID are forgiven');
    assert.equal((await client.get('/api/v1/session')).status, 401, 'signed out at once');
    const gone = await s.admin.get(path(user.id));
    assert.equal(gone.status, 404);
    assert.equal(gone.body.code, 'user_not_found');
    assert.equal(await rowsOf('sessions', user.id), 0);
    assert.equal(await rowsOf('user_emails', user.id), 0);
    assert.equal((await s.client().login(user.primaryEmail, strongPassword)).status, 401);
    assert.equal((await s.admin.delete(path(user.id, user.id))).status, 404, 'deleting twice: 404');
  });

  it('R-ADM-15: the audit trail about a deleted user stays readable', async () => {
    const u = await s.createUser({ firstName: 'Gone', lastName: 'Butremembered', username: 'gone.user' });
    await s.admin.patch(path(u.id), { language: 'de' });
    assert.equal((await s.admin.delete(path(u.id, u.id))).status, 204);
    const trail = await s.admin.get(`/api/v1/admin/audit-events?targetId=${u.id}`);
    assert.equal(trail.status, 200);
    assert.deepEqual(
      trail.body.items.map((e: any) => e.action),
      ['user.deleted', 'user.updated', 'user.created'],
    );
    const [deleted] = trail.body.items;
    for (const e of trail.body.items) assert.equal(e.target.label, 'Gone Butremembered');
    assert.equal(deleted.changes.username.before, 'gone.user');
    assert.equal(deleted.changes.primaryEmail.before, u.primaryEmail);
    assert.equal(deleted.changes.primaryEmail.after, null);
    const me = (await s.admin.get('/api/v1/session')).body.user;
    assert.equal(deleted.actor.id, me.id);
  });

  it('R-ADM-15: a verified address of a deleted user is free again', async () => {
    const u = await s.createUser();
    await s.admin.post(`${path(u.id)}/emails/${u.emails[0].id}/verify`);
    const body = { email: u.primaryEmail, firstName: 'New', lastName: 'Owner' };
    assert.equal((await s.admin.post('/api/v1/admin/users', body)).status, 409);
    assert.equal((await s.admin.delete(path(u.id, u.id))).status, 204);
    assert.equal((await s.admin.post('/api/v1/admin/users', body)).status, 201);
  });

  it('R-ADM-15, R-OPS-03: a delete with a stale If-Match gets 412 and deletes nothing', async () => {
    const u = await s.createUser();
    const seen = (await s.admin.get(path(u.id))).headers.get('etag')!;
    await s.admin.patch(path(u.id), { firstName: 'Changed' });
    const res = await s.admin.delete(path(u.id, u.id), { 'if-match': seen });
    assert.equal(res.status, 412);
    assert.equal((await s.admin.get(path(u.id))).body.firstName, 'Changed');
    const current = (await s.admin.get(path(u.id))).headers.get('etag')!;
    assert.equal((await s.admin.delete(path(u.id, u.id), { 'if-match': current })).status, 204);
  });

  it('R-ADM-15, R-ADM-07: deleting needs the users.delete permission', async () => {
    const u = await s.createUser();
    const editor = await s.signedInWith(['users.read', 'users.update']);
    const denied = await editor.client.delete(path(u.id, u.id));
    assert.equal(denied.status, 403);
    assert.equal(denied.body.code, 'missing_permission');
    const deleter = await s.signedInWith(['users.read', 'users.delete']);
    assert.equal((await deleter.client.delete(path(u.id, u.id))).status, 204);
  });
});

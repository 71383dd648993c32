import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { startServer, strongPassword, type TestServer } from '../../test/harness.ts';

// PATCH /api/v1/admin/users/:id: profile edits (R-ADM-03), the username rule (R-ADM-02),
// activation (R-ADM-05), and what R-OPS-03 asks of every change: bad input and stale edits
// change nothing, concurrent edits are not lost, and a failed audit write undoes the change.

describe('admin: edit a user (PATCH)', () => {
  let s: TestServer;
  const path = (id: string) => `/api/v1/admin/users/${id}`;
  const read = (id: string) => s.admin.get(path(id));
  const eventsOf = async (id: string) =>
    (await s.admin.get(`/api/v1/admin/audit-events?targetId=${id}`)).body.items as any[];
  const searchText = async (id: string) =>
    (
      await s.services.database.db
        .selectFrom('users')
        .select('search_text')
        .where('id', '=', id)
        .executeTakeFirstOrThrow()
    ).search_text;

  before(async () => {
    s = await startServer();
  });
  after(() => s.close());

  it('R-ADM-03: changes names, gender and language; answers the user with a new ETag; audits before/after', async () => {
    const user = await s.createUser({ firstName: 'Marie', lastName: 'Curie' });
    const etag = (await read(user.id)).headers.get('etag')!;
    const res = await s.admin.patch(
      path(user.id),
      { lastName: 'Skłodowska-Curie', gender: 'female', language: 'de' },
      { 'if-match': etag },
    );
    assert.equal(res.status, 200);
    assert.equal(res.body.displayName, 'Marie Skłodowska-Curie');
    assert.equal(res.body.language, 'de');
    assert.equal(res.headers.get('etag'), '"user-2"');
    assert.deepEqual(await read(user.id).then((r) => r.body), res.body);
    const [event] = await eventsOf(user.id);
    assert.equal(event.action, 'user.updated');
    assert.deepEqual(event.changes, {
      lastName: { before: 'Curie', after: 'Skłodowska-Curie' },
      gender: { before: 'unspecified', after: 'female' },
      language: { before: 'en', after: 'de' },
    });
    const text = await searchText(user.id);
    // Folded for the search (issue 10 #15): "ł" is indexed as "l".
    assert.ok(text.startsWith('marie sklodowska-curie '), `the admin search finds the new name: ${text}`);
  });

  it('R-ADM-03: a PATCH that changes nothing keeps the ETag and writes no event', async () => {
    const user = await s.createUser({ firstName: 'Same' });
    const res = await s.admin.patch(path(user.id), { firstName: 'Same' });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('etag'), '"user-1"');
    assert.deepEqual((await s.admin.patch(path(user.id), {})).body, res.body);
    assert.deepEqual(
      (await eventsOf(user.id)).map((e) => e.action),
      ['user.created'],
    );
  });

  it('R-ADM-02: an administrator cannot change the username (422 username_admin_immutable, nothing changed)', async () => {
    const user = await s.createUser({ username: 'fixed.name' });
    for (const body of [
      { username: 'other.name' },
      { username: 'fixed.name' },
      { firstName: 'X', username: 'y' },
    ]) {
      const res = await s.admin.patch(path(user.id), body);
      assert.equal(res.status, 422, JSON.stringify(body));
      assert.equal(res.body.code, 'username_admin_immutable');
      assert.match(res.body.detail, /only the user can/);
      assert.deepEqual(res.body.errors, [
        { field: 'username', message: 'cannot be changed by an administrator', kind: 'admin_immutable' },
      ]);
    }
    const after = await read(user.id);
    assert.equal(after.body.username, 'fixed.name');
    assert.equal(after.body.firstName, user.firstName);
    assert.equal(after.headers.get('etag'), '"user-1"');
    const reader = await s.signedInWith(['users.read']);
    const denied = await reader.client.patch(path(user.id), { username: 'x' });
    assert.equal(denied.status, 403, 'who may not edit users learns nothing about the rule');
  });

  it("R-ADM-05: deactivating ends all the user's sessions at once; an inactive user cannot log in", async () => {
    const { client, user } = await s.signedInWith([]);
    const second = s.client();
    assert.equal((await second.login(user.primaryEmail, strongPassword)).status, 200);
    assert.equal((await client.get('/api/v1/session')).status, 200, 'the session is cached now');

    const res = await s.admin.patch(path(user.id), { active: false });
    assert.equal(res.status, 200);
    assert.equal(res.body.active, false);
    assert.ok(res.body.tags.includes('inactive'));
    assert.equal((await client.get('/api/v1/session')).status, 401, 'ended at once, cache included');
    assert.equal((await second.get('/api/v1/session')).status, 401);
    const rows = await s.services.database.db
      .selectFrom('sessions')
      .select('id')
      .where('user_id', '=', user.id)
      .execute();
    assert.equal(rows.length, 0, 'the session rows are gone');

    const login = await s.client().login(user.primaryEmail, strongPassword);
    assert.equal(login.status, 401);
    assert.equal(login.body.code, 'invalid_credentials', 'answers like a wrong password');
    const events = await eventsOf(user.id);
    // The refused login is audited like every failed one, the newest event (issue 7 #13).
    assert.equal(events[0].action, 'auth.login_failed', 'the failed login is audited');
    assert.deepEqual(events[0].details, { inactive: true });
    const deactivated = events.find((e) => e.action === 'user.deactivated');
    assert.ok(deactivated, 'the deactivation is audited');
    assert.deepEqual(deactivated.changes, { active: { before: true, after: false } });

    const back = await s.admin.patch(path(user.id), { active: true });
    assert.deepEqual(back.body.tags, ['active']);
    assert.equal((await eventsOf(user.id))[0].action, 'user.activated');
    assert.equal((await s.client().login(user.primaryEmail, strongPassword)).status, 200);
  });

  it('R-OPS-03: a stale If-Match gets 412 and leaves the user as it was', async () => {
    const user = await s.createUser();
    const seen = (await read(user.id)).headers.get('etag')!;
    const first = await s.admin.patch(path(user.id), { firstName: 'First' }, { 'if-match': seen });
    assert.equal(first.status, 200);
    const stale = await s.admin.patch(
      path(user.id),
      { firstName: 'Second', active: false },
      { 'if-match': seen },
    );
    assert.equal(stale.status, 412);
    assert.equal(stale.body.code, 'precondition_failed');
    const now = await read(user.id);
    assert.deepEqual(now.body, first.body);
    assert.equal(now.headers.get('etag'), first.headers.get('etag'));

    const garbage = await s.admin.patch(
      path(user.id),
      { firstName: 'Third' },
      { 'if-match': 'W/"whatever"' },
    );
    assert.equal(garbage.status, 412);
    const any = await s.admin.patch(path(user.id), { firstName: 'Fourth' }, { 'if-match': '*' });
    assert.equal(any.status, 200);
  });

  it('R-OPS-03: of two concurrent edits made from the same version, one wins and the other gets 412', async () => {
    const user = await s.createUser();
    const etag = (await read(user.id)).headers.get('etag')!;
    const results = await Promise.all(
      ['Left', 'Right'].map((firstName) => s.admin.patch(path(user.id), { firstName }, { 'if-match': etag })),
    );
    assert.deepEqual(results.map((r) => r.status).sort(), [200, 412]);
    const winner = results.find((r) => r.status === 200)!;
    assert.equal((await read(user.id)).body.firstName, winner.body.firstName);
  });

  it('R-OPS-03: concurrent edits without If-Match are all applied, none lost', async () => {
    const user = await s.createUser();
    const results = await Promise.all([
      s.admin.patch(path(user.id), { firstName: 'Concurrent' }),
      s.admin.patch(path(user.id), { lastName: 'Writers' }),
      s.admin.patch(path(user.id), { language: 'de' }),
      s.admin.patch(path(user.id), { gender: 'diverse' }),
    ]);
    assert.deepEqual(
      results.map((r) => r.status),
      [200, 200, 200, 200],
    );
    const final = (await read(user.id)).body;
    assert.deepEqual(
      [final.firstName, final.lastName, final.language, final.gender],
      ['Concurrent', 'Writers', 'de', 'diverse'],
    );
    assert.equal((await read(user.id)).headers.get('etag'), '"user-5"');
  });

  it('R-OPS-03: bad input gets 422 naming the field and changes nothing', async () => {
    const user = await s.createUser();
    const before = await read(user.id);
    const cases: Array<[unknown, string]> = [
      [{ firstName: 'x'.repeat(101) }, 'firstName'],
      [{ lastName: '' }, 'lastName'],
      [{ language: 'fr' }, 'language'],
      [{ gender: 'none' }, 'gender'],
      [{ active: 'no' }, 'active'],
      [{ firstName: 'Ok', email: 'a@b.example' }, '(body)'],
      [{ role: 'superadmin' }, '(body)'],
      [[], '(body)'],
    ];
    for (const [body, field] of cases) {
      const res = await s.admin.patch(path(user.id), body);
      assert.equal(res.status, 422, JSON.stringify(body));
      assert.ok(
        res.body.errors.some((e: { field: string }) => e.field === field),
        `${JSON.stringify(res.body.errors)} names ${field}`,
      );
    }
    const after = await read(user.id);
    assert.deepEqual(after.body, before.body);
    assert.equal(after.headers.get('etag'), before.headers.get('etag'));
  });

  it('R-OPS-03: a change whose audit event cannot be written leaves neither the change nor the event', async () => {
    const { client, user } = await s.signedInWith([]);
    const before = await read(user.id);
    const eventsBefore = await eventsOf(user.id);
    const db = s.services.database.db;
    // Take the audit table away inside this test's own database: every audit insert now fails
    // at the database, after the user row was already updated in the same transaction.
    await sql`ALTER TABLE audit_events RENAME TO audit_events_away`.execute(db);
    let patch, added;
    try {
      patch = await s.admin.patch(path(user.id), { firstName: 'Never', active: false });
      added = await s.admin.post(`${path(user.id)}/emails`, {
        address: 'never@example.test',
        verified: true,
      });
    } finally {
      await sql`ALTER TABLE audit_events_away RENAME TO audit_events`.execute(db);
    }
    assert.equal(patch.status, 500);
    assert.equal(patch.body.code, 'internal_error');
    assert.equal(added.status, 500);
    const after = await read(user.id);
    assert.deepEqual(after.body, before.body, 'names, active flag and addresses unchanged');
    assert.equal(after.headers.get('etag'), before.headers.get('etag'));
    assert.deepEqual(await eventsOf(user.id), eventsBefore, 'and no event');
    assert.equal((await client.get('/api/v1/session')).status, 200, 'the deactivation did not happen');
    const stray = await db
      .selectFrom('user_emails')
      .select('id')
      .where('address_lower', '=', 'never@example.test')
      .execute();
    assert.equal(stray.length, 0);
  });
});

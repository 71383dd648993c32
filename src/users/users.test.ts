import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, strongPassword, type TestServer } from '../../test/harness.ts';

// R-ADM-01 (create) and R-ADM-03 (what a profile shows), over HTTP against a real database.

const base = { firstName: 'Ada', lastName: 'Lovelace', gender: 'female', language: 'en' };
let n = 0;
const uniqueEmail = () => `create${++n}-${process.pid}@example.test`;

describe('admin: create and read users', () => {
  let s: TestServer;
  const countUsers = async () =>
    Number(
      (
        await s.services.database.db
          .selectFrom('users')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  before(async () => {
    s = await startServer();
  });
  after(() => s.close());

  it('R-ADM-01: creates the minimal profile at once, with an ETag and an audit event', async () => {
    const email = uniqueEmail();
    const res = await s.admin.post('/api/v1/admin/users', { ...base, email, username: 'ada.l' });
    assert.equal(res.status, 201);
    assert.match(res.headers.get('etag')!, /^"user-1"$/);
    assert.equal(res.headers.get('location'), `/api/v1/admin/users/${res.body.id}`);
    assert.equal(res.body.primaryEmail, email);
    assert.equal(res.body.username, 'ada.l');
    assert.equal(res.body.displayName, 'Ada Lovelace');
    assert.deepEqual(
      res.body.emails.map((e: any) => [e.address, e.primary, e.verified]),
      [[email, true, false]],
    );
    const read = await s.admin.get(`/api/v1/admin/users/${res.body.id}`);
    assert.deepEqual(read.body, res.body);
    const events = await s.admin.get(`/api/v1/admin/audit-events?targetId=${res.body.id}`);
    assert.equal(events.body.items[0].action, 'user.created');
    assert.equal(events.body.items[0].changes.email.after, email);
  });

  it('R-ADM-01: username and the personal fields are optional with defaults', async () => {
    const res = await s.admin.post('/api/v1/admin/users', {
      email: uniqueEmail(),
      firstName: 'No',
      lastName: 'Username',
    });
    assert.equal(res.status, 201);
    assert.equal(res.body.username, null);
    assert.equal(res.body.gender, 'unspecified');
    assert.equal(res.body.language, 'en');
  });

  it('R-ADM-01, R-ADM-07: a system administrator creates users only with users.create', async () => {
    const without = await s.signedInWith(['users.read']);
    const denied = await without.client.post('/api/v1/admin/users', { ...base, email: uniqueEmail() });
    assert.equal(denied.status, 403);
    assert.equal(denied.body.code, 'missing_permission');
    const withIt = await s.signedInWith(['users.create']);
    const made = await withIt.client.post('/api/v1/admin/users', { ...base, email: uniqueEmail() });
    assert.equal(made.status, 201);
  });

  it('R-ADM-01: a duplicate username gets 409 username_taken, case-insensitively', async () => {
    const first = await s.admin.post('/api/v1/admin/users', {
      ...base,
      email: uniqueEmail(),
      username: 'Grace.H',
    });
    assert.equal(first.status, 201);
    const before = await countUsers();
    const again = await s.admin.post('/api/v1/admin/users', {
      ...base,
      email: uniqueEmail(),
      username: 'grace.h',
    });
    assert.equal(again.status, 409);
    assert.equal(again.body.code, 'username_taken');
    assert.deepEqual(again.body.errors, [{ field: 'username', message: 'is already taken', kind: 'taken' }]);
    assert.equal(await countUsers(), before, 'nothing was created');
  });

  it('R-ADM-01, R-ADM-09: an address verified in another profile gets 409 email_taken', async () => {
    const email = uniqueEmail();
    const owner = await s.createUser({ email });
    const verified = await s.admin.post(
      `/api/v1/admin/users/${owner.id}/emails/${owner.emails[0].id}/verify`,
    );
    assert.equal(verified.status, 200);
    const res = await s.admin.post('/api/v1/admin/users', { ...base, email: email.toUpperCase() });
    assert.equal(res.status, 409);
    assert.equal(res.body.code, 'email_taken');
    assert.equal(res.body.errors[0].field, 'email');
  });

  it('R-ADM-01, R-OPS-03: bad input gets 422 naming the field, and creates nothing', async () => {
    const before = await countUsers();
    const cases: Array<[Record<string, unknown>, string, string?]> = [
      [{ ...base, email: 'not-an-address' }, 'email'],
      [{ ...base, email: `${'a'.repeat(250)}@example.test` }, 'email', 'email_too_long'],
      [{ ...base, email: uniqueEmail(), language: 'fr' }, 'language'],
      [{ ...base, email: uniqueEmail(), gender: 'robot' }, 'gender'],
      [{ ...base, email: uniqueEmail(), firstName: 'x'.repeat(101) }, 'firstName'],
      [{ ...base, email: uniqueEmail(), lastName: '   ' }, 'lastName'],
      [{ ...base, email: uniqueEmail(), username: 'u'.repeat(65) }, 'username'],
      [{ ...base, email: uniqueEmail(), username: 'has space' }, 'username', 'username_invalid'],
      [{ ...base, email: uniqueEmail(), role: 'superadmin' }, '(body)'],
      [{ email: uniqueEmail() }, 'firstName'],
    ];
    for (const [body, field, code = 'validation_failed'] of cases) {
      const res = await s.admin.post('/api/v1/admin/users', body);
      assert.equal(res.status, 422, JSON.stringify(body));
      assert.equal(res.body.code, code);
      assert.ok(
        res.body.errors.some((e: { field: string }) => e.field === field),
        `${JSON.stringify(res.body.errors)} names ${field}`,
      );
    }
    assert.equal(await countUsers(), before);
  });

  it('R-ADM-01, R-OPS-03: of 10 concurrent creates of one username exactly one wins', async () => {
    const results = await Promise.all(
      Array.from({ length: 10 }, () =>
        s.admin.post('/api/v1/admin/users', { ...base, email: uniqueEmail(), username: 'Racer' }),
      ),
    );
    const statuses = results.map((r) => r.status).sort();
    assert.deepEqual(statuses, [201, ...Array<number>(9).fill(409)]);
    for (const r of results.filter((x) => x.status === 409)) assert.equal(r.body.code, 'username_taken');
    const rows = await s.services.database.db
      .selectFrom('users')
      .select('id')
      .where('username_lower', '=', 'racer')
      .execute();
    assert.equal(rows.length, 1);
  });

  it('R-ADM-03: a profile shows name, addresses, ID, exact creation time and computed tags', async () => {
    const created = s.clock.now();
    const user = await s.createUser({ password: strongPassword });
    const res = await s.admin.get(`/api/v1/admin/users/${user.id}`);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('etag'), '"user-2"', 'created, then its password set');
    assert.equal(res.body.createdAt, new Date(created).toISOString(), 'to the millisecond, for the hover');
    assert.deepEqual(res.body.tags, ['active']);
    for (const secret of ['passwordHash', 'password_hash', 'totpSecret', 'totp_secret', 'version']) {
      assert.ok(!(secret in res.body), `${secret} never serializes`);
    }

    await s.admin.put(`/api/v1/admin/users/${user.id}/permissions`, { general: [], system: ['users.read'] });
    await s.admin.patch('/api/v1/admin/settings', { lockout: { threshold: 1, durationSeconds: 60 } });
    await s.client().login(user.primaryEmail, 'Wrong-password-123');
    await s.admin.patch(`/api/v1/admin/users/${user.id}`, { active: false });
    const tagged = await s.admin.get(`/api/v1/admin/users/${user.id}`);
    assert.deepEqual(tagged.body.tags, ['inactive', 'system-administrator', 'locked']);
    await s.admin.patch('/api/v1/admin/settings', { lockout: { threshold: 5, durationSeconds: 900 } });

    const me = (await s.admin.get('/api/v1/session')).body.user;
    const admin = await s.admin.get(`/api/v1/admin/users/${me.id}`);
    assert.deepEqual(admin.body.tags, ['active', 'superadmin']);
  });

  it('R-ADM-03: unknown or malformed user IDs get 404', async () => {
    const unknown = await s.admin.get('/api/v1/admin/users/019a1b2c-3d4e-7f60-8a7b-9c0d1e2f3a4b');
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.code, 'user_not_found');
    assert.equal((await s.admin.get('/api/v1/admin/users/not-an-id')).status, 404);
  });
});

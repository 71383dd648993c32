import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, strongPassword, type TestServer } from '../../test/harness.ts';

// R-ADM-09: a user's e-mail addresses as an administrator manages them, over HTTP.

describe('admin: e-mail addresses (R-ADM-09)', () => {
  let s: TestServer;
  let n = 0;
  const address = (tag = 'mail') => `${tag}${++n}-${process.pid}@example.test`;
  const base = (id: string) => `/api/v1/admin/users/${id}/emails`;
  const read = (id: string) => s.admin.get(`/api/v1/admin/users/${id}`);
  const emailOf = (user: any, addr: string) =>
    user.emails.find((e: any) => e.address.toLowerCase() === addr.toLowerCase());
  const row = (id: string) =>
    s.services.database.db
      .selectFrom('users')
      .select(['primary_email', 'search_text'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
  const mailCount = async () =>
    (await s.services.database.db.selectFrom('outbox').select('id').execute()).length;

  before(async () => {
    s = await startServer();
  });
  after(() => s.close());

  it('R-ADM-09: adds an address, unverified and not primary, with a new ETag and an audit event', async () => {
    const user = await s.createUser();
    const mails = await mailCount();
    const extra = address('Extra');
    const res = await s.admin.post(base(user.id), { address: ` ${extra} ` });
    assert.equal(res.status, 201);
    assert.equal(res.headers.get('etag'), '"user-2"');
    const added = emailOf(res.body, extra);
    assert.deepEqual([added.address, added.verified, added.primary], [extra, false, false]);
    assert.equal(res.body.primaryEmail, user.primaryEmail);
    assert.ok((await row(user.id)).search_text.includes(extra.toLowerCase()), 'the search finds it');
    const [event] = (await s.admin.get(`/api/v1/admin/audit-events?targetId=${user.id}`)).body.items;
    assert.equal(event.action, 'user.email_added');
    assert.equal(event.changes.emails.before.length, 1);
    assert.deepEqual(event.changes.emails.after[1], { address: extra, verified: false, primary: false });
    assert.equal(await mailCount(), mails, 'no confirmation mail');
  });

  it('R-ADM-09: an address added as verified is verified at once, and the user can log in with it', async () => {
    const user = await s.createUser({ password: strongPassword });
    const extra = address();
    const res = await s.admin.post(base(user.id), { address: extra, verified: true });
    assert.equal(res.status, 201);
    assert.equal(emailOf(res.body, extra).verified, true);
    assert.equal(emailOf(res.body, extra).verifiedAt, new Date(s.clock.now()).toISOString());
    assert.equal((await s.client().login(extra, strongPassword)).status, 200);
  });

  it('R-ADM-09: the same address twice in one profile gets 409 email_exists, in any case', async () => {
    const user = await s.createUser();
    const before = await read(user.id);
    const res = await s.admin.post(base(user.id), { address: user.primaryEmail.toUpperCase() });
    assert.equal(res.status, 409);
    assert.equal(res.body.code, 'email_exists');
    assert.equal(res.body.errors[0].field, 'address');
    assert.deepEqual((await read(user.id)).body, before.body);
  });

  it('R-ADM-09: an address verified in another profile cannot be verified here (409 email_taken), but may be added unverified', async () => {
    const owner = await s.createUser();
    const shared = address('shared');
    await s.admin.post(base(owner.id), { address: shared, verified: true });
    const other = await s.createUser();
    const taken = await s.admin.post(base(other.id), { address: shared, verified: true });
    assert.equal(taken.status, 409);
    assert.equal(taken.body.code, 'email_taken');
    assert.equal((await read(other.id)).body.emails.length, 1, 'nothing added');

    const unverified = await s.admin.post(base(other.id), { address: shared });
    assert.equal(unverified.status, 201, 'connecting profiles (R-ADM-10) starts from such a copy');
    const copy = emailOf(unverified.body, shared);
    const verify = await s.admin.post(`${base(other.id)}/${copy.id}/verify`);
    assert.equal(verify.status, 409);
    assert.equal(verify.body.code, 'email_taken');
    assert.equal(emailOf((await read(other.id)).body, shared).verified, false);
  });

  it('R-ADM-09: malformed or over-long addresses and unknown fields get 422 naming the field', async () => {
    const user = await s.createUser();
    const cases: Array<[unknown, string]> = [
      [{ address: 'no-at-sign' }, 'address'],
      [{ address: `${'x'.repeat(250)}@example.test` }, 'address'],
      [{ address: address(), verified: 'yes' }, 'verified'],
      [{ address: address(), primary: true }, '(body)'],
      [{}, 'address'],
    ];
    for (const [body, field] of cases) {
      const res = await s.admin.post(base(user.id), body);
      assert.equal(res.status, 422, JSON.stringify(body));
      assert.ok(
        res.body.errors.some((e: { field: string }) => e.field === field),
        JSON.stringify(res.body),
      );
    }
    assert.equal((await read(user.id)).headers.get('etag'), '"user-1"');
  });

  it('R-ADM-09: any address can be made primary without a confirmation mail; primary_email follows', async () => {
    const user = await s.createUser();
    const extra = address();
    const added = await s.admin.post(base(user.id), { address: extra });
    const mails = await mailCount();
    const id = emailOf(added.body, extra).id;
    const res = await s.admin.post(`${base(user.id)}/${id}/primary`, undefined, {
      'if-match': added.headers.get('etag')!,
    });
    assert.equal(res.status, 200);
    assert.equal(res.body.primaryEmail, extra);
    assert.equal(res.headers.get('etag'), '"user-3"');
    // Sorted: addresses made in the same millisecond (the test clock stands still) have no order.
    assert.deepEqual(
      res.body.emails.map((e: any) => [e.address, e.primary]).sort(),
      [
        [extra, true],
        [user.primaryEmail, false],
      ].sort(),
    );
    assert.equal((await row(user.id)).primary_email, extra, 'the list sorts by the copy');
    assert.equal(await mailCount(), mails);
    const [event] = (await s.admin.get(`/api/v1/admin/audit-events?targetId=${user.id}`)).body.items;
    assert.equal(event.action, 'user.email_primary_set');
    assert.deepEqual(event.changes.primaryEmail, { before: user.primaryEmail, after: extra });

    const again = await s.admin.post(`${base(user.id)}/${id}/primary`);
    assert.equal(again.status, 200);
    assert.equal(again.headers.get('etag'), '"user-3"', 'already primary: no change');
  });

  it('R-ADM-09: marking an address verified needs no mail, and is no change when already verified', async () => {
    const user = await s.createUser();
    const mails = await mailCount();
    const res = await s.admin.post(`${base(user.id)}/${user.emails[0].id}/verify`);
    assert.equal(res.status, 200);
    assert.equal(res.body.emails[0].verified, true);
    assert.equal(res.headers.get('etag'), '"user-2"');
    assert.equal(await mailCount(), mails);
    const again = await s.admin.post(`${base(user.id)}/${user.emails[0].id}/verify`);
    assert.equal(again.headers.get('etag'), '"user-2"');
  });

  it('R-ADM-09: the only address (422 last_email) and the primary one (422 primary_email) cannot be removed', async () => {
    const user = await s.createUser();
    const only = await s.admin.delete(`${base(user.id)}/${user.emails[0].id}`);
    assert.equal(only.status, 422);
    assert.equal(only.body.code, 'last_email');

    const extra = address('gone');
    const added = await s.admin.post(base(user.id), { address: extra });
    const primary = await s.admin.delete(`${base(user.id)}/${user.emails[0].id}`);
    assert.equal(primary.status, 422);
    assert.equal(primary.body.code, 'primary_email');

    const removed = await s.admin.delete(`${base(user.id)}/${emailOf(added.body, extra).id}`);
    assert.equal(removed.status, 200);
    assert.deepEqual(
      removed.body.emails.map((e: any) => e.address),
      [user.primaryEmail],
    );
    assert.equal(removed.headers.get('etag'), '"user-3"');
    assert.ok(!(await row(user.id)).search_text.includes(extra.toLowerCase()), 'the search forgets it');
    const [event] = (await s.admin.get(`/api/v1/admin/audit-events?targetId=${user.id}`)).body.items;
    assert.equal(event.action, 'user.email_removed');
  });

  it('R-ADM-09: an address ID of another user, or of none, is 404 email_not_found', async () => {
    const a = await s.createUser();
    const b = await s.createUser();
    for (const op of ['primary', 'verify']) {
      const res = await s.admin.post(`${base(a.id)}/${b.emails[0].id}/${op}`);
      assert.equal(res.status, 404);
      assert.equal(res.body.code, 'email_not_found');
    }
    const del = await s.admin.delete(`${base(a.id)}/${b.emails[0].id}`);
    assert.equal(del.body.code, 'email_not_found');
    assert.equal((await read(b.id)).body.emails.length, 1);
  });

  it('R-ADM-09, R-OPS-03: a stale If-Match gets 412 on every address change, which then changes nothing', async () => {
    const user = await s.createUser();
    const seen = (await read(user.id)).headers.get('etag')!;
    const extra = address();
    const added = await s.admin.post(base(user.id), { address: extra }, { 'if-match': seen });
    assert.equal(added.status, 201);
    const id = emailOf(added.body, extra).id;
    const stale = { 'if-match': seen };
    const attempts = [
      await s.admin.post(base(user.id), { address: address() }, stale),
      await s.admin.post(`${base(user.id)}/${id}/primary`, undefined, stale),
      await s.admin.post(`${base(user.id)}/${id}/verify`, undefined, stale),
      await s.admin.delete(`${base(user.id)}/${id}`, stale),
    ];
    assert.deepEqual(
      attempts.map((r) => r.status),
      [412, 412, 412, 412],
    );
    const now = await read(user.id);
    assert.deepEqual(now.body, added.body);
    assert.equal(now.headers.get('etag'), added.headers.get('etag'));
  });

  it('R-ADM-09, R-OPS-03: concurrent additions without If-Match are all kept', async () => {
    const user = await s.createUser();
    const addresses = Array.from({ length: 5 }, () => address('many'));
    const results = await Promise.all(addresses.map((a) => s.admin.post(base(user.id), { address: a })));
    assert.deepEqual(
      results.map((r) => r.status),
      [201, 201, 201, 201, 201],
    );
    const final = await read(user.id);
    assert.equal(final.body.emails.length, 6);
    assert.equal(final.headers.get('etag'), '"user-6"', 'each addition bumped the version once');
    const text = (await row(user.id)).search_text;
    for (const a of addresses) assert.ok(text.includes(a.toLowerCase()), `${a} is searchable`);
  });
});

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, type TestServer } from '../../test/harness.ts';
import { auditEvents } from '../../test/impersonation-helpers.ts';
import { createLoginService, linkAccount } from '../../test/login-services.ts';
import { createDomain, setDomainOf, uniqueName } from '../../test/orgs.ts';

// R-ADM-11 on the admin user page: the "link account" wizard, the list, removal, the pair's
// uniqueness across the platform, and who may do it.

const links = (id: string) => `/api/v1/admin/users/${id}/linked-accounts`;

describe('linked accounts on the admin user page', () => {
  let s: TestServer;
  before(async () => {
    s = await startServer();
  });
  after(() => s.close());

  const outboxSize = async () =>
    (await s.services.database.db.selectFrom('outbox').select('id').execute()).length;

  it('R-ADM-11: the wizard links (service, identifier) without a mail, lists it, audits it; removal likewise', async () => {
    const service = await createLoginService(s, {
      displayName: 'Campus ID',
      displayNameDe: 'Campus-Kennung',
    });
    const user = await s.createUser();
    const mails = await outboxSize();
    const link = await linkAccount(s, user.id, service.id, 'campus|4711');
    assert.equal(link.serviceId, service.id);
    assert.equal(link.serviceName, 'Campus ID');
    assert.equal(link.serviceNameDe, 'Campus-Kennung');
    assert.equal(link.subject, 'campus|4711');
    assert.equal(link.linkedVia, 'admin');
    assert.equal(link.email, null);
    assert.equal(link.lastUsedAt, null);
    assert.equal(link.usableForSignIn, true);
    const listed = await s.admin.get(links(user.id));
    assert.equal(listed.status, 200);
    assert.deepEqual(listed.body.items, [link]);
    assert.ok(
      listed.body.services.some((x: any) => x.id === service.id && x.displayNameDe === 'Campus-Kennung'),
    );
    assert.equal(await outboxSize(), mails, 'no mail is sent to the user');

    const added = (await auditEvents(s, `targetId=${user.id}`)).find(
      (e) => e.action === 'user.linked_account_added',
    );
    assert.ok(added, 'the link is audited');
    assert.equal(added.details.subject, 'campus|4711');
    assert.equal(added.details.serviceId, service.id);

    const removed = await s.admin.delete(`${links(user.id)}/${link.id}`);
    assert.equal(removed.status, 204, JSON.stringify(removed.body));
    assert.deepEqual((await s.admin.get(links(user.id))).body.items, []);
    assert.equal(await outboxSize(), mails, 'no mail about the removal either');
    assert.ok(
      (await auditEvents(s, `targetId=${user.id}`)).some((e) => e.action === 'user.linked_account_removed'),
    );
    const again = await s.admin.delete(`${links(user.id)}/${link.id}`);
    assert.equal(again.status, 404);
    assert.equal(again.body.code, 'linked_account_not_found');
  });

  it('R-ADM-11: linking bumps the user (ETag) and honours If-Match', async () => {
    const service = await createLoginService(s);
    const user = await s.createUser();
    const etag = (await s.admin.get(`/api/v1/admin/users/${user.id}`)).headers.get('etag')!;
    const linked = await s.admin.post(
      links(user.id),
      { serviceId: service.id, subject: 'a' },
      { 'if-match': etag },
    );
    assert.equal(linked.status, 201);
    assert.notEqual(linked.headers.get('etag'), etag);
    const stale = await s.admin.post(
      links(user.id),
      { serviceId: service.id, subject: 'b' },
      { 'if-match': etag },
    );
    assert.equal(stale.status, 412);
  });

  it('R-ADM-11: an unknown service or an empty identifier is 422 and links nothing', async () => {
    const service = await createLoginService(s);
    const user = await s.createUser();
    const unknown = await s.admin.post(links(user.id), { serviceId: 'nope', subject: 'x' });
    assert.equal(unknown.status, 422);
    assert.equal(unknown.body.code, 'validation_failed');
    assert.equal(unknown.body.errors[0].field, 'serviceId');
    const empty = await s.admin.post(links(user.id), { serviceId: service.id, subject: '   ' });
    assert.equal(empty.status, 422);
    assert.deepEqual((await s.admin.get(links(user.id))).body.items, []);
  });

  it('R-ADM-11: a service restricted to a domain links users of that domain only (422 outside_service_domain)', async () => {
    const domain = await createDomain(s, uniqueName('Nord'));
    const service = await createLoginService(s, { domainId: domain.id });
    const outsider = await s.createUser();
    const refused = await s.admin.post(links(outsider.id), { serviceId: service.id, subject: 'o' });
    assert.equal(refused.status, 422);
    assert.equal(refused.body.errors[0].kind, 'outside_service_domain');
    const insider = await s.createUser();
    await setDomainOf(s, insider.id, domain.id);
    await linkAccount(s, insider.id, service.id, 'i');
  });

  it('R-ADM-11: a pair linked already is 409 linked_account_taken, naming the holder only to who may read them', async () => {
    const service = await createLoginService(s);
    const holder = await s.createUser({ firstName: 'Hanna', lastName: 'Holder' });
    const other = await s.createUser();
    await linkAccount(s, holder.id, service.id, 'shared-subject');

    const taken = await s.admin.post(links(other.id), { serviceId: service.id, subject: 'shared-subject' });
    assert.equal(taken.status, 409);
    assert.equal(taken.body.code, 'linked_account_taken');
    assert.deepEqual(taken.body.holder, { id: holder.id, displayName: 'Hanna Holder' });
    // The same pair to the same user again: taken too.
    const twice = await s.admin.post(links(holder.id), { serviceId: service.id, subject: 'shared-subject' });
    assert.equal(twice.status, 409);

    // An administrator who may link but not read users learns that it is taken, not by whom.
    const { client: linker } = await s.signedInWith(['users.credentials']);
    const blind = await linker.post(links(other.id), { serviceId: service.id, subject: 'shared-subject' });
    assert.equal(blind.status, 409);
    assert.equal(blind.body.code, 'linked_account_taken');
    assert.equal(blind.body.holder, undefined);
    assert.doesNotMatch(JSON.stringify(blind.body), new RegExp(holder.id));
    assert.deepEqual((await s.admin.get(links(other.id))).body.items, []);
  });

  it('R-ADM-08: an administrator cannot link or unlink accounts of their own profile; without users.credentials nobody can', async () => {
    const service = await createLoginService(s);
    const { client, user: me } = await s.signedInWith(['users.read', 'users.credentials']);
    const own = await client.post(links(me.id), { serviceId: service.id, subject: 'me' });
    assert.equal(own.status, 403);
    assert.equal(own.body.code, 'self_administration');
    const mine = await linkAccount(s, me.id, service.id, 'me-by-superadmin');
    const unlink = await client.delete(`${links(me.id)}/${mine.id}`);
    assert.equal(unlink.status, 403);
    assert.equal(unlink.body.code, 'self_administration');

    const { client: reader } = await s.signedInWith(['users.read']);
    const other = await s.createUser();
    assert.equal((await reader.get(links(me.id))).status, 200, 'reading is users.read');
    const refused = await reader.post(links(other.id), { serviceId: service.id, subject: 'x' });
    assert.equal(refused.status, 403);
    assert.equal(refused.body.code, 'missing_permission');
    assert.equal((await reader.delete(`${links(me.id)}/${mine.id}`)).status, 403);
    assert.equal((await s.admin.get(links(me.id))).body.items.length, 1, 'nothing was removed');
  });

  it('R-ADM-11: 20 parallel wizard runs of one pair for two users: one links, the rest get 409, one row', async () => {
    const service = await createLoginService(s);
    const a = await s.createUser();
    const b = await s.createUser();
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        s.admin.post(links(i % 2 === 0 ? a.id : b.id), { serviceId: service.id, subject: 'contested' }),
      ),
    );
    const statuses = answers.map((r) => r.status).sort();
    assert.equal(statuses.filter((x) => x === 201).length, 1, JSON.stringify(statuses));
    assert.equal(statuses.filter((x) => x === 409).length, 19, JSON.stringify(statuses));
    for (const r of answers.filter((x) => x.status === 409))
      assert.equal(r.body.code, 'linked_account_taken');
    const rows = await s.services.database.db
      .selectFrom('linked_accounts')
      .selectAll()
      .where('service_id', '=', service.id)
      .execute();
    assert.equal(rows.length, 1);
  });
});

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  adminEmail,
  adminPassword,
  startServer,
  strongPassword,
  type TestServer,
} from '../../test/harness.ts';
import { actAs, auditEvents } from '../../test/impersonation-helpers.ts';

// Issue 12 #1, "who acted as me": the user sees the impersonations of their account and what
// was done in them, and ends a running one; the actor is told.

describe('issue 12 #1: who acted as me', () => {
  let s: TestServer;
  before(async () => {
    s = await startServer();
  });
  after(() => s.close());

  /** A user signed in in their own browser, and a fresh superadmin browser acting as them. */
  async function actingAsNewUser() {
    const user = await s.createUser({ password: strongPassword, firstName: 'Anna' });
    const own = s.client();
    assert.equal((await own.login(user.primaryEmail, strongPassword)).status, 200);
    const admin = s.client();
    assert.equal((await admin.login(adminEmail, adminPassword)).status, 200);
    const started = await actAs(admin, user.id, { reason: 'Ticket 17: course missing' });
    return { user, own, admin, impersonationId: started.impersonationId };
  }

  it('issue 12 #1: R-IMP-09 the user lists the impersonations of their account, newest first, and sees what was done', async () => {
    const { own, admin, impersonationId } = await actingAsNewUser();
    const changed = await admin.patch('/api/v1/account/profile', { firstName: 'Anne' });
    assert.equal(changed.status, 200, JSON.stringify(changed.body));

    const list = await own.get('/api/v1/account/impersonations');
    assert.equal(list.status, 200, JSON.stringify(list.body));
    assert.equal(list.body.items.length, 1);
    const [item] = list.body.items;
    assert.equal(item.id, impersonationId);
    assert.equal(item.reason, 'Ticket 17: course missing');
    assert.equal(item.active, true);
    assert.ok(item.actor.displayName.length > 0);
    assert.ok(item.openedAt, 'the acting tab opened');

    const detail = await own.get(`/api/v1/account/impersonations/${impersonationId}`);
    assert.equal(detail.status, 200, JSON.stringify(detail.body));
    const profile = detail.body.done.find((d: any) => d.action === 'account.profile_updated');
    assert.ok(profile, JSON.stringify(detail.body.done));
    assert.deepEqual(profile.fields, ['firstName'], 'the field, never its value');
    assert.ok(!JSON.stringify(detail.body).includes('Anne'), 'no changed value is shown');
  });

  it('issue 12 #1: the user ends a running impersonation; the acting session is out, the actor is notified, the end is audited', async () => {
    const { own, admin, user, impersonationId } = await actingAsNewUser();
    const ended = await own.delete(`/api/v1/account/impersonations/${impersonationId}`);
    assert.equal(ended.status, 204, JSON.stringify(ended.body));

    assert.equal(
      (await admin.get('/api/v1/session?acting=true')).status,
      401,
      'the acting tab is signed out',
    );
    const item = (await own.get('/api/v1/account/impersonations')).body.items[0];
    assert.equal(item.active, false);
    assert.equal(item.endReason, 'ended_by_subject');

    const again = await own.delete(`/api/v1/account/impersonations/${impersonationId}`);
    assert.equal(again.status, 409);
    assert.equal(again.body.code, 'impersonation_ended');

    const events = await auditEvents(s, `impersonationId=${impersonationId}&action=impersonation.ended`);
    assert.equal(events.length, 1);
    assert.equal(events[0].details.reason, 'ended_by_subject');
    assert.equal(events[0].actor.id, user.id, 'the user did it');

    // The actor (the superadmin) finds the notice in their own notifications.
    const back = s.client();
    assert.equal((await back.login(adminEmail, adminPassword)).status, 200);
    const notices = (await back.get('/api/v1/account/notifications')).body.items;
    const notice = notices.find((n: any) => n.type === 'impersonation.ended_by_subject');
    assert.ok(notice, JSON.stringify(notices.map((n: any) => n.type)));
    assert.ok(notice.title.includes('Anna'), notice.title);
  });

  it("issue 12 #1: R-IMP-04 the acting administrator cannot end it in the user's name; nobody else can end or read it", async () => {
    const { admin, impersonationId } = await actingAsNewUser();
    const inside = await admin.delete(`/api/v1/account/impersonations/${impersonationId}`);
    assert.equal(inside.status, 403, JSON.stringify(inside.body));
    assert.equal(inside.body.code, 'blocked_during_impersonation');

    const other = await s.createUser({ password: strongPassword });
    const stranger = s.client();
    assert.equal((await stranger.login(other.primaryEmail, strongPassword)).status, 200);
    for (const res of [
      await stranger.get(`/api/v1/account/impersonations/${impersonationId}`),
      await stranger.delete(`/api/v1/account/impersonations/${impersonationId}`),
    ]) {
      assert.equal(res.status, 404, JSON.stringify(res.body));
      assert.equal(res.body.code, 'impersonation_not_found');
    }
    assert.deepEqual((await stranger.get('/api/v1/account/impersonations')).body.items, []);
    assert.equal((await admin.get('/api/v1/session?acting=true')).status, 200, 'still running');
  });

  it('issue 12 #1: the list pages with a cursor; a cursor this server did not give out is refused', async () => {
    const user = await s.createUser({ password: strongPassword });
    const own = s.client();
    assert.equal((await own.login(user.primaryEmail, strongPassword)).status, 200);
    const admin = s.client();
    assert.equal((await admin.login(adminEmail, adminPassword)).status, 200);
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      ids.push((await actAs(admin, user.id)).impersonationId);
      s.clock.advance(1000);
      // "back" so that the next start comes from the administrator's own session.
      const back = await admin.delete('/api/v1/impersonation');
      assert.ok(back.status < 400, JSON.stringify(back.body));
    }
    const first = await own.get('/api/v1/account/impersonations?limit=2');
    assert.deepEqual(
      first.body.items.map((i: any) => i.id),
      [ids[2], ids[1]],
    );
    const second = await own.get(`/api/v1/account/impersonations?limit=2&cursor=${first.body.nextCursor}`);
    assert.deepEqual(
      second.body.items.map((i: any) => i.id),
      [ids[0]],
    );
    assert.equal(second.body.nextCursor, null);
    const bad = await own.get('/api/v1/account/impersonations?cursor=bm9wZQ');
    assert.equal(bad.status, 400);
    assert.equal(bad.body.code, 'invalid_cursor');
  });
});

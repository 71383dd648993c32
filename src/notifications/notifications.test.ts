// Notifications over HTTP and through notify(): what a user is told, in which language, what
// an impersonated session may do with it, and who may edit the texts (R-IMP-09, R-IMP-10,
// R-OPS-03).
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
import { actAs } from '../../test/impersonation-helpers.ts';
import { insertNotification } from './notifications.store.ts';
import type { NotificationsService, NotifyInput } from './notifications.service.ts';

type ListCtx = Parameters<NotificationsService['list']>[0];

describe('notifications', () => {
  let s: TestServer;
  before(async () => {
    s = await startServer();
  });
  after(() => s.close());

  const notify = (input: Omit<NotifyInput, 'variables'> & { variables?: NotifyInput['variables'] }) =>
    s.services.database.transaction((trx) =>
      s.services.notifications.notify(trx, {
        variables: {
          subject: 'Test User',
          actor: 'Ada Admin',
          reason: 'Ticket 42',
          plannedDuration: 15,
          startedAt: s.clock.now(),
          endedAt: s.clock.now() + 900_000,
          endReason: 'back',
        },
        ...input,
      }),
    );

  const outboxFor = (address: string) =>
    s.services.database.db.selectFrom('outbox').selectAll().where('recipient', '=', address).execute();

  /** A signed-in user of this role, set before the login so the session carries it. */
  async function signedInAs(role: 'power-user' | 'user', permissions: string[] = []): Promise<Client> {
    const user = await s.createUser({ password: strongPassword });
    await s.services.database.db
      .updateTable('users')
      .set({ role, system_permissions: JSON.stringify(permissions) })
      .where('id', '=', user.id)
      .execute();
    const client = s.client();
    assert.equal((await client.login(user.primaryEmail, strongPassword)).status, 200);
    return client;
  }

  /** The context of a request that runs inside an impersonation of `user`. */
  function impersonatedContext(user: { id: string; primaryEmail: string }): ListCtx {
    return {
      requestId: 'test',
      ip: null,
      userAgent: null,
      session: { id: 'impersonation-session' },
      user: {
        id: user.id,
        displayName: 'Test User',
        username: null,
        primaryEmail: user.primaryEmail,
        language: 'en',
        role: 'user',
        systemPermissions: [],
        generalPermissions: [],
      },
      actor: null,
      impersonationId: '01890000-0000-7000-8000-00000000cafe',
      blockedCapabilities: [],
    } as unknown as ListCtx;
  }

  it('R-IMP-09: notify writes the notice in the user language and queues the same text as mail', async () => {
    const user = await s.createUser({ language: 'de', password: strongPassword });
    const result = await notify({ userId: user.id, type: 'impersonation.started', impersonationId: null });
    assert.ok(result.notificationId && result.outboxId);
    const [mail] = await outboxFor(user.primaryEmail);
    assert.equal(mail?.subject, 'Ada Admin handelt jetzt in Ihrem Namen');
    assert.equal(mail?.kind, 'notification');

    const c = s.client();
    await c.login(user.primaryEmail, strongPassword);
    const list = await c.get('/api/v1/account/notifications');
    assert.equal(list.status, 200);
    assert.equal(list.body.unreadCount, 1);
    assert.deepEqual(Object.keys(list.body.items[0]).sort(), [
      'body',
      'createdAt',
      'id',
      'read',
      'title',
      'type',
    ]);
    assert.equal(list.body.items[0].title, mail?.subject);
    assert.equal(list.body.items[0].body, mail?.body_text);
    assert.match(list.body.items[0].body, /geplant für 15 Minuten/);
    assert.equal(list.body.items[0].read, false);
  });

  it('R-OPS-03: a notification whose transaction rolls back leaves neither notice nor mail', async () => {
    const user = await s.createUser();
    await assert.rejects(
      s.services.database.transaction(async (trx) => {
        await s.services.notifications.notify(trx, {
          userId: user.id,
          type: 'impersonation.ended',
          variables: { subject: 'x', actor: 'y', endReason: 'expired' },
        });
        throw new Error('the cause failed');
      }),
    );
    const rows = await s.services.database.db
      .selectFrom('notifications')
      .select('id')
      .where('user_id', '=', user.id)
      .execute();
    assert.equal(rows.length, 0);
    assert.equal((await outboxFor(user.primaryEmail)).length, 0);
  });

  it('R-IMP-09: with e-mail notifications off, the notice is written and no mail queued', async () => {
    const user = await s.createUser();
    assert.equal(
      (await s.admin.patch('/api/v1/admin/settings', { notifications: { emailEnabled: false } })).status,
      200,
    );
    try {
      const result = await notify({ userId: user.id, type: 'impersonation.started' });
      assert.ok(result.notificationId);
      assert.equal(result.outboxId, null);
      assert.equal((await outboxFor(user.primaryEmail)).length, 0);
    } finally {
      await s.admin.patch('/api/v1/admin/settings', { notifications: { emailEnabled: true } });
    }
  });

  it('lists newest first with a cursor; marks read; someone else\u2019s notification is 404', async () => {
    const user = await s.createUser({ password: strongPassword });
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      ids.push((await notify({ userId: user.id, type: 'impersonation.started' })).notificationId!);
      s.clock.advance(1000);
    }
    const c = s.client();
    await c.login(user.primaryEmail, strongPassword);
    const first = await c.get('/api/v1/account/notifications?limit=2');
    assert.deepEqual(
      first.body.items.map((i: { id: string }) => i.id),
      [ids[4], ids[3]],
    );
    assert.equal(first.body.unreadCount, 5);
    const second = await c.get(`/api/v1/account/notifications?limit=2&cursor=${first.body.nextCursor}`);
    const third = await c.get(`/api/v1/account/notifications?limit=2&cursor=${second.body.nextCursor}`);
    assert.deepEqual(
      [...second.body.items, ...third.body.items].map((i: { id: string }) => i.id),
      [ids[2], ids[1], ids[0]],
    );
    assert.equal(third.body.nextCursor, null);
    assert.equal((await c.get('/api/v1/account/notifications?cursor=bogus')).body.code, 'invalid_cursor');

    const read = await c.post(`/api/v1/account/notifications/${ids[0]}/read`);
    assert.equal(read.status, 204);
    assert.equal((await c.post(`/api/v1/account/notifications/${ids[0]}/read`)).status, 204, 'idempotent');
    const after = await c.get('/api/v1/account/notifications?limit=10');
    assert.equal(after.body.unreadCount, 4);
    assert.equal(after.body.items.find((i: { id: string }) => i.id === ids[0]).read, true);

    const other = await s.signedInWith([]);
    const stranger = await other.client.post(`/api/v1/account/notifications/${ids[1]}/read`);
    assert.equal(stranger.status, 404);
    assert.equal(stranger.body.code, 'notification_not_found');
    const unknown = await c.post('/api/v1/account/notifications/01890000-0000-7000-8000-000000000000/read');
    assert.equal(unknown.body.code, 'notification_not_found');
    assert.equal((await other.client.get('/api/v1/account/notifications')).body.items.length, 0);
    assert.equal((await s.client().get('/api/v1/account/notifications')).status, 401);
  });

  it('R-IMP-09: inside an impersonation, impersonation notices show unread and cannot be marked read', async () => {
    // Simulated context: a request whose RequestContext carries an impersonation id.
    const user = await s.createUser();
    const started = (await notify({ userId: user.id, type: 'impersonation.started' })).notificationId!;
    s.clock.advance(1000);
    const ended = (await notify({ userId: user.id, type: 'impersonation.ended' })).notificationId!;
    await s.services.database.db
      .updateTable('notifications')
      .set({ read_at: s.clock.now() })
      .where('id', '=', ended)
      .execute();
    const ctx = impersonatedContext(user);

    const seen = await s.services.notifications.list(ctx, { limit: 10 });
    assert.deepEqual(
      seen.items.map((i) => [i.id, i.read]),
      [
        [ended, false],
        [started, false],
      ],
      'read or not, they show unread while acting',
    );
    assert.equal(seen.unreadCount, 2);
    await assert.rejects(s.services.notifications.markRead(ctx, started), {
      code: 'blocked_during_impersonation',
    });
    const row = await s.services.database.db
      .selectFrom('notifications')
      .select('read_at')
      .where('id', '=', started)
      .executeTakeFirstOrThrow();
    assert.equal(row.read_at, null, 'still unread for the subject');

    const own = await s.services.notifications.list(
      { ...ctx, impersonationId: null },
      {
        limit: 10,
      },
    );
    assert.deepEqual(
      own.items.map((i) => i.read),
      [true, false],
      'the subject sees the real state',
    );
  });

  it('R-IMP-09, issue 12 #6: a real impersonated session sees its notices unread and cannot mark any read', async () => {
    const subject = await s.createUser({ password: strongPassword });
    const own = s.client();
    await own.login(subject.primaryEmail, strongPassword);
    const actor = s.client();
    await actor.login(adminEmail, adminPassword);
    const { impersonationId } = await actAs(actor, subject.id);
    // Another kind of notice: issue 12 #6, acting marks nothing read, this one neither.
    const otherId = '01890000-0000-7000-8000-0000000000aa';
    await insertNotification(s.services.database.db, {
      id: otherId,
      user_id: subject.id,
      type: 'platform.info',
      title: 'Welcome',
      body: 'Hello',
      impersonation_id: null,
      created_at: s.clock.now() - 60_000,
      read_at: null,
    });

    const acting = await actor.get('/api/v1/account/notifications');
    assert.equal(acting.status, 200);
    const notice = acting.body.items.find((i: { type: string }) => i.type === 'impersonation.started');
    assert.ok(notice, 'the start notice is there');
    assert.match(notice.body, /Ticket 4711/, 'R-IMP-11: the reason is in the notice');
    const blocked = await actor.post(`/api/v1/account/notifications/${notice.id}/read`);
    assert.equal(blocked.status, 403);
    assert.equal(blocked.body.code, 'blocked_during_impersonation');
    const other = await actor.post(`/api/v1/account/notifications/${otherId}/read`);
    assert.equal(other.status, 403, "issue 12 #6: no side effects on the user's messages");
    assert.equal(other.body.code, 'blocked_during_impersonation');
    assert.equal(
      (await own.get('/api/v1/account/notifications')).body.items.find(
        (i: { id: string }) => i.id === otherId,
      ).read,
      false,
    );
    const audit = await s.admin.get(`/api/v1/admin/audit-events?impersonationId=${impersonationId}`);
    assert.ok(!audit.body.items.some((e: { action: string }) => e.action === 'notification.read'));

    // The subject, in their own session, reads it; the impersonated session still sees it unread.
    assert.equal((await own.post(`/api/v1/account/notifications/${notice.id}/read`)).status, 204);
    assert.equal((await own.post(`/api/v1/account/notifications/${otherId}/read`)).status, 204);
    const ownView = await own.get('/api/v1/account/notifications');
    assert.equal(ownView.body.items.find((i: { id: string }) => i.id === notice.id).read, true);
    assert.equal(ownView.body.unreadCount, 0);
    const actingView = await actor.get('/api/v1/account/notifications');
    assert.equal(actingView.body.items.find((i: { id: string }) => i.id === notice.id).read, false);
    assert.equal(actingView.body.items.find((i: { id: string }) => i.id === otherId).read, true);
    assert.equal(actingView.body.unreadCount, 1);

    const back = await actor.delete('/api/v1/impersonation');
    assert.equal(back.status, 200, JSON.stringify(back.body));
    const final = await own.get('/api/v1/account/notifications');
    const ended = final.body.items.find((i: { type: string }) => i.type === 'impersonation.ended');
    assert.ok(ended, 'R-IMP-10: the end notice follows');
    assert.equal(ended.read, false);
    assert.match(ended.body, /returned to their own account/);
  });

  it('R-IMP-09: templates per language; an edit reaches only that language; a disabled template sends nothing', async () => {
    const de = await s.createUser({ language: 'de' });
    const en = await s.createUser({ language: 'en' });
    const path = '/api/v1/admin/notification-templates';
    const list = await s.admin.get(path);
    assert.equal(list.status, 200);
    assert.deepEqual(
      list.body.items.map((t: { type: string; language: string }) => `${t.type}/${t.language}`).sort(),
      [
        'impersonation.approval_requested/de',
        'impersonation.approval_requested/en',
        'impersonation.break_glass/de',
        'impersonation.break_glass/en',
        'impersonation.consent_requested/de',
        'impersonation.consent_requested/en',
        'impersonation.ended/de',
        'impersonation.ended/en',
        'impersonation.ended_by_subject/de',
        'impersonation.ended_by_subject/en',
        'impersonation.request_approved/de',
        'impersonation.request_approved/en',
        'impersonation.request_declined/de',
        'impersonation.request_declined/en',
        'impersonation.started/de',
        'impersonation.started/en',
      ],
    );

    const one = await s.admin.get(`${path}/impersonation.started/de`);
    assert.equal(one.body.customized, false);
    assert.equal(one.headers.get('etag'), '"template-0"');
    const edit = {
      subject: 'Achtung: {actor} ist in Ihrem Konto',
      body: 'Grund: {reason}. Dauer: {plannedDuration} Min.',
      enabled: true,
    };
    const put = await s.admin.put(`${path}/impersonation.started/de`, edit, { 'if-match': '"template-0"' });
    assert.equal(put.status, 200, JSON.stringify(put.body));
    assert.equal(put.headers.get('etag'), '"template-1"');
    assert.equal(put.body.customized, true);
    const stale = await s.admin.put(`${path}/impersonation.started/de`, edit, { 'if-match': '"template-0"' });
    assert.equal(stale.status, 412, 'R-OPS-03: a concurrent edit does not overwrite silently');

    await notify({ userId: de.id, type: 'impersonation.started' });
    await notify({ userId: en.id, type: 'impersonation.started' });
    assert.equal((await outboxFor(de.primaryEmail))[0]?.subject, 'Achtung: Ada Admin ist in Ihrem Konto');
    assert.equal((await outboxFor(en.primaryEmail))[0]?.subject, 'Ada Admin is now acting as you');

    const audit = await s.admin.get('/api/v1/admin/audit-events?action=notification_template.updated');
    const event = audit.body.items[0];
    assert.equal(event.target.id, 'impersonation.started/de');
    assert.equal(event.changes.subject.before, '{actor} handelt jetzt in Ihrem Namen');
    assert.equal(event.changes.subject.after, edit.subject);

    const off = await s.admin.put(`${path}/impersonation.ended/en`, {
      subject: '{actor} left',
      body: 'Ended: {endReason}',
      enabled: false,
    });
    assert.equal(off.status, 200);
    const result = await notify({ userId: en.id, type: 'impersonation.ended' });
    assert.deepEqual(result, { notificationId: null, outboxId: null }, 'disabled: neither notice nor mail');
    assert.equal((await outboxFor(en.primaryEmail)).length, 1, 'only the start mail');
    await s.admin.put(`${path}/impersonation.ended/en`, { ...off.body, enabled: true });
  });

  it('R-OPS-03: template edits with unknown variables, bad subjects or unknown names get clear errors', async () => {
    const path = '/api/v1/admin/notification-templates';
    const typo = await s.admin.put(`${path}/impersonation.started/en`, {
      subject: 'Hi {actr}',
      body: 'x',
      enabled: true,
    });
    assert.equal(typo.status, 422);
    assert.deepEqual(typo.body.errors, [
      {
        field: 'subject',
        message: 'unknown variable {actr}',
        kind: 'unknown_variable',
        params: { variables: '{actr}' },
      },
    ]);
    const twoLines = await s.admin.put(`${path}/impersonation.started/en`, {
      subject: 'a\r\nBcc: x@y',
      body: 'x',
      enabled: true,
    });
    assert.equal(twoLines.status, 422);
    assert.equal((await s.admin.get(`${path}/impersonation.nope/en`)).body.code, 'template_not_found');
    assert.equal((await s.admin.get(`${path}/impersonation.started/fr`)).status, 404);
    assert.equal(
      (await s.admin.get(`${path}/impersonation.started/en`)).body.customized,
      false,
      'nothing changed',
    );
  });

  it('R-IMP-09: the preview renders example values, never expands them, and names unknown variables', async () => {
    const path = '/api/v1/admin/notification-templates/impersonation.ended/de/preview';
    const stored = await s.admin.post(path, {});
    assert.equal(stored.status, 200);
    assert.equal(stored.body.subject, 'Max Müller handelt nicht mehr in Ihrem Namen');
    assert.match(stored.body.body, /Beendet durch: Rückkehr/);
    const draft = await s.admin.post(path, { body: '{actor} / {unbekannt}' });
    assert.equal(draft.body.body, 'Max Müller / {unbekannt}');
    assert.deepEqual(draft.body.unknownVariables, ['unbekannt']);
  });

  it('R-IMP-09: only superadmins and holders of notifications.manage reach templates and outbox', async () => {
    const paths = [
      ['GET', '/api/v1/admin/notification-templates'],
      ['GET', '/api/v1/admin/notification-templates/impersonation.started/en'],
      ['PUT', '/api/v1/admin/notification-templates/impersonation.started/en'],
      ['POST', '/api/v1/admin/notification-templates/impersonation.started/en/preview'],
      ['GET', '/api/v1/admin/outbox'],
    ] as const;
    const body = { subject: 'x', body: 'y', enabled: true };
    const send = (c: Client, method: string, path: string) =>
      method === 'GET' ? c.get(path) : c.request(method, path, method === 'PUT' ? body : {});

    const powerUser = await signedInAs('power-user');
    const powerUserWithPermission = await signedInAs('power-user', ['notifications.manage']);
    const plain = await signedInAs('user');
    const otherAdmin = (await s.signedInWith(['settings.manage', 'users.read'])).client;
    const manager = (await s.signedInWith(['notifications.manage'])).client;
    for (const [method, path] of paths) {
      for (const [who, c] of [
        ['power user', powerUser],
        ['power user holding notifications.manage', powerUserWithPermission],
        ['plain user', plain],
        ['system admin without notifications.manage', otherAdmin],
      ] as const) {
        const res = await send(c, method, path);
        assert.equal(res.status, 403, `${who} ${method} ${path}`);
      }
      const allowed = await send(manager, method, path);
      assert.equal(
        allowed.status,
        200,
        `notifications.manage ${method} ${path}: ${JSON.stringify(allowed.body)}`,
      );
      assert.equal((await send(s.client(), method, path)).status, 401);
    }
  });
});

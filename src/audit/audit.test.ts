// GET /api/v1/admin/audit-events over HTTP, and the promise behind it: every state change writes
// exactly one event naming who, what, which target, when and the request that caused it.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, strongPassword, type Client, type Reply, type TestServer } from '../../test/harness.ts';

interface AuditEvent {
  id: string;
  occurredAt: string;
  requestId: string | null;
  action: string;
  user: { id: string | null; label: string | null };
  actor: { id: string | null; label: string | null };
  target: { type: string; id: string | null; label: string | null };
  changes: Record<string, { before: unknown; after: unknown }> | null;
}

describe('audit trail over HTTP', () => {
  let s: TestServer;
  let adminId: string;
  before(async () => {
    s = await startServer();
    adminId = (await s.admin.get('/api/v1/session')).body.user.id;
  });
  after(() => s.close());

  /** The whole trail, newest first, read page by page. */
  async function everything(client: Client = s.admin, filter = ''): Promise<AuditEvent[]> {
    const out: AuditEvent[] = [];
    let cursor: string | null = null;
    do {
      const res: Reply = await client.get(
        `/api/v1/admin/audit-events?limit=200${filter}${cursor ? `&cursor=${cursor}` : ''}`,
      );
      assert.equal(res.status, 200, JSON.stringify(res.body));
      out.push(...res.body.items);
      cursor = res.body.nextCursor;
    } while (cursor);
    return out;
  }

  it('R-ADM-07: reading the trail needs audit.read', async () => {
    const auditor = await s.signedInWith(['audit.read']);
    const reader = await s.signedInWith(['users.read', 'settings.read']);
    const plain = await s.signedInWith([]);
    assert.equal((await auditor.client.get('/api/v1/admin/audit-events')).status, 200);
    const denied = await reader.client.get('/api/v1/admin/audit-events');
    assert.equal(denied.status, 403);
    assert.equal(denied.body.code, 'missing_permission');
    assert.equal((await plain.client.get('/api/v1/admin/audit-events')).body.code, 'forbidden');
    assert.equal((await s.client().get('/api/v1/admin/audit-events')).body.code, 'not_authenticated');
  });

  it('R-OPS-03: every state change writes exactly one event with who, what, target, when and request id', async () => {
    const has = (method: string, url: string) =>
      s.app.routeIndex.list().some((r) => r.method === method && r.url === url);
    let user: { id: string; primaryEmail: string } | undefined;
    const userId = () => user!.id;
    const subject = s.client();
    const steps: {
      name: string;
      route?: [string, string];
      /** Who the event must name as actor; empty for an anonymous request. */
      actor: () => string;
      /** The target's type when it is not the journey's user. */
      target?: string;
      run: () => Promise<Reply>;
    }[] = [
      {
        name: 'create a user',
        actor: () => adminId,
        run: async () => {
          const res = await s.admin.post('/api/v1/admin/users', {
            email: 'journey@example.test',
            firstName: 'Jo',
            lastName: 'Urney',
            gender: 'unspecified',
            language: 'en',
          });
          user = res.body;
          return res;
        },
      },
      {
        name: 'set a password',
        actor: () => adminId,
        run: () => s.admin.put(`/api/v1/admin/users/${userId()}/password`, { password: strongPassword }),
      },
      {
        name: 'grant permissions',
        actor: () => adminId,
        run: () =>
          s.admin.put(`/api/v1/admin/users/${userId()}/permissions`, {
            general: ['help'],
            system: ['users.read'],
          }),
      },
      {
        name: 'edit the profile',
        route: ['PATCH', '/api/v1/admin/users/:id'],
        actor: () => adminId,
        run: () => s.admin.patch(`/api/v1/admin/users/${userId()}`, { firstName: 'Joanna' }),
      },
      {
        name: 'add an e-mail address',
        route: ['POST', '/api/v1/admin/users/:id/emails'],
        actor: () => adminId,
        run: () => s.admin.post(`/api/v1/admin/users/${userId()}/emails`, { address: 'second@example.test' }),
      },
      {
        name: 'change the settings',
        actor: () => adminId,
        target: 'settings',
        run: () => s.admin.patch('/api/v1/admin/settings', { lockout: { threshold: 4 } }),
      },
      {
        name: 'a wrong password (counted towards the lockout)',
        actor: () => '',
        run: () => subject.login(user!.primaryEmail, 'Wrong-Password-77'),
      },
      {
        name: 'reset the login attempts',
        route: ['DELETE', '/api/v1/admin/users/:id/login-attempts'],
        actor: () => adminId,
        run: () => s.admin.delete(`/api/v1/admin/users/${userId()}/login-attempts`),
      },
      {
        name: 'log in',
        actor: userId,
        target: 'session',
        run: () => subject.login(user!.primaryEmail, strongPassword),
      },
      { name: 'log out', actor: userId, target: 'session', run: () => subject.post('/api/v1/auth/logout') },
      {
        name: 'switch two-factor to e-mail',
        route: ['PUT', '/api/v1/admin/users/:id/two-factor'],
        actor: () => adminId,
        run: () => s.admin.put(`/api/v1/admin/users/${userId()}/two-factor`, { method: 'email' }),
      },
      {
        name: 'deactivate',
        route: ['PATCH', '/api/v1/admin/users/:id'],
        actor: () => adminId,
        run: () => s.admin.patch(`/api/v1/admin/users/${userId()}`, { active: false }),
      },
      {
        name: 'delete',
        route: ['DELETE', '/api/v1/admin/users/:id'],
        actor: () => adminId,
        run: () => s.admin.delete(`/api/v1/admin/users/${userId()}?confirm=${userId()}`),
      },
    ];

    let ran = 0;
    for (const step of steps) {
      if (step.route && !has(...step.route)) continue;
      const before = new Set((await everything()).map((e) => e.id));
      s.clock.advance(1000);
      const res = await step.run();
      assert.ok(
        res.status < 300 || step.name.startsWith('a wrong'),
        `${step.name}: ${res.status} ${JSON.stringify(res.body)}`,
      );
      const fresh = (await everything()).filter((e) => !before.has(e.id));
      assert.equal(
        fresh.length,
        1,
        `${step.name} wrote ${fresh.map((e) => e.action).join(', ') || 'nothing'}`,
      );
      const [event] = fresh as [AuditEvent];
      assert.equal(event.requestId, res.headers.get('x-request-id'), `${step.name}: the request id`);
      assert.equal(event.occurredAt, new Date(s.clock.now()).toISOString(), `${step.name}: when`);
      assert.ok(event.action.length > 0, `${step.name}: what`);
      if (step.actor()) assert.equal(event.actor.id, step.actor(), `${step.name}: who`);
      assert.ok(event.actor.label === null || event.actor.label.length > 0);
      const expectedType = step.target ?? 'user';
      assert.equal(event.target.type, expectedType, `${step.name}: the target's type`);
      if (expectedType === 'user') assert.equal(event.target.id, userId(), `${step.name}: the target`);
      assert.notEqual(event.target.label, null, `${step.name}: a readable target`);
      ran++;
    }
    assert.ok(ran >= 8, `the journey ran ${ran} steps`);
  });

  it('R-OPS-03: reads and refused changes write nothing', async () => {
    const target = await s.createUser({ password: strongPassword });
    const before = (await everything()).length;
    const etag = (await s.admin.get(`/api/v1/admin/users/${target.id}`)).headers.get('etag')!;
    const reads = [
      await s.admin.get(`/api/v1/admin/users/${target.id}`),
      await s.admin.get('/api/v1/admin/settings'),
      await s.admin.get('/api/v1/session'),
      // Generating a password stores nothing (R-ADM-12): only saving it is a change.
      await s.admin.post(`/api/v1/admin/users/${target.id}/password/generate`),
    ];
    for (const res of reads) assert.equal(res.status, 200);
    const staleUser = etag.replace(/\d+/, (n) => String(Number(n) + 7));
    const refused = [
      await s.admin.post('/api/v1/admin/users', { email: 'nope' }),
      await s.admin.put(`/api/v1/admin/users/${target.id}/password`, { password: 'short' }),
      await s.admin.put(`/api/v1/admin/users/${target.id}/permissions`, { general: [], system: ['root'] }),
      await s.admin.patch('/api/v1/admin/settings', { lockout: { threshold: 0 } }),
      await s.admin.patch(
        '/api/v1/admin/settings',
        { lockout: { threshold: 9 } },
        { 'if-match': '"settings-999"' },
      ),
      await s.admin.put(
        `/api/v1/admin/users/${target.id}/password`,
        { password: strongPassword },
        { 'if-match': staleUser },
      ),
    ];
    assert.deepEqual(
      refused.map((r) => r.status),
      [422, 422, 422, 422, 412, 412],
    );
    assert.equal((await everything()).length, before);
  });

  it('R-OPS-03: pages run newest first, without gaps or repeats, through the cursor', async () => {
    for (let i = 0; i < 7; i++) {
      s.clock.advance(10);
      await s.admin.patch('/api/v1/admin/settings', { sessions: { idleTimeoutMinutes: 30 + i } });
    }
    // A trail that fills its last page exactly: that page must not promise another.
    let extra = 0;
    while ((await everything()).length % 3 !== 0) {
      await s.admin.patch('/api/v1/admin/settings', { sessions: { absoluteTimeoutHours: 20 + ++extra } });
    }
    const all = await everything();
    const paged: AuditEvent[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res: Reply = await s.admin.get(
        `/api/v1/admin/audit-events?limit=3${cursor ? `&cursor=${cursor}` : ''}`,
      );
      assert.equal(res.status, 200);
      assert.ok(res.body.items.length <= 3);
      paged.push(...res.body.items);
      cursor = res.body.nextCursor;
      pages++;
    } while (cursor);
    assert.deepEqual(
      paged.map((e) => e.id),
      all.map((e) => e.id),
    );
    assert.equal(pages, Math.ceil(all.length / 3), 'no empty last page');
    for (let i = 1; i < paged.length; i++) {
      assert.ok(paged[i - 1]!.occurredAt >= paged[i]!.occurredAt, 'newest first');
    }
    assert.equal(new Set(paged.map((e) => e.id)).size, paged.length, 'no repeats');
    const latest = await s.admin.get('/api/v1/admin/audit-events?limit=1');
    assert.equal(latest.body.items[0].id, all[0]!.id, 'the last change comes first');
    assert.equal(latest.body.items[0].action, 'settings.updated');
  });

  it('R-OPS-03: a cursor this server did not give out is 400 invalid_cursor', async () => {
    for (const cursor of [
      '!!!',
      'abc',
      Buffer.from('0').toString('base64url'),
      Buffer.from('-5').toString('base64url'),
      Buffer.from('1.5').toString('base64url'),
    ]) {
      const res = await s.admin.get(`/api/v1/admin/audit-events?cursor=${encodeURIComponent(cursor)}`);
      assert.equal(res.status, 400, cursor);
      assert.equal(res.body.code, 'invalid_cursor');
    }
    const tooLong = await s.admin.get(`/api/v1/admin/audit-events?cursor=${'a'.repeat(500)}`);
    assert.equal(tooLong.status, 422);
    const badLimit = await s.admin.get('/api/v1/admin/audit-events?limit=0');
    assert.equal(badLimit.status, 422);
    assert.equal((await s.admin.get('/api/v1/admin/audit-events?limit=201')).status, 422);
    assert.equal((await s.admin.get('/api/v1/admin/audit-events?from=yesterday')).status, 422);
  });

  it('R-OPS-03: filters by action, actor, target, user and time', async () => {
    const a = await s.createUser({ password: strongPassword });
    const b = await s.createUser({ password: strongPassword });
    const granter = await s.signedInWith(['users.read', 'users.create', 'users.credentials']);
    s.clock.advance(60_000);
    const from = new Date(s.clock.now()).toISOString();
    const setA = await granter.client.put(`/api/v1/admin/users/${a.id}/password`, {
      password: strongPassword,
    });
    assert.equal(setA.status, 204);
    s.clock.advance(60_000);
    const middle = new Date(s.clock.now()).toISOString();
    await s.admin.put(`/api/v1/admin/users/${b.id}/password`, { password: strongPassword });
    s.clock.advance(60_000);
    const to = new Date(s.clock.now()).toISOString();
    s.clock.advance(60_000);
    await s.admin.put(`/api/v1/admin/users/${a.id}/password`, { password: strongPassword });

    const byAction = await everything(s.admin, '&action=user.password_set');
    assert.ok(byAction.length >= 3);
    assert.ok(byAction.every((e) => e.action === 'user.password_set'));

    const byActor = await everything(s.admin, `&actorId=${granter.user.id}`);
    assert.deepEqual(
      byActor.map((e) => e.action),
      ['user.password_set', 'auth.login'],
    );
    assert.equal(byActor[0]!.target.id, a.id);
    assert.ok(byActor.every((e) => e.actor.id === granter.user.id));
    assert.ok(
      (await everything(s.admin, `&userId=${granter.user.id}`)).every((e) => e.user.id === granter.user.id),
    );

    const aboutA = await everything(s.admin, `&targetId=${a.id}`);
    assert.ok(aboutA.length >= 3, 'created, password by granter, password by admin');
    assert.ok(aboutA.every((e) => e.target.id === a.id));

    const window = await everything(
      s.admin,
      `&from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}&action=user.password_set`,
    );
    assert.deepEqual(
      window.map((e) => e.target.id),
      [b.id, a.id],
      'from is inclusive, to exclusive',
    );
    const half = await everything(
      s.admin,
      `&from=${encodeURIComponent(middle)}&to=${encodeURIComponent(to)}`,
    );
    assert.deepEqual(
      half.map((e) => e.target.id),
      [b.id],
    );
    const combined = await everything(
      s.admin,
      `&targetId=${a.id}&actorId=${adminId}&action=user.password_set&from=${encodeURIComponent(to)}`,
    );
    assert.equal(combined.length, 1, 'filters combine');
    assert.ok(combined[0]!.occurredAt > to);
    assert.deepEqual(await everything(s.admin, '&action=no.such.action'), []);
  });
});

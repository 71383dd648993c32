// Issue 10 #11, the audit trail for people, over HTTP: filters by person, by several actions and
// by impersonation (its start with the reason, what was done in it, its end); the list of
// actions; bad filters refused as query errors.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  adminEmail,
  adminPassword,
  startServer,
  strongPassword,
  type TestServer,
} from '../../test/harness.ts';
import { actAs } from '../../test/impersonation-helpers.ts';
import { newId } from '../shared/ids.ts';
import { insertImpersonation } from '../impersonation/impersonation.store.ts';
import { appendAuditEvent } from './audit.store.ts';
import { auditActions } from './actions.ts';

interface Event {
  id: string;
  action: string;
  user: { id: string | null; label: string | null };
  actor: { id: string | null; label: string | null };
  target: { type: string; id: string | null; label: string | null };
  impersonationId: string | null;
  impersonationReason: string | null;
}

describe('audit trail for people (issue 10 #11)', () => {
  let s: TestServer;
  let adminId: string;
  before(async () => {
    s = await startServer();
    adminId = (await s.admin.get('/api/v1/session')).body.user.id;
  });
  after(() => s.close());

  async function events(query: string): Promise<Event[]> {
    const res = await s.admin.get(`/api/v1/admin/audit-events?limit=200&${query}`);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return res.body.items;
  }

  it('R-IMP-08: filtering by an impersonation finds its start with the reason, what was done in it, and its end', async () => {
    const subject = await s.createUser({
      firstName: 'Jonas',
      lastName: 'Beispiel',
      password: strongPassword,
    });
    const acting = s.client();
    assert.equal((await acting.login(adminEmail, adminPassword)).status, 200);
    const started = await actAs(acting, subject.id, { reason: 'Ticket 4711: wrong surname' });
    const patched = await acting.patch('/api/v1/account/profile', { lastName: 'Beispielmann' });
    assert.equal(patched.status, 200, JSON.stringify(patched.body));
    const ended = await s.admin.delete(`/api/v1/admin/impersonations/${started.impersonationId}`);
    assert.equal(ended.status, 204);

    const trail = await events(`impersonationId=${started.impersonationId}`);
    assert.deepEqual(trail.map((e) => e.action).reverse(), [
      'impersonation.started',
      'impersonation.opened',
      'account.profile_updated',
      'impersonation.ended',
    ]);
    for (const e of trail) {
      assert.equal(e.impersonationId, started.impersonationId, e.action);
      assert.equal(e.impersonationReason, 'Ticket 4711: wrong surname', e.action);
    }
    const start = trail.at(-1)!;
    assert.equal(start.actor.id, adminId, 'the start is done by the administrator');
    assert.equal(start.target.id, subject.id, 'to the subject');
    const done = trail.find((e) => e.action === 'account.profile_updated')!;
    assert.equal(done.user.id, subject.id, 'done as the subject');
    assert.equal(done.actor.id, adminId, 'by the administrator');
  });

  it('R-IMP-08: a start event written without its impersonation ID (before issue 7 #7c) is found too', async () => {
    const subject = await s.createUser({ firstName: 'Alt', lastName: 'Eintrag' });
    const id = newId(s.clock.now());
    const at = s.clock.now();
    await s.services.database.transaction(async (trx) => {
      await insertImpersonation(trx, {
        id,
        actor_id: adminId,
        actor_label: 'Super Admin',
        actor_session_id: newId(at),
        subject_id: subject.id,
        subject_label: 'Alt Eintrag',
        reason: 'Old ticket',
        origin: 'users',
        domain_id: null,
        planned_minutes: 10,
        terms_accepted_on_behalf: false,
        started_at: at,
        expires_at: at + 600_000,
        handed_off_at: null,
        ended_at: at + 1,
        end_reason: 'expired',
        mode: 'act',
      });
      // As the start was written then: the ID and the reason only in its details.
      await appendAuditEvent(trx, {
        id: newId(at),
        occurred_at: at + 2,
        request_id: null,
        action: 'impersonation.started',
        user_id: adminId,
        user_label: 'Super Admin',
        actor_id: adminId,
        actor_label: 'Super Admin',
        impersonation_id: null,
        impersonation_reason: null,
        target_type: 'user',
        target_id: subject.id,
        target_label: 'Alt Eintrag',
        changes: null,
        details: JSON.stringify({ impersonationId: id, reason: 'Old ticket', plannedMinutes: 10 }),
        ip: null,
      });
    });
    const trail = await events(`impersonationId=${id}`);
    assert.equal(trail.length, 1);
    assert.equal(trail[0]!.action, 'impersonation.started');
    assert.equal(trail[0]!.impersonationId, id, 'named like every other event');
    assert.equal(trail[0]!.impersonationReason, 'Old ticket');
  });

  it('issue 10 #11: filtering by a person finds what they did, what was done as them, and what was done to them', async () => {
    const anna = await s.createUser({ firstName: 'Anna', lastName: 'Person', password: strongPassword });
    const other = await s.createUser({ firstName: 'Otto', lastName: 'Anders' });
    // To Anna: the administrator changes her profile.
    const renamed = await s.admin.patch(`/api/v1/admin/users/${anna.id}`, { firstName: 'Anne' });
    assert.ok([200, 204].includes(renamed.status), JSON.stringify(renamed.body));
    // By Anna: she signs in.
    const own = s.client();
    assert.equal((await own.login(anna.primaryEmail, strongPassword)).status, 200);
    // As Anna: the administrator acts as her.
    const acting = s.client();
    assert.equal((await acting.login(adminEmail, adminPassword)).status, 200);
    const started = await actAs(acting, anna.id, { reason: 'Help Anna' });
    assert.equal((await acting.patch('/api/v1/account/profile', { lastName: 'Personal' })).status, 200);
    assert.equal(
      (await s.admin.delete(`/api/v1/admin/impersonations/${started.impersonationId}`)).status,
      204,
    );

    const hers = await events(`personId=${anna.id}`);
    const actions = hers.map((e) => e.action);
    for (const a of [
      'user.created',
      'user.updated',
      'auth.login',
      'impersonation.started',
      'account.profile_updated',
    ]) {
      assert.ok(actions.includes(a), `${a} in ${actions.join()}`);
    }
    assert.ok(
      hers.every((e) => [e.actor.id, e.user.id, e.target.id].includes(anna.id)),
      'every event involves her',
    );
    assert.ok(!hers.some((e) => e.target.id === other.id), 'not what was done to someone else');
    // Combined with actions: only those.
    const logins = await events(`personId=${anna.id}&action=auth.login`);
    assert.deepEqual(
      logins.map((e) => e.action),
      ['auth.login'],
    );
  });

  it('issue 10 #11: several actions at once, and unknown but well-formed codes find nothing', async () => {
    const u = await s.createUser();
    assert.equal((await s.admin.patch(`/api/v1/admin/users/${u.id}`, { firstName: 'X' })).status < 300, true);
    const both = await events(`targetId=${u.id}&action=user.created,user.updated`);
    assert.deepEqual(both.map((e) => e.action).sort(), ['user.created', 'user.updated']);
    const one = await events(`targetId=${u.id}&action=user.created`);
    assert.deepEqual(
      one.map((e) => e.action),
      ['user.created'],
    );
    assert.deepEqual(await events('action=no.such_action'), []);
  });

  it('R-OPS-03: bad filters are query errors (422, naming the parameter), never a 500', async () => {
    const cases: Array<[string, string]> = [
      ['personId=not-a-uuid', 'personId'],
      ['action=user.created,DROP TABLE', 'action'],
      ['action=', 'action'],
      ['action=,,', 'action'],
      [`action=${'a.b,'.repeat(2000)}`, 'action'],
      ['impersonationId=' + 'x'.repeat(101), 'impersonationId'],
      ['whoever=1', '(query)'],
    ];
    for (const [query, field] of cases) {
      const res = await s.admin.get(`/api/v1/admin/audit-events?${query}`);
      assert.equal(res.status, 422, `${query}: ${JSON.stringify(res.body)}`);
      assert.equal(res.body.code, 'validation_failed', query);
      assert.equal(res.body.errors?.[0]?.field, field, query);
    }
  });

  it('issue 10 #11: the list of actions, for audit readers only', async () => {
    const res = await s.admin.get('/api/v1/admin/audit-events/actions');
    assert.equal(res.status, 200);
    assert.deepEqual(res.body.items, [...auditActions]);
    assert.ok(res.body.items.includes('impersonation.started'));
    const reader = await s.signedInWith(['users.read']);
    const denied = await reader.client.get('/api/v1/admin/audit-events/actions');
    assert.equal(denied.status, 403);
    assert.equal(denied.body.code, 'missing_permission');
    assert.equal((await s.client().get('/api/v1/admin/audit-events/actions')).status, 401);
  });
});

import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, type TestServer } from '../../test/harness.ts';
import { isAppError } from '../shared/errors.ts';
import { systemContext, type RequestContext } from '../shared/request-context.ts';
import type { Handler } from '../shared/hooks.ts';
import type { SignedInContext } from './terms.service.ts';
import { recordAudit } from '../audit/audit.ts';
import { principalOf } from '../users/user.ts';
import { findUser } from '../users/users.store.ts';

// The service functions the impersonation module calls (R-IMP-12): accepting on the subject's
// behalf inside the caller's transaction, and the termsRevoked hook inside the revocation's.

const impersonationId = '019a1b2c-3d4e-7f60-8a7b-000000000001';

describe('terms service (R-IMP-12 integration points)', () => {
  let s: TestServer;
  let adminId: string;
  before(async () => {
    s = await startServer();
    adminId = (await s.admin.get('/api/v1/session')).body.user.id;
  });
  after(() => s.close());
  beforeEach(async () => {
    for (const p of (await s.admin.get('/api/v1/admin/policies')).body.items) {
      if (p.inForce) await s.admin.post(`/api/v1/admin/policies/${p.id}/archive`);
    }
  });

  async function published(kind: 'privacy' | 'terms', title: string, parentId?: string) {
    const p = await s.admin.post('/api/v1/admin/policies', {
      kind,
      title,
      ...(parentId ? { parentId } : {}),
    });
    const v = await s.admin.post(`/api/v1/admin/policies/${p.body.id}/versions`, {
      body: title,
      publish: true,
    });
    assert.equal(v.status, 201);
    return { policyId: p.body.id as string, versionId: v.body.id as string };
  }

  /** The context of a request made by this user (as if signed in). */
  async function contextOf(
    userId: string,
    extra: Partial<Omit<RequestContext, 'user'>> = {},
  ): Promise<SignedInContext> {
    const user = await findUser(s.services.database.db, userId);
    return { ...systemContext('test-request'), user: principalOf(user!), ...extra };
  }

  async function acceptances(userId: string) {
    return s.services.database.db
      .selectFrom('policy_acceptances')
      .selectAll()
      .where('user_id', '=', userId)
      .orderBy('accepted_at')
      .execute();
  }

  async function auditOf(userId: string, action: string) {
    const res = await s.admin.get(`/api/v1/admin/audit-events?targetId=${userId}&action=${action}`);
    return res.body.items as Array<{ actor: { id: string }; user: { id: string }; details: any }>;
  }

  it('R-IMP-12: acceptOnBehalf records every pending current version as accepted on behalf, with the actor', async () => {
    const subject = await s.createUser();
    const privacy = await published('privacy', 'Privacy');
    const sub = await published('privacy', 'Cookies', privacy.policyId);
    const terms = await published('terms', 'Terms');
    // The subject accepted one of them already: that stays their own acceptance.
    await s.services.terms.accept(await contextOf(subject.id), [terms.versionId]);
    const ctx = await contextOf(adminId);
    const recorded = await s.services.database.transaction((trx) =>
      s.services.terms.acceptOnBehalf(trx, ctx, subject.id, { actorId: adminId, impersonationId }),
    );
    assert.deepEqual(
      recorded.map((v) => v.versionId),
      [privacy.versionId, sub.versionId],
    );
    const rows = await acceptances(subject.id);
    const byVersion = new Map(rows.map((r) => [r.policy_version_id, r]));
    for (const v of [privacy, sub]) {
      assert.equal(byVersion.get(v.versionId)!.accepted_on_behalf_by, adminId);
      assert.equal(byVersion.get(v.versionId)!.impersonation_id, impersonationId);
    }
    assert.equal(byVersion.get(terms.versionId)!.accepted_on_behalf_by, null);
    assert.deepEqual(await s.services.terms.pendingFor(s.services.database.db, subject.id), []);

    const events = await auditOf(subject.id, 'terms.accepted_on_behalf');
    assert.equal(events.length, 1);
    assert.equal(events[0]!.actor.id, adminId);
    assert.equal(events[0]!.details.acceptedOnBehalfBy, adminId);
    assert.equal(events[0]!.details.impersonationId, impersonationId);
    assert.equal(events[0]!.details.versions.length, 2);

    const again = await s.services.database.transaction((trx) =>
      s.services.terms.acceptOnBehalf(trx, ctx, subject.id, { actorId: adminId, impersonationId }),
    );
    assert.deepEqual(again, [], 'nothing pending, nothing recorded');
    assert.equal((await auditOf(subject.id, 'terms.accepted_on_behalf')).length, 1);
  });

  it('R-IMP-12: the subject sees an acceptance on their behalf as such in My Profile', async () => {
    const subject = await s.createUser({ password: 'Another-Strong-Pass-42' });
    const terms = await published('terms', 'Terms');
    // Read before the transaction: SQLite has one connection, which the transaction holds.
    const ctx = await contextOf(adminId);
    await s.services.database.transaction((trx) =>
      s.services.terms.acceptOnBehalf(trx, ctx, subject.id, { actorId: adminId, impersonationId }),
    );
    const client = s.client();
    await client.login(subject.primaryEmail, 'Another-Strong-Pass-42');
    const mine = (await client.get('/api/v1/account/terms')).body;
    assert.deepEqual(
      mine.accepted.map((a: any) => [a.versionId, a.onBehalf]),
      [[terms.versionId, true]],
    );
  });

  it("R-IMP-12: acceptOnBehalf commits or rolls back with the caller's transaction", async () => {
    const subject = await s.createUser();
    await published('terms', 'Terms');
    const ctx = await contextOf(adminId);
    await assert.rejects(
      s.services.database.transaction(async (trx) => {
        const recorded = await s.services.terms.acceptOnBehalf(trx, ctx, subject.id, {
          actorId: adminId,
          impersonationId,
        });
        assert.equal(recorded.length, 1);
        throw new Error('the impersonation start failed after accepting');
      }),
      /start failed/,
    );
    assert.deepEqual(await acceptances(subject.id), [], 'no acceptance without the impersonation');
    assert.deepEqual(await auditOf(subject.id, 'terms.accepted_on_behalf'), []);
    assert.equal((await s.services.terms.pendingFor(s.services.database.db, subject.id)).length, 1);
  });

  it('R-IMP-12: power users (and anyone but a superadmin) cannot accept on behalf', async () => {
    const subject = await s.createUser();
    const powerUser = await s.createUser();
    await s.services.database.db
      .updateTable('users')
      .set({ role: 'power-user' })
      .where('id', '=', powerUser.id)
      .execute();
    const terms = await published('terms', 'Terms');
    const ctx = await contextOf(powerUser.id);
    await assert.rejects(
      s.services.database.transaction((trx) =>
        s.services.terms.acceptOnBehalf(trx, ctx, subject.id, { actorId: powerUser.id, impersonationId }),
      ),
      (e) => isAppError(e) && e.code === 'forbidden',
    );
    // The same holds in an impersonated session: the actor is the power user.
    const acting = await contextOf(subject.id, { actor: ctx.user, impersonationId });
    await assert.rejects(
      s.services.terms.accept(acting, [terms.versionId]),
      (e) => isAppError(e) && e.code === 'forbidden',
    );
    assert.deepEqual(await acceptances(subject.id), []);
  });

  it('R-IMP-12: a superadmin accepting in an impersonated session is recorded as on behalf', async () => {
    const subject = await s.createUser();
    const terms = await published('terms', 'Terms');
    const acting = await contextOf(subject.id, { actor: (await contextOf(adminId)).user, impersonationId });
    await s.services.terms.accept(acting, [terms.versionId]);
    const [row] = await acceptances(subject.id);
    assert.equal(row!.accepted_on_behalf_by, adminId);
    assert.equal(row!.impersonation_id, impersonationId);
    const [event] = await auditOf(subject.id, 'terms.accepted_on_behalf');
    assert.equal(event!.user.id, subject.id, 'recorded as the subject');
    assert.equal(event!.actor.id, adminId, 'with the actor');
  });

  it('R-IMP-12: the termsRevoked hook runs inside the revoke transaction and sees the revocation', async () => {
    const { client, user } = await s.signedInWith([]);
    const terms = await published('terms', 'Terms');
    await client.post('/api/v1/account/terms/accept', { versionIds: [terms.versionId] });
    const seen: Array<{ userId: string; revokedInTrx: boolean }> = [];
    const handler: Handler<{ userId: string }> = async (trx, ctx, event) => {
      const row = await trx
        .selectFrom('policy_acceptances')
        .select('revoked_at')
        .where('user_id', '=', event.userId)
        .executeTakeFirstOrThrow();
      seen.push({ userId: event.userId, revokedInTrx: row.revoked_at !== null });
      // What the impersonation module will do: write its consequence in the same transaction.
      await recordAudit(trx, s.services.clock, ctx, {
        action: 'test.terms_revoked_consequence',
        target: { type: 'user', id: event.userId, label: null },
      });
    };
    s.services.hooks.termsRevoked.push(handler);
    try {
      assert.equal((await client.delete(`/api/v1/account/terms/${terms.policyId}`)).status, 204);
    } finally {
      s.services.hooks.termsRevoked.splice(s.services.hooks.termsRevoked.indexOf(handler), 1);
    }
    assert.deepEqual(seen, [{ userId: user.id, revokedInTrx: true }]);
    assert.equal((await auditOf(user.id, 'test.terms_revoked_consequence')).length, 1);
  });

  it('R-IMP-12: a failing termsRevoked handler leaves the acceptance unrevoked (one transaction)', async () => {
    const { client, user } = await s.signedInWith([]);
    const terms = await published('terms', 'Terms');
    await client.post('/api/v1/account/terms/accept', { versionIds: [terms.versionId] });
    const handler: Handler<{ userId: string }> = async (trx, ctx, event) => {
      await recordAudit(trx, s.services.clock, ctx, {
        action: 'test.terms_revoked_consequence',
        target: { type: 'user', id: event.userId, label: null },
      });
      throw new Error('the impersonation could not be ended');
    };
    s.services.hooks.termsRevoked.push(handler);
    try {
      const res = await client.delete(`/api/v1/account/terms/${terms.policyId}`);
      assert.equal(res.status, 500);
      assert.equal(res.body.code, 'internal_error');
    } finally {
      s.services.hooks.termsRevoked.splice(s.services.hooks.termsRevoked.indexOf(handler), 1);
    }
    const [row] = await acceptances(user.id);
    assert.equal(row!.revoked_at, null, 'still accepted');
    assert.deepEqual((await client.get('/api/v1/session')).body.pendingTerms, []);
    assert.deepEqual(await auditOf(user.id, 'terms.revoked'), [], 'no revocation event');
    assert.deepEqual(
      await auditOf(user.id, 'test.terms_revoked_consequence'),
      [],
      "the handler's write is gone too",
    );
  });
});

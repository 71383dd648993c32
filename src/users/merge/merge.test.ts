// R-ADM-10: connecting two profiles, through the HTTP API, on the database under test.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { adminEmail, adminPassword, startServer, strongPassword } from '../../../test/harness.ts';
import { actAs } from '../../../test/impersonation-helpers.ts';
import { assign, createDomain, createGroup, makeRole, setDomainOf, uniqueName } from '../../../test/orgs.ts';
import {
  connectedPair,
  countRows,
  mergeNow,
  ok,
  policyVersion,
  previewOf,
  read,
  seedRows,
} from '../../../test/merge.ts';
import { mergedTables } from './merge-plan.ts';

const s = await startServer();

interface Case {
  name: string;
  /** Who survives: B (the verified holder, the default) or A (the administrator's pick). */
  survivor: 'a' | 'b';
  setup?: (a: any, b: any) => Promise<void>;
  choices?: Record<string, string>;
  check?: (survivor: any, preview: any) => void | Promise<void>;
}

const cases: Case[] = [
  { name: 'the holder of the verified address survives', survivor: 'b' },
  {
    name: 'the administrator picks the other profile; the verified copy verifies its address',
    survivor: 'a',
    check: (survivor, preview) => {
      assert.deepEqual(preview.emails.verify, [preview.connectingAddresses[0]]);
      assert.ok(
        survivor.emails.every((e: any) => e.verified || e.address !== preview.connectingAddresses[0]),
      );
    },
  },
  {
    name: 'permissions differ: the union is kept when chosen',
    survivor: 'b',
    setup: async (a, b) => {
      ok(
        await s.admin.put(`/api/v1/admin/users/${a.id}/permissions`, {
          general: ['help'],
          system: ['audit.read'],
        }),
        200,
        'a',
      );
      ok(
        await s.admin.put(`/api/v1/admin/users/${b.id}/permissions`, { general: ['support'], system: [] }),
        200,
        'b',
      );
    },
    choices: { permissions: 'union' },
    check: (survivor) => {
      assert.deepEqual(survivor.permissions, { general: ['help', 'support'], system: ['audit.read'] });
    },
  },
  {
    name: 'permissions differ: the survivor keeps its own when chosen',
    survivor: 'b',
    setup: async (a) => {
      ok(
        await s.admin.put(`/api/v1/admin/users/${a.id}/permissions`, { general: [], system: ['users.read'] }),
        200,
        'a',
      );
    },
    choices: { permissions: 'survivor' },
    check: (survivor) => assert.deepEqual(survivor.permissions, { general: [], system: [] }),
  },
  {
    name: 'the absorbed profile is locked and inactive; the survivor keeps its own state',
    survivor: 'b',
    setup: async (a) => {
      await s.services.database.db
        .updateTable('users')
        .set({ locked_until: s.clock.now() + 3_600_000, failed_logins: 9 })
        .where('id', '=', a.id)
        .execute();
      ok(await s.admin.patch(`/api/v1/admin/users/${a.id}`, { active: false }), 200, 'deactivate a');
    },
    check: (survivor, preview) => {
      assert.ok(survivor.active);
      assert.ok(!survivor.tags.includes('locked'));
      assert.ok(preview.droppedProfile.includes('inactive') && preview.droppedProfile.includes('lock'));
    },
  },
  {
    name: 'the survivor is inactive: it stays inactive',
    survivor: 'b',
    setup: async (_a, b) =>
      void ok(await s.admin.patch(`/api/v1/admin/users/${b.id}`, { active: false }), 200, 'b off'),
    check: (survivor) => assert.equal(survivor.active, false),
  },
  {
    name: 'domains differ: the absorbed domain is taken when chosen',
    survivor: 'b',
    setup: async (a, b) => {
      const d1 = await createDomain(s, uniqueName('d'));
      const d2 = await createDomain(s, uniqueName('d'));
      await setDomainOf(s, a.id, d1.id);
      await setDomainOf(s, b.id, d2.id);
    },
    choices: { domain: 'absorbed' },
    check: (survivor, preview) => assert.equal(survivor.domainId, preview.differences.domain.absorbed),
  },
  {
    name: 'an absorbed power user keeps its reach when the union makes the survivor one',
    survivor: 'b',
    setup: async (a) => {
      await makeRole(s, a.id, 'power-user');
      const g = await createGroup(s, uniqueName('g'));
      await assign(s, a.id, { groups: [g.id] });
    },
    choices: { permissions: 'union' },
    check: (survivor, preview) => {
      assert.equal(survivor.role, 'power-user');
      assert.equal(preview.powerUserResources.move.length, 1);
    },
  },
];

describe('connect profiles (R-ADM-10)', () => {
  after(() => s.close());

  for (const c of cases) {
    it(`R-ADM-10: ${c.name}; every row of the absorbed profile moves or is listed as dropped`, async () => {
      const { a, b } = await connectedPair(s);
      const version = await policyVersion(s);
      await seedRows(s, a.id, { policyVersionId: version, acceptedAt: s.clock.now() - 1000 });
      await seedRows(s, b.id, { policyVersionId: version, acceptedAt: s.clock.now() });
      await createGroup(s, uniqueName('both'), [a.id, b.id]);
      await createGroup(s, uniqueName('a-only'), [a.id]);
      for (const u of [a, b]) ok(await s.client().login(u.primaryEmail, strongPassword), 200, 'session');
      await c.setup?.(a, b);
      const [survivor, absorbed] = c.survivor === 'b' ? [b, a] : [a, b];
      const before = { survivor: await countRows(s, survivor.id), absorbed: await countRows(s, absorbed.id) };

      const { preview, res } = await mergeNow(s, survivor.id, absorbed.id, c.choices);
      assert.equal(preview.suggestedSurvivorId, b.id, 'B holds the verified address');
      const merged = ok(res, 200, 'merge');
      assert.equal(merged.id, survivor.id);

      const afterCounts = {
        survivor: await countRows(s, survivor.id),
        absorbed: await countRows(s, absorbed.id),
      };
      for (const table of mergedTables) {
        const t = preview.tables[table];
        assert.equal(
          t.moved + t.dropped,
          before.absorbed[table],
          `${table}: every absorbed row is moved or dropped`,
        );
        assert.equal(afterCounts.absorbed[table], 0, `${table}: nothing names the absorbed profile`);
        assert.equal(
          afterCounts.survivor[table],
          before.survivor[table] + t.moved - t.replaced,
          `${table}: the survivor holds its rows and the moved ones`,
        );
      }
      assert.equal(
        preview.tables.sessions.dropped,
        before.absorbed.sessions,
        "the absorbed profile's sessions end",
      );
      // A accepted first: as the absorbed profile its acceptance replaces B's later one.
      assert.equal(preview.tables.policy_acceptances.replaced, c.survivor === 'b' ? 1 : 0);
      assert.deepEqual(preview.preferences.drop, ['shared.key']);
      assert.equal(preview.groups.drop.length, 1);
      assert.equal(merged.emails.filter((e: any) => e.primary).length, 1);
      assert.equal(merged.primaryEmail, survivor.primaryEmail, 'the survivor keeps its primary address');
      await c.check?.(merged, preview);

      const gone = await s.admin.get(`/api/v1/admin/users/${absorbed.id}`);
      assert.equal(gone.status, 404);
      assert.equal(gone.body.code, 'user_merged');
      assert.equal(gone.body.survivorId, survivor.id);
    });
  }

  it('R-ADM-10: one audit event names both IDs; the absorbed history is found under the survivor', async () => {
    const { a, b } = await connectedPair(s);
    ok((await mergeNow(s, b.id, a.id)).res, 200, 'merge');
    const events = ok(await s.admin.get(`/api/v1/admin/audit-events?targetId=${b.id}`), 200, 'audit').items;
    const merged = events.filter((e: any) => e.action === 'user.merged');
    assert.equal(merged.length, 1);
    assert.equal(merged[0].details.absorbedId, a.id);
    assert.equal(merged[0].details.survivorId, b.id);
    assert.ok(merged[0].details.moved.user_emails >= 1);
    assert.ok(
      events.some((e: any) => e.action === 'user.created' && e.target.id === a.id),
      "A's creation",
    );
  });

  it('R-ADM-10: a stale preview is refused with 412 and changes nothing', async () => {
    const { a, b } = await connectedPair(s);
    const preview = ok(await previewOf(s, b.id, a.id), 200, 'preview');
    ok(await s.admin.patch(`/api/v1/admin/users/${a.id}`, { firstName: 'Changed' }), 200, 'change A');
    const res = await s.admin.post(`/api/v1/admin/users/${b.id}/merge`, {
      absorbId: a.id,
      survivorETag: preview.survivorETag,
      absorbETag: preview.absorbETag,
    });
    assert.equal(res.status, 412);
    assert.equal(res.body.code, 'precondition_failed');
    assert.equal((await read(s, a.id)).firstName, 'Changed', 'A is still there');
    assert.equal((await read(s, b.id)).emails.length, 1, 'B has only its own address');
  });

  it('R-ADM-10: differences must be decided; an undecided merge is 422 and changes nothing', async () => {
    const { a, b } = await connectedPair(s);
    ok(
      await s.admin.put(`/api/v1/admin/users/${a.id}/permissions`, { general: ['help'], system: [] }),
      200,
      'a',
    );
    const preview = ok(await previewOf(s, b.id, a.id), 200, 'preview');
    assert.deepEqual(preview.differences.permissions.absorbed.general, ['help']);
    const res = await s.admin.post(`/api/v1/admin/users/${b.id}/merge`, {
      absorbId: a.id,
      survivorETag: preview.survivorETag,
      absorbETag: preview.absorbETag,
    });
    assert.equal(res.status, 422);
    assert.equal(res.body.errors[0].field, 'choices.permissions');
    await read(s, a.id);
  });

  it('R-ADM-10: profiles without a connecting address cannot be connected', async () => {
    const a = await s.createUser();
    const b = await s.createUser();
    const res = await previewOf(s, b.id, a.id);
    assert.equal(res.status, 409);
    assert.equal(res.body.code, 'merge_not_connected');
  });

  it('R-ADM-10: a superadmin cannot be absorbed, but may survive', async () => {
    const { a, b } = await connectedPair(s);
    await makeRole(s, b.id, 'superadmin');
    const res = await previewOf(s, a.id, b.id);
    assert.equal(res.status, 409);
    assert.equal(res.body.code, 'merge_absorbs_superadmin');
    ok((await mergeNow(s, b.id, a.id, { permissions: 'survivor' })).res, 200, 'the superadmin survives');
  });

  it('R-ADM-10: refused while either profile is in an impersonation', async () => {
    const { a, b } = await connectedPair(s);
    // A real impersonation, started and opened through the API by the superadmin in another
    // browser; the merge is asked for from the superadmin's usual session.
    const acting = s.client();
    assert.equal((await acting.login(adminEmail, adminPassword)).status, 200);
    // An earlier case published terms: the superadmin accepts them on A's behalf (R-IMP-12).
    await actAs(acting, a.id, { acceptTermsOnBehalf: true });
    const res = await previewOf(s, b.id, a.id);
    assert.equal(res.status, 409);
    assert.equal(res.body.code, 'merge_impersonating');
    assert.ok((await acting.delete('/api/v1/impersonation')).status < 400);
    assert.equal((await previewOf(s, b.id, a.id)).status, 200, 'after the end it goes ahead');
  });

  it('R-ADM-08, R-ADM-10: an administrator cannot connect their own profile', async () => {
    const { client, user } = await s.signedInWith([
      'users.read',
      'users.update',
      'users.credentials',
      'users.delete',
    ]);
    const other = await s.createUser();
    ok(
      await s.admin.post(`/api/v1/admin/users/${other.id}/emails`, {
        address: user.primaryEmail,
        verified: false,
      }),
      201,
      'add',
    );
    ok(
      await s.admin.post(`/api/v1/admin/users/${user.id}/emails/${user.emails[0].id}/verify`),
      200,
      'verify',
    );
    for (const [survivor, absorbed] of [
      [user.id, other.id],
      [other.id, user.id],
    ]) {
      const res = await client.post(`/api/v1/admin/users/${survivor}/merge-preview`, { absorbId: absorbed });
      assert.equal(res.status, 403);
      assert.equal(res.body.code, 'self_administration');
    }
  });

  it('R-ADM-10: it needs users.delete, and a role change only a superadmin makes', async () => {
    const { a, b } = await connectedPair(s);
    const weak = await s.signedInWith(['users.read', 'users.update', 'users.credentials']);
    const res = await weak.client.post(`/api/v1/admin/users/${b.id}/merge-preview`, { absorbId: a.id });
    assert.equal(res.status, 403);
    assert.equal(res.body.code, 'missing_permission');
    const admin = await s.signedInWith([
      'users.read',
      'users.update',
      'users.credentials',
      'users.delete',
      'users.permissions',
    ]);
    await makeRole(s, a.id, 'power-user');
    const union = await admin.client.post(`/api/v1/admin/users/${b.id}/merge-preview`, {
      absorbId: a.id,
      choices: { permissions: 'union' },
    });
    assert.equal(union.status, 403, 'the union would make B a power user');
    const keep = await admin.client.post(`/api/v1/admin/users/${b.id}/merge-preview`, {
      absorbId: a.id,
      choices: { permissions: 'survivor' },
    });
    assert.equal(keep.status, 200);
  });

  it('R-ADM-10: the user page finds the profile to connect with', async () => {
    const { a, b, address } = await connectedPair(s);
    const found = ok(await s.admin.get(`/api/v1/admin/users/${a.id}/merge-candidates`), 200, 'candidates');
    assert.deepEqual(
      found.items.map((c: any) => [c.address, c.user.id]),
      [[address, b.id]],
    );
    assert.deepEqual(
      ok(await s.admin.get(`/api/v1/admin/users/${b.id}/merge-candidates`), 200, 'none').items,
      [],
    );
  });
});

describe('connect profiles and open approvals (R-ADM-10, R-IMP-17)', () => {
  it('R-ADM-10, R-IMP-17: a consent request open for the absorbed profile is withdrawn, not inherited', async () => {
    // A server of its own: the setting would otherwise reach this file's concurrent tests.
    const s = await startServer();
    try {
      ok(
        await s.admin.patch('/api/v1/admin/settings', { approval: { consent: 'always' } }),
        200,
        'consent on',
      );
      const { a, b } = await connectedPair(s);
      const asked = await s.admin.post(`/api/v1/admin/users/${a.id}/impersonation/approvals`, {
        kind: 'consent',
        reason: 'Ticket 9',
        durationMinutes: 30,
      });
      ok(asked, 201, 'consent asked of A');
      ok((await mergeNow(s, b.id, a.id)).res, 200, 'merge');
      const rows = await s.services.database.db
        .selectFrom('impersonation_approvals')
        .select(['status', 'subject_id'])
        .where('id', '=', asked.body.id)
        .execute();
      assert.deepEqual(
        rows.map((r) => ({ ...r })),
        [{ status: 'withdrawn', subject_id: a.id }],
      );
      const start = await s.admin.post(`/api/v1/admin/users/${b.id}/impersonation`, {
        reason: 'Ticket 9',
        durationMinutes: 30,
      });
      assert.equal(start.body.code, 'consent_required', 'the survivor has not consented');
    } finally {
      await s.close();
    }
  });
});

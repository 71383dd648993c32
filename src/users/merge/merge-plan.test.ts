// R-ADM-10: the pure rules of connecting profiles, by tables.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { User, UserEmail } from '../user.ts';
import { connectingAddresses, defaultSurvivor, planMerge, type MergeSide } from './merge-plan.ts';

const email = (address: string, verified: boolean, primary = false, id = address): UserEmail => ({
  id: `${id}@${verified}`,
  address,
  verified,
  verifiedAt: verified ? 1 : null,
  primary,
  createdAt: 1,
});

function side(
  id: string,
  emails: UserEmail[],
  overrides: Partial<Omit<MergeSide, 'user'>> & { user?: Partial<User> } = {},
): MergeSide {
  const { user, ...rest } = overrides;
  return {
    user: {
      id,
      username: null,
      firstName: id,
      lastName: 'X',
      gender: 'unspecified',
      language: 'en',
      primaryEmail: emails[0]?.address ?? null,
      role: 'user',
      generalPermissions: [],
      systemPermissions: [],
      active: true,
      hasPassword: false,
      twoFactorMethod: 'none',
      failedLogins: 0,
      lockedUntil: null,
      createdAt: 1,
      updatedAt: 1,
      version: 1,
      domainId: null,
      ...user,
    },
    emails,
    linkedAccounts: [],
    groups: [],
    resources: [],
    assignedTo: [],
    acceptances: [],
    notifications: [],
    preferences: [],
    sessions: 0,
    loginChallenges: 0,
    emailVerifications: 0,
    totpEnrolments: 0,
    appGrants: [],
    openImpersonations: 0,
    ...rest,
  };
}

describe('merge plan (R-ADM-10)', () => {
  it('R-ADM-10: connecting addresses are unverified on one side and verified on the other', () => {
    const table: Array<[UserEmail[], UserEmail[], string[]]> = [
      [[email('p@x.test', false)], [email('P@x.test', true)], ['p@x.test']],
      [[email('p@x.test', true)], [email('p@x.test', false)], ['p@x.test']],
      [[email('p@x.test', false)], [email('p@x.test', false)], []],
      [[email('p@x.test', false)], [email('q@x.test', true)], []],
    ];
    for (const [a, b, expected] of table) assert.deepEqual(connectingAddresses(a, b), expected);
  });

  it('R-ADM-10: the holder of the verified address is the suggested survivor', () => {
    const a = side('a', [email('p@x.test', false)]);
    const b = side('b', [email('p@x.test', true)]);
    assert.equal(defaultSurvivor(a, b), 'b');
    assert.equal(defaultSurvivor(b, a), 'b');
  });

  it('R-ADM-10: e-mails: duplicates dropped, verified wins, the absorbed primary moves as a secondary', () => {
    const survivor = side('s', [email('s@x.test', true, true), email('p@x.test', false)]);
    const absorbed = side('a', [email('a@x.test', false, true), email('p@x.test', true)]);
    const plan = planMerge(survivor, absorbed, {}, true);
    assert.deepEqual(
      plan.emails.move.map((e) => e.address),
      ['a@x.test'],
    );
    assert.deepEqual(
      plan.emails.drop.map((e) => e.address),
      ['p@x.test'],
    );
    assert.deepEqual(
      plan.emails.verify.map((e) => e.address),
      ['p@x.test'],
    );
  });

  it('R-ADM-10: rights: a difference must be chosen; each choice gives its set', () => {
    const s = side('s', [email('p@x.test', true)], { user: { generalPermissions: ['support'] } });
    const a = side('a', [email('p@x.test', false)], {
      user: { role: 'power-user', systemPermissions: ['audit.read'] },
    });
    assert.throws(() => planMerge(s, a, {}, true), { code: 'validation_failed' });
    const table = [
      ['survivor', 'user', [], ['support']],
      ['absorbed', 'power-user', ['audit.read'], []],
      ['union', 'power-user', ['audit.read'], ['support']],
    ] as const;
    for (const [choice, role, system, general] of table) {
      const { rights } = planMerge(s, a, { permissions: choice }, true).result;
      assert.deepEqual(rights, { role, system, general }, choice);
    }
  });

  it('R-ADM-10: refusals: same profile, not connected, superadmin absorbed, open impersonation', () => {
    const s = side('s', [email('p@x.test', true)]);
    const a = side('a', [email('p@x.test', false)]);
    const table: Array<[MergeSide, MergeSide, string]> = [
      [s, s, 'merge_same_profile'],
      [s, side('a', [email('q@x.test', false)]), 'merge_not_connected'],
      [s, side('a', a.emails, { user: { role: 'superadmin' } }), 'merge_absorbs_superadmin'],
      [side('s', s.emails, { openImpersonations: 1 }), a, 'merge_impersonating'],
    ];
    for (const [survivor, absorbed, code] of table) {
      assert.throws(() => planMerge(survivor, absorbed, {}, false), { code }, code);
    }
  });

  it('R-ADM-10: acceptances: the earlier standing one is kept, revoked ones always move', () => {
    const s = side('s', [email('p@x.test', true)], {
      acceptances: [{ id: 's1', policyVersionId: 'v1', acceptedAt: 20, revoked: false }],
    });
    const table: Array<[MergeSide['acceptances'][number], string[], Array<{ id: string; side: string }>]> = [
      [
        { id: 'a1', policyVersionId: 'v1', acceptedAt: 10, revoked: false },
        ['a1'],
        [{ id: 's1', side: 'survivor' }],
      ],
      [
        { id: 'a1', policyVersionId: 'v1', acceptedAt: 30, revoked: false },
        [],
        [{ id: 'a1', side: 'absorbed' }],
      ],
      [{ id: 'a1', policyVersionId: 'v1', acceptedAt: 30, revoked: true }, ['a1'], []],
      [{ id: 'a1', policyVersionId: 'v2', acceptedAt: 30, revoked: false }, ['a1'], []],
    ];
    for (const [acceptance, move, drop] of table) {
      const a = side('a', [email('p@x.test', false)], { acceptances: [acceptance] });
      assert.deepEqual(planMerge(s, a, {}, true).acceptances, { move, drop });
    }
  });

  it('R-ADM-10: power-user resources move only with the role, never naming either profile', () => {
    const s = side('s', [email('p@x.test', true)], { user: { role: 'power-user' }, resources: ['group:g1'] });
    const a = side('a', [email('p@x.test', false)], {
      user: { role: 'power-user' },
      resources: ['group:g1', 'group:g2', 'user:s', 'user:other'],
      assignedTo: ['pu1'],
    });
    const plan = planMerge(s, a, {}, true);
    assert.deepEqual(plan.resources, { move: ['group:g2', 'user:other'], drop: ['group:g1', 'user:s'] });
    assert.deepEqual(plan.assignments.drop, ['pu1']);
    const asUser = planMerge(side('s', s.emails), a, { permissions: 'survivor' }, true);
    assert.equal(asUser.resources.move.length, 0);
    assert.equal(asUser.tables.power_user_resources.dropped, 5);
  });
});

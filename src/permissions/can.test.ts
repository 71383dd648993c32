// The authorization rule as tables (R-ADM-07, R-ADM-08): actor kinds x actions x target kinds,
// each cell the decision. Typed by `Action`, so a new action does not compile until its row
// says who may do it.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { can, type Action, type Actor, type TargetUser } from './can.ts';
import { generalPermissions } from './catalogue.ts';
import { actors, all, letter, type ActorKind, type Code } from './can.fixtures.ts';

type UserAction = Extract<Action, `users.${string}`>;
type OtherAction = Exclude<Action, UserAction>;

// The target columns, in this order: no target, self, a plain user, a system administrator with
// users.read only, one with every permission, a superadmin.
const columns = ['(none)', 'self', 'plain user', 'lesser admin', 'greater admin', 'superadmin'] as const;
function targetsFor(actor: Actor): (TargetUser | undefined)[] {
  return [
    undefined,
    {
      id: actor.id,
      role: actor.role,
      systemPermissions: actor.systemPermissions,
      generalPermissions: actor.generalPermissions,
    },
    { id: 't-plain', role: 'user', systemPermissions: [], generalPermissions: [] },
    { id: 't-lesser', role: 'user', systemPermissions: ['users.read'], generalPermissions: [] },
    { id: 't-greater', role: 'user', systemPermissions: all, generalPermissions: [] },
    { id: 't-super', role: 'superadmin', systemPermissions: [], generalPermissions: [] },
  ];
}

const userTable: Record<ActorKind, Record<UserAction, string>> = {
  //                          none self plain lesser greater super
  superadmin: {
    'users.read': '          A    A    A     A      A       A',
    'users.create': '        A    A    A     A      A       A',
    'users.update': '        A    S    A     A      A       A',
    'users.activate': '      A    S    A     A      A       A',
    'users.credentials': '   A    S    A     A      A       A',
    'users.permissions': '   A    S    A     A      A       A',
    'users.delete': '        A    S    A     A      A       A',
    'users.role': '          A    S    A     A      A       A',
    'users.resources': '     A    S    A     A      A       A',
  },
  'system admin with every permission': {
    'users.read': '          A    A    A     A      A       A',
    'users.create': '        A    A    A     A      A       T',
    'users.update': '        A    S    A     A      A       T',
    'users.activate': '      A    S    A     A      A       T',
    'users.credentials': '   A    S    A     A      A       T',
    'users.permissions': '   A    S    A     A      A       T',
    'users.delete': '        A    S    A     A      A       T',
    'users.role': '          M    M    M     M      M       M',
    'users.resources': '     M    M    M     M      M       M',
  },
  'system admin with users.read': {
    'users.read': '          A    A    A     A      A       A',
    'users.create': '        M    M    M     M      M       M',
    'users.update': '        M    M    M     M      M       M',
    'users.activate': '      M    M    M     M      M       M',
    'users.credentials': '   M    M    M     M      M       M',
    'users.permissions': '   M    M    M     M      M       M',
    'users.delete': '        M    M    M     M      M       M',
    'users.role': '          M    M    M     M      M       M',
    'users.resources': '     M    M    M     M      M       M',
  },
  'system admin with users.update': {
    'users.read': '          M    M    M     M      M       M',
    'users.create': '        M    M    M     M      M       M',
    'users.update': '        A    S    A     E      E       T',
    'users.activate': '      A    S    A     E      E       T',
    'users.credentials': '   M    M    M     M      M       M',
    'users.permissions': '   M    M    M     M      M       M',
    'users.delete': '        M    M    M     M      M       M',
    'users.role': '          M    M    M     M      M       M',
    'users.resources': '     M    M    M     M      M       M',
  },
  'plain user': {
    'users.read': '          M    M    M     M      M       M',
    'users.create': '        M    M    M     M      M       M',
    'users.update': '        M    M    M     M      M       M',
    'users.activate': '      M    M    M     M      M       M',
    'users.credentials': '   M    M    M     M      M       M',
    'users.permissions': '   M    M    M     M      M       M',
    'users.delete': '        M    M    M     M      M       M',
    'users.role': '          M    M    M     M      M       M',
    'users.resources': '     M    M    M     M      M       M',
  },
  'power user': {
    'users.read': '          M    M    M     M      M       M',
    'users.create': '        M    M    M     M      M       M',
    'users.update': '        M    M    M     M      M       M',
    'users.activate': '      M    M    M     M      M       M',
    'users.credentials': '   M    M    M     M      M       M',
    'users.permissions': '   M    M    M     M      M       M',
    'users.delete': '        M    M    M     M      M       M',
    'users.role': '          M    M    M     M      M       M',
    'users.resources': '     M    M    M     M      M       M',
  },
  'acting as a system admin with every permission': {
    'users.read': '          A    A    A     A      A       A',
    'users.create': '        A    A    A     A      S       T',
    'users.update': '        A    S    A     A      S       T',
    'users.activate': '      A    S    A     A      S       T',
    'users.credentials': '   A    S    A     A      S       T',
    'users.permissions': '   A    S    A     A      S       T',
    'users.delete': '        A    S    A     A      S       T',
    'users.role': '          M    M    M     M      M       M',
    'users.resources': '     M    M    M     M      M       M',
  },
};

// Actions on the platform rather than on a user: decided without a target.
const otherTable: Record<ActorKind, Record<OtherAction, Code>> = {
  superadmin: {
    'settings.read': 'A',
    'settings.manage': 'A',
    'audit.read': 'A',
    'notifications.manage': 'A',
    'groups.read': 'A',
    'groups.manage': 'A',
    'domains.read': 'A',
    'domains.manage': 'A',
    'apps.manage': 'A',
    'impersonations.manage': 'A',
  },
  'system admin with every permission': {
    'settings.read': 'A',
    'settings.manage': 'A',
    'audit.read': 'A',
    'notifications.manage': 'A',
    'groups.read': 'A',
    'groups.manage': 'A',
    'domains.read': 'A',
    'domains.manage': 'A',
    'apps.manage': 'A',
    'impersonations.manage': 'A',
  },
  'system admin with users.read': {
    'settings.read': 'M',
    'settings.manage': 'M',
    'audit.read': 'M',
    'notifications.manage': 'M',
    'groups.read': 'A',
    'groups.manage': 'M',
    'domains.read': 'A',
    'domains.manage': 'M',
    'apps.manage': 'M',
    'impersonations.manage': 'M',
  },
  'system admin with users.update': {
    'settings.read': 'M',
    'settings.manage': 'M',
    'audit.read': 'M',
    'notifications.manage': 'M',
    'groups.read': 'M',
    'groups.manage': 'M',
    'domains.read': 'M',
    'domains.manage': 'M',
    'apps.manage': 'M',
    'impersonations.manage': 'M',
  },
  'plain user': {
    'settings.read': 'M',
    'settings.manage': 'M',
    'audit.read': 'M',
    'notifications.manage': 'M',
    'groups.read': 'M',
    'groups.manage': 'M',
    'domains.read': 'M',
    'domains.manage': 'M',
    'apps.manage': 'M',
    'impersonations.manage': 'M',
  },
  'power user': {
    'settings.read': 'M',
    'settings.manage': 'M',
    'audit.read': 'M',
    'notifications.manage': 'M',
    'impersonations.manage': 'M',
    'groups.read': 'M',
    'groups.manage': 'M',
    'domains.read': 'M',
    'domains.manage': 'M',
    'apps.manage': 'M',
  },
  // Issue 10 #4 (R-IMP-03): the subject's rights, as if the subject worked in the console.
  'acting as a system admin with every permission': {
    'settings.read': 'A',
    'settings.manage': 'A',
    'audit.read': 'A',
    'notifications.manage': 'A',
    'groups.read': 'A',
    'groups.manage': 'A',
    'domains.read': 'A',
    'domains.manage': 'A',
    'apps.manage': 'A',
    'impersonations.manage': 'A',
  },
};

describe('can(actor, action, target)', () => {
  for (const kind of Object.keys(actors) as ActorKind[]) {
    const actor: Actor = actors[kind];
    it(`R-ADM-07, R-ADM-08: ${kind} on users`, () => {
      const targets = targetsFor(actor);
      for (const [action, row] of Object.entries(userTable[kind]) as [UserAction, string][]) {
        const expected = row.trim().split(/\s+/);
        assert.equal(expected.length, columns.length, `row ${kind} ${action} has a cell per column`);
        targets.forEach((target, i) => {
          assert.equal(
            letter(can(actor, action, target)),
            expected[i],
            `${kind} -> ${action} on ${columns[i]}: expected ${expected[i]}`,
          );
        });
      }
    });
    it(`R-ADM-07: ${kind} on the platform (settings, audit trail, impersonations, notifications, groups, domains)`, () => {
      for (const [action, expected] of Object.entries(otherTable[kind]) as [OtherAction, Code][]) {
        assert.equal(letter(can(actor, action)), expected, `${kind} -> ${action}`);
      }
    });
  }

  it('R-ADM-07: a denial names its reason, with the stable code the API answers', () => {
    assert.deepEqual(can(actors['plain user'], 'users.read'), {
      allowed: false,
      reason: 'missing_permission',
    });
    assert.deepEqual(
      can(
        actors['system admin with every permission'],
        'users.delete',
        targetsFor(actors['system admin with every permission'])[1],
      ),
      {
        allowed: false,
        reason: 'self_administration',
      },
    );
    assert.deepEqual(can(actors.superadmin, 'settings.manage'), { allowed: true });
  });

  it('R-ADM-07, issue 10 #4: no system administrator ever acts on someone mightier, on a superadmin or on themselves, acting or not', () => {
    const permissionSet = fc.subarray(all);
    const generalSet = fc.subarray([...generalPermissions]);
    const actorArb = fc.record({
      id: fc.constantFrom('a', 'b'),
      role: fc.constantFrom('user' as const, 'power-user' as const),
      systemPermissions: permissionSet,
      generalPermissions: generalSet,
      impersonating: fc.boolean(),
      impersonatorId: fc.constantFrom(null, 'a', 'b', 'c'),
    });
    const targetArb = fc.record({
      id: fc.constantFrom('a', 'b', 'c'),
      role: fc.constantFrom('user' as const, 'power-user' as const, 'superadmin' as const),
      systemPermissions: permissionSet,
      generalPermissions: generalSet,
    });
    // Roles and resources are for superadmins only (a table above); these need a permission.
    const changing: Array<Exclude<UserAction, 'users.role' | 'users.resources'>> = [
      'users.update',
      'users.activate',
      'users.credentials',
      'users.permissions',
      'users.delete',
    ];
    fc.assert(
      fc.property(actorArb, targetArb, fc.constantFrom(...changing), (actor, target, action) => {
        if (!can(actor, action, target).allowed) return;
        assert.notEqual(target.id, actor.id);
        // Issue 10 #4: acting, the subject's rights apply, but never to the person really acting.
        if (actor.impersonating) assert.notEqual(target.id, actor.impersonatorId);
        assert.notEqual(target.role, 'superadmin');
        assert.ok(actor.systemPermissions.includes(action === 'users.activate' ? 'users.update' : action));
        for (const p of target.systemPermissions) assert.ok(actor.systemPermissions.includes(p));
        for (const p of target.generalPermissions) assert.ok(actor.generalPermissions.includes(p));
      }),
      { numRuns: 2000 },
    );
  });
});

describe('can() for power users (R-IMP-02)', () => {
  const pu = actors['power user'];
  const targets: TargetUser[] = [
    { id: 't-plain', role: 'user', systemPermissions: [], generalPermissions: [] },
    { id: 't-admin', role: 'user', systemPermissions: ['users.read'], generalPermissions: [] },
    { id: 't-pu', role: 'power-user', systemPermissions: [], generalPermissions: [] },
    { id: 't-super', role: 'superadmin', systemPermissions: [], generalPermissions: [] },
  ];
  const userActions = Object.keys(userTable['power user']) as UserAction[];

  it('R-IMP-02: a power user reads a user in their reach, and nothing else, in reach or not', () => {
    for (const target of targets) {
      for (const inReach of [true, false, undefined]) {
        for (const action of userActions) {
          const expected: Code = action === 'users.read' && inReach === true ? 'A' : 'M';
          const what = `${action} on ${target.id} (inReach ${String(inReach)})`;
          assert.equal(letter(can(pu, action, { ...target, inReach })), expected, what);
        }
      }
    }
  });

  it('R-IMP-02, issue 10 #4: reach opens reading to power users only, also to a session acting as one', () => {
    const target: TargetUser = {
      id: 't',
      role: 'user',
      systemPermissions: [],
      generalPermissions: [],
      inReach: true,
    };
    assert.equal(letter(can(actors['plain user'], 'users.read', target)), 'M');
    assert.equal(letter(can(actors['system admin with users.update'], 'users.read', target)), 'M');
    // R-IMP-03: acting as a power user, the power user's reach applies (the actor's rights do not).
    const acting: Actor = { ...pu, impersonating: true, impersonatorId: 'sa' };
    assert.equal(letter(can(acting, 'users.read', target)), 'A');
    assert.equal(letter(can(acting, 'users.read', { ...target, inReach: false })), 'M');
    assert.equal(letter(can(acting, 'users.update', target)), 'M');
    assert.equal(letter(can(pu, 'users.read')), 'M', 'no target, no reach: the whole list is not theirs');
  });

  it('R-IMP-02: a power user who also holds system permissions has them, in reach or not', () => {
    const both: Actor = { ...pu, systemPermissions: ['users.read', 'groups.manage'], generalPermissions: [] };
    assert.equal(letter(can(both, 'users.read', { ...targets[0]!, inReach: false })), 'A');
    assert.equal(letter(can(both, 'groups.manage')), 'A');
    assert.equal(letter(can(both, 'users.update', { ...targets[0]!, inReach: true })), 'M');
  });
});

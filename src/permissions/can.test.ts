// The authorization rule as tables (R-ADM-07, R-ADM-08): actor kinds x actions x target kinds,
// each cell the decision. Typed by `Action`, so a new action does not compile until its row
// says who may do it.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { can, canGrant, type Action, type Actor, type Decision, type TargetUser } from './can.ts';
import {
  generalPermissions,
  systemPermissions,
  type GeneralPermission,
  type SystemPermission,
} from './catalogue.ts';

type UserAction = Extract<Action, `users.${string}`>;
type OtherAction = Exclude<Action, UserAction>;

// One letter per decision, so that a row of the table fits on a line.
const code = {
  A: null,
  M: 'missing_permission',
  S: 'self_administration',
  T: 'target_is_superadmin',
  E: 'escalation',
  I: 'admin_unavailable_while_impersonating',
} as const;
type Code = keyof typeof code;

function letter(d: Decision): Code {
  if (d.allowed) return 'A';
  return (Object.keys(code) as Code[]).find((k) => code[k] === d.reason)!;
}

const all = [...systemPermissions];
const actors = {
  superadmin: {
    id: 'sa',
    role: 'superadmin',
    systemPermissions: [],
    generalPermissions: [],
    impersonating: false,
  },
  'system admin with every permission': {
    id: 'all',
    role: 'user',
    systemPermissions: all,
    generalPermissions: [],
    impersonating: false,
  },
  'system admin with users.read': {
    id: 'read',
    role: 'user',
    systemPermissions: ['users.read'],
    generalPermissions: [],
    impersonating: false,
  },
  'system admin with users.update': {
    id: 'upd',
    role: 'user',
    systemPermissions: ['users.update'],
    generalPermissions: [],
    impersonating: false,
  },
  'plain user': {
    id: 'plain',
    role: 'user',
    systemPermissions: [],
    generalPermissions: [],
    impersonating: false,
  },
  // Targets here carry no `inReach`: a power user's reads by reach have their own table below.
  'power user': {
    id: 'pu',
    role: 'power-user',
    systemPermissions: [],
    generalPermissions: [],
    impersonating: false,
  },
  'impersonating superadmin': {
    id: 'sa2',
    role: 'superadmin',
    systemPermissions: [],
    generalPermissions: [],
    impersonating: true,
  },
} satisfies Record<string, Actor>;
type ActorKind = keyof typeof actors;

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
  'impersonating superadmin': {
    'users.read': '          I    I    I     I      I       I',
    'users.create': '        I    I    I     I      I       I',
    'users.update': '        I    I    I     I      I       I',
    'users.activate': '      I    I    I     I      I       I',
    'users.credentials': '   I    I    I     I      I       I',
    'users.permissions': '   I    I    I     I      I       I',
    'users.delete': '        I    I    I     I      I       I',
    'users.role': '          I    I    I     I      I       I',
    'users.resources': '     I    I    I     I      I       I',
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
  'impersonating superadmin': {
    'settings.read': 'I',
    'settings.manage': 'I',
    'audit.read': 'I',
    'notifications.manage': 'I',
    'groups.read': 'I',
    'groups.manage': 'I',
    'domains.read': 'I',
    'domains.manage': 'I',
    'apps.manage': 'I',
    'impersonations.manage': 'I',
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

  it('R-ADM-07: no system administrator ever acts on someone mightier, on a superadmin or on themselves', () => {
    const permissionSet = fc.subarray(all);
    const generalSet = fc.subarray([...generalPermissions]);
    const actorArb = fc.record({
      id: fc.constantFrom('a', 'b'),
      role: fc.constantFrom('user' as const, 'power-user' as const),
      systemPermissions: permissionSet,
      generalPermissions: generalSet,
      impersonating: fc.boolean(),
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
        assert.equal(actor.impersonating, false);
        assert.notEqual(target.id, actor.id);
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

  it('R-IMP-02: reach opens reading to power users only, and never while impersonating', () => {
    const target: TargetUser = {
      id: 't',
      role: 'user',
      systemPermissions: [],
      generalPermissions: [],
      inReach: true,
    };
    assert.equal(letter(can(actors['plain user'], 'users.read', target)), 'M');
    assert.equal(letter(can(actors['system admin with users.update'], 'users.read', target)), 'M');
    assert.equal(letter(can({ ...pu, impersonating: true }, 'users.read', target)), 'I');
    assert.equal(letter(can(pu, 'users.read')), 'M', 'no target, no reach: the whole list is not theirs');
  });

  it('R-IMP-02: a power user who also holds system permissions has them, in reach or not', () => {
    const both: Actor = { ...pu, systemPermissions: ['users.read', 'groups.manage'], generalPermissions: [] };
    assert.equal(letter(can(both, 'users.read', { ...targets[0]!, inReach: false })), 'A');
    assert.equal(letter(can(both, 'groups.manage')), 'A');
    assert.equal(letter(can(both, 'users.update', { ...targets[0]!, inReach: true })), 'M');
  });
});

describe('canGrant(actor, target, permissions)', () => {
  const granter: Actor = {
    id: 'g',
    role: 'user',
    systemPermissions: ['users.read', 'users.permissions'],
    generalPermissions: [],
    impersonating: false,
  };
  const plain: TargetUser = { id: 'p', role: 'user', systemPermissions: [], generalPermissions: [] };
  const reader: TargetUser = {
    id: 'r',
    role: 'user',
    systemPermissions: ['users.read'],
    generalPermissions: [],
  };
  const deleter: TargetUser = {
    id: 'd',
    role: 'user',
    systemPermissions: ['users.delete'],
    generalPermissions: [],
  };
  const superadmin: TargetUser = {
    id: 's',
    role: 'superadmin',
    systemPermissions: [],
    generalPermissions: [],
  };
  const cases: [string, Actor, TargetUser, SystemPermission[], Code][] = [
    ['a superadmin grants everything', actors.superadmin, plain, all, 'A'],
    ['a superadmin changes another superadmin', actors.superadmin, superadmin, [], 'A'],
    [
      'a system admin with every permission grants every permission',
      actors['system admin with every permission'],
      plain,
      all,
      'A',
    ],
    ['a granter grants what they hold', granter, plain, ['users.read'], 'A'],
    ['a granter passes on the right to grant', granter, plain, ['users.permissions'], 'A'],
    ['a granter grants one permission they lack', granter, plain, ['users.read', 'users.delete'], 'E'],
    ['a granter grants settings.manage they lack', granter, reader, ['settings.manage'], 'E'],
    ['a granter revokes from a lesser admin', granter, reader, [], 'A'],
    ['a granter cannot even revoke from a mightier admin', granter, deleter, [], 'E'],
    ['a granter changes their own permissions', granter, { ...plain, id: 'g' }, [], 'S'],
    [
      'a granter raises themselves',
      granter,
      { id: 'g', role: 'user', systemPermissions: [], generalPermissions: [] },
      all,
      'S',
    ],
    ['a granter changes a superadmin', granter, superadmin, [], 'T'],
    ['an admin without users.permissions', actors['system admin with users.update'], plain, [], 'M'],
    ['a plain user', actors['plain user'], plain, ['users.read'], 'M'],
    ['a superadmin while impersonating', actors['impersonating superadmin'], plain, [], 'I'],
  ];
  for (const [name, actor, target, next, expected] of cases) {
    it(`R-ADM-07: ${name} -> ${expected}`, () => {
      assert.equal(letter(canGrant(actor, target, next, [])), expected);
    });
  }

  // Issue 7 #5: general permissions are rights too; granting and administering compare them.
  const supporter: TargetUser = { ...plain, id: 'sup', generalPermissions: ['support'] };
  const supportingGranter: Actor = { ...granter, generalPermissions: ['support'] };
  const generalCases: [string, Actor, TargetUser, GeneralPermission[], Code][] = [
    ['a granter without support grants support', granter, plain, ['support'], 'E'],
    ['a granter without support changes a supporter', granter, supporter, [], 'E'],
    ['a granter with support grants support', supportingGranter, plain, ['support'], 'A'],
    ['a granter with support grants help they lack', supportingGranter, plain, ['help'], 'E'],
    ['a granter with support revokes it from a supporter', supportingGranter, supporter, [], 'A'],
    ['a superadmin grants support and help', actors.superadmin, plain, ['support', 'help'], 'A'],
  ];
  for (const [name, actor, target, nextGeneral, expected] of generalCases) {
    it(`issue 7 #5: R-ADM-07 ${name} -> ${expected}`, () => {
      assert.equal(letter(canGrant(actor, target, [], nextGeneral)), expected);
    });
  }

  it('R-ADM-07: whatever a non-superadmin grants is a subset of what they hold', () => {
    fc.assert(
      fc.property(fc.subarray(all), fc.subarray(all), fc.subarray(all), (own, theirs, next) => {
        const actor: Actor = {
          id: 'a',
          role: 'user',
          systemPermissions: own,
          generalPermissions: [],
          impersonating: false,
        };
        const target: TargetUser = {
          id: 't',
          role: 'user',
          systemPermissions: theirs,
          generalPermissions: [],
        };
        if (!canGrant(actor, target, next, []).allowed) return;
        for (const p of [...next, ...theirs])
          assert.ok(own.includes(p), `${p} granted or kept without holding it`);
      }),
      { numRuns: 2000 },
    );
  });
});

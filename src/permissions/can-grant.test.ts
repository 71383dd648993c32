// canGrant as a table (R-ADM-07): a system administrator grants only rights, system and
// general, they hold themselves, to someone they may administer.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { canGrant, type Actor, type TargetUser } from './can.ts';
import type { GeneralPermission, SystemPermission } from './catalogue.ts';
import { actors, all, letter, type Code } from './can.fixtures.ts';

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
    [
      'issue 10 #4: acting as an administrator, on the administrator really acting',
      actors['acting as a system admin with every permission'],
      { ...plain, id: 't-greater' },
      [],
      'S',
    ],
    [
      'acting as an administrator, on another user',
      actors['acting as a system admin with every permission'],
      plain,
      [],
      'A',
    ],
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

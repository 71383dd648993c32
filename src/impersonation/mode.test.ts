import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { allowedWhileReadOnly, decideMode, type ActorKind, type ImpersonationMode } from './mode.ts';

// Issue 12 #2: the mode a start gets, by a table.

const sysadmin = { role: 'user', systemPermissions: ['users.impersonate'] };
const superadmin = { role: 'superadmin', systemPermissions: [] };
const powerUser = { role: 'power-user', systemPermissions: [] };
const powerSysadmin = { role: 'power-user', systemPermissions: ['users.impersonate'] };
const both: ActorKind[] = ['system-administrators', 'power-users'];

describe('issue 12 #2: the impersonation mode', () => {
  const cases: [string, ImpersonationMode | undefined, ImpersonationMode, ActorKind[], object, string][] = [
    ['no pick: the default', undefined, 'act', both, sysadmin, 'act'],
    ['no pick: the default read-only', undefined, 'read-only', both, powerUser, 'read-only'],
    ['a pick wins over the default', 'read-only', 'act', both, sysadmin, 'read-only'],
    ['act picked, allowed', 'act', 'read-only', both, powerUser, 'act'],
    [
      'act picked, power users may not act',
      'act',
      'act',
      ['system-administrators'],
      powerUser,
      'act_not_allowed',
    ],
    ['no pick, may not act: looks only', undefined, 'act', ['system-administrators'], powerUser, 'read-only'],
    ['nobody may act: superadmins neither', 'act', 'act', [], superadmin, 'act_not_allowed'],
    ['a superadmin is a system administrator', 'act', 'act', ['system-administrators'], superadmin, 'act'],
    [
      'a power user with system permissions is both',
      'act',
      'act',
      ['system-administrators'],
      powerSysadmin,
      'act',
    ],
    ['read-only is always allowed', 'read-only', 'act', [], powerUser, 'read-only'],
  ];
  for (const [name, requested, defaultMode, actAllowedFor, actor, expected] of cases) {
    it(`issue 12 #2: ${name}`, () => {
      const d = decideMode(requested, { defaultMode, actAllowedFor }, actor as typeof sysadmin);
      assert.equal(d.allowed ? d.mode : d.reason, expected);
    });
  }

  it('issue 12 #2: a read-only session reads, goes back and signs out, and changes nothing else', () => {
    assert.equal(allowedWhileReadOnly('GET', false), true);
    assert.equal(allowedWhileReadOnly('HEAD', false), true);
    for (const m of ['POST', 'PUT', 'PATCH', 'DELETE'])
      assert.equal(allowedWhileReadOnly(m, false), false, m);
    assert.equal(allowedWhileReadOnly('DELETE', true), true);
  });
});

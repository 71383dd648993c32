import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  decideBreakGlass,
  deciderDenial,
  defaultApprovalSettings,
  requiredApprovals,
  type ApprovalFacts,
  type ApprovalKind,
  type ConsentMode,
  type FourEyesMode,
} from './approval-rule.ts';

// Issue 12 #3 and #4 (R-IMP-17), by tables: which approvals a start needs, break-glass, and who
// may decide a request. Beside decideImpersonation's table (rule.test.ts).

type Subject = ApprovalFacts['subject'];
const user: Subject = { role: 'user', systemPermissions: [] };
const sysadmin: Subject = { role: 'user', systemPermissions: ['users.read'] };
const powerUser: Subject = { role: 'power-user', systemPermissions: [] };

describe('R-IMP-17: the approvals a start needs', () => {
  const cases: [string, ConsentMode, FourEyesMode, Subject, boolean, ApprovalKind[]][] = [
    ['all off: nothing (as before)', 'never', 'off', sysadmin, true, []],
    ['consent always: a plain user', 'always', 'off', user, false, ['consent']],
    ['consent privileged: a plain user needs none', 'privileged', 'off', user, false, []],
    ['consent privileged: a system administrator', 'privileged', 'off', sysadmin, false, ['consent']],
    ['consent privileged: a power user', 'privileged', 'off', powerUser, false, ['consent']],
    ['four eyes privileged: a plain user needs none', 'never', 'privileged', user, true, []],
    ['four eyes privileged: a system administrator', 'never', 'privileged', sysadmin, false, ['four_eyes']],
    ['four eyes privileged: a power user', 'never', 'privileged', powerUser, false, ['four_eyes']],
    ['four eyes plus group: a member', 'never', 'privileged-and-group', user, true, ['four_eyes']],
    ['four eyes plus group: a non-member', 'never', 'privileged-and-group', user, false, []],
    [
      'four eyes plus group: privileged, no member',
      'never',
      'privileged-and-group',
      powerUser,
      false,
      ['four_eyes'],
    ],
    ['both', 'always', 'privileged', sysadmin, false, ['consent', 'four_eyes']],
  ];
  for (const [name, consent, fourEyes, subject, subjectInGroup, expected] of cases) {
    it(`R-IMP-17: ${name}`, () => {
      const settings = { ...defaultApprovalSettings, consent, fourEyes };
      assert.deepEqual(requiredApprovals(settings, { subject, subjectInGroup }), expected);
    });
  }

  it('R-IMP-17: the defaults are all off', () => {
    assert.deepEqual(
      requiredApprovals(defaultApprovalSettings, { subject: powerUser, subjectInGroup: true }),
      [],
    );
  });
});

describe('R-IMP-17: break-glass', () => {
  const cases: [string, string, string, string][] = [
    ['a superadmin with a reason', 'superadmin', 'Outage', 'allowed'],
    ['a superadmin without a reason', 'superadmin', '  ', 'break_glass_reason_required'],
    ['a system administrator', 'user', 'Outage', 'break_glass_not_allowed'],
    ['a power user', 'power-user', 'Outage', 'break_glass_not_allowed'],
  ];
  for (const [name, role, reason, expected] of cases) {
    it(`R-IMP-17: ${name}`, () => {
      const d = decideBreakGlass(role, reason);
      assert.equal(d.allowed ? 'allowed' : d.reason, expected);
    });
  }
});

describe('R-IMP-17: who decides a request', () => {
  const request = { actorId: 'actor', subjectId: 'subject' };
  const cases: [string, ApprovalKind, string, boolean, boolean, string | null][] = [
    ['consent: the user', 'consent', 'subject', false, false, null],
    [
      'consent: the user while someone acts as them',
      'consent',
      'subject',
      true,
      false,
      'blocked_during_impersonation',
    ],
    ['consent: the actor', 'consent', 'actor', false, true, 'approval_not_found'],
    ['consent: another administrator', 'consent', 'other', false, true, 'approval_not_found'],
    ['four eyes: another administrator who may act as the user', 'four_eyes', 'other', false, true, null],
    ['four eyes: one who may not act as the user', 'four_eyes', 'other', false, false, 'approval_not_found'],
    ['four eyes: the actor', 'four_eyes', 'actor', false, true, 'self_approval'],
    ['four eyes: the user', 'four_eyes', 'subject', false, true, 'approval_not_found'],
    ['four eyes: while acting', 'four_eyes', 'other', true, true, 'blocked_during_impersonation'],
  ];
  for (const [name, kind, id, impersonating, mayActAsSubject, expected] of cases) {
    it(`R-IMP-17: ${name}`, () => {
      assert.equal(deciderDenial(kind, request, { id, impersonating, mayActAsSubject }), expected);
    });
  }
});

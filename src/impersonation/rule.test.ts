import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  decideImpersonation,
  type ImpersonationActor,
  type ImpersonationContext,
  type ImpersonationSubject,
} from './rule.ts';

// The rule table of R-IMP-02/03/09/12 and R-ADM-08: every actor kind against every subject kind,
// with notifications and terms on and off. `ok` means allowed; otherwise the denial reason.

const actors: Record<string, ImpersonationActor> = {
  superadmin: {
    id: 'A',
    role: 'superadmin',
    systemPermissions: [],
    generalPermissions: [],
    impersonating: false,
  },
  'sysadmin+impersonate': {
    id: 'A',
    role: 'user',
    systemPermissions: ['users.read', 'users.impersonate'],
    generalPermissions: [],
    impersonating: false,
  },
  'sysadmin-impersonate': {
    id: 'A',
    role: 'user',
    systemPermissions: ['users.read', 'users.update'],
    generalPermissions: [],
    impersonating: false,
  },
  // issue 7 #5: the same system administrator, holding the general permission `support` too.
  'sysadmin+impersonate+support': {
    id: 'A',
    role: 'user',
    systemPermissions: ['users.read', 'users.impersonate'],
    generalPermissions: ['support'],
    impersonating: false,
  },
  'power-user': {
    id: 'A',
    role: 'power-user',
    systemPermissions: [],
    generalPermissions: [],
    impersonating: false,
  },
  // issue 7 #6: power users who are system administrators too, without and with `users.impersonate`.
  'power-user+sysadmin': {
    id: 'A',
    role: 'power-user',
    systemPermissions: ['users.read'],
    generalPermissions: [],
    impersonating: false,
  },
  'power-user+impersonate': {
    id: 'A',
    role: 'power-user',
    systemPermissions: ['users.read', 'users.impersonate'],
    generalPermissions: [],
    impersonating: false,
  },
  user: { id: 'A', role: 'user', systemPermissions: [], generalPermissions: [], impersonating: false },
};

type SubjectKind =
  | 'superadmin'
  | 'sysadmin'
  | 'supporter'
  | 'power-user'
  | 'assigned'
  | 'unassigned'
  | 'other-domain'
  | 'inactive'
  | 'self';
const subjects: Record<SubjectKind, ImpersonationSubject & { assigned: boolean; inDomain: boolean }> = {
  superadmin: {
    id: 'S',
    role: 'superadmin',
    systemPermissions: [],
    generalPermissions: [],
    active: true,
    assigned: true,
    inDomain: true,
  },
  sysadmin: {
    id: 'S',
    role: 'user',
    systemPermissions: ['users.read'],
    generalPermissions: [],
    active: true,
    assigned: true,
    inDomain: true,
  },
  // An assigned user without system permissions but with the general permission `support`.
  supporter: {
    id: 'S',
    role: 'user',
    systemPermissions: [],
    generalPermissions: ['support'],
    active: true,
    assigned: true,
    inDomain: true,
  },
  'power-user': {
    id: 'S',
    role: 'power-user',
    systemPermissions: [],
    generalPermissions: [],
    active: true,
    assigned: true,
    inDomain: true,
  },
  assigned: {
    id: 'S',
    role: 'user',
    systemPermissions: [],
    generalPermissions: [],
    active: true,
    assigned: true,
    inDomain: true,
  },
  unassigned: {
    id: 'S',
    role: 'user',
    systemPermissions: [],
    generalPermissions: [],
    active: true,
    assigned: false,
    inDomain: false,
  },
  'other-domain': {
    id: 'S',
    role: 'user',
    systemPermissions: [],
    generalPermissions: [],
    active: true,
    assigned: true,
    inDomain: false,
  },
  inactive: {
    id: 'S',
    role: 'user',
    systemPermissions: [],
    generalPermissions: [],
    active: false,
    assigned: true,
    inDomain: true,
  },
  self: {
    id: 'A',
    role: 'user',
    systemPermissions: [],
    generalPermissions: [],
    active: true,
    assigned: true,
    inDomain: true,
  },
};

// Expected outcome per actor and subject, with domains not in use / in use (where it differs).
const expected: Record<string, Record<SubjectKind, string>> = {
  superadmin: {
    superadmin: 'subject_is_superadmin',
    sysadmin: 'ok',
    supporter: 'ok',
    'power-user': 'ok',
    assigned: 'ok',
    unassigned: 'ok',
    'other-domain': 'ok',
    inactive: 'subject_inactive',
    self: 'self',
  },
  'sysadmin+impersonate': {
    superadmin: 'subject_is_superadmin',
    sysadmin: 'ok',
    // issue 7 #5: `support` is a right the actor does not hold.
    supporter: 'escalation',
    'power-user': 'escalation',
    assigned: 'ok',
    unassigned: 'ok',
    'other-domain': 'ok',
    inactive: 'subject_inactive',
    self: 'self',
  },
  'sysadmin+impersonate+support': {
    superadmin: 'subject_is_superadmin',
    sysadmin: 'ok',
    supporter: 'ok',
    'power-user': 'escalation',
    assigned: 'ok',
    unassigned: 'ok',
    'other-domain': 'ok',
    inactive: 'subject_inactive',
    self: 'self',
  },
  'sysadmin-impersonate': {
    superadmin: 'missing_permission',
    sysadmin: 'missing_permission',
    supporter: 'missing_permission',
    'power-user': 'missing_permission',
    assigned: 'missing_permission',
    unassigned: 'missing_permission',
    'other-domain': 'missing_permission',
    inactive: 'missing_permission',
    self: 'self',
  },
  'power-user': {
    superadmin: 'subject_is_superadmin',
    sysadmin: 'escalation',
    supporter: 'escalation',
    'power-user': 'subject_is_power_user',
    assigned: 'ok',
    unassigned: 'not_assigned',
    'other-domain': 'ok',
    inactive: 'subject_inactive',
    self: 'self',
  },
  // issue 7 #6: without `users.impersonate` only the resource path is open; on it, the assigned
  // system administrator whose rights are within the actor's is no escalation.
  'power-user+sysadmin': {
    superadmin: 'subject_is_superadmin',
    sysadmin: 'ok',
    supporter: 'escalation',
    'power-user': 'subject_is_power_user',
    assigned: 'ok',
    unassigned: 'not_assigned',
    'other-domain': 'ok',
    inactive: 'subject_inactive',
    self: 'self',
  },
  // issue 7 #6: with `users.impersonate` both paths are open; the union reaches the unassigned.
  'power-user+impersonate': {
    superadmin: 'subject_is_superadmin',
    sysadmin: 'ok',
    supporter: 'escalation',
    'power-user': 'escalation',
    assigned: 'ok',
    unassigned: 'ok',
    'other-domain': 'ok',
    inactive: 'subject_inactive',
    self: 'self',
  },
  user: {
    superadmin: 'missing_permission',
    sysadmin: 'missing_permission',
    supporter: 'missing_permission',
    'power-user': 'missing_permission',
    assigned: 'missing_permission',
    unassigned: 'missing_permission',
    'other-domain': 'missing_permission',
    inactive: 'missing_permission',
    self: 'self',
  },
};

const withDomains: Partial<Record<string, Partial<Record<SubjectKind, string>>>> = {
  'power-user': { unassigned: 'outside_domain', 'other-domain': 'outside_domain' },
  'power-user+sysadmin': { unassigned: 'outside_domain', 'other-domain': 'outside_domain' },
};

const base: ImpersonationContext = {
  notificationsEnabled: true,
  termsPending: false,
  acceptTermsOnBehalf: false,
  assigned: false,
  restrictedToDomains: false,
  inAssignedDomain: false,
};

function outcome(
  actorKind: string,
  subjectKind: SubjectKind,
  ctx: Partial<ImpersonationContext> = {},
  impersonating = false,
) {
  const subject = subjects[subjectKind];
  const d = decideImpersonation({ ...actors[actorKind]!, impersonating }, subject, {
    ...base,
    assigned: subject.assigned,
    inAssignedDomain: subject.inDomain,
    ...ctx,
  });
  return d.allowed ? (d.acceptsTermsOnBehalf ? 'ok-on-behalf' : 'ok') : d.reason;
}

describe('R-IMP-02: who may impersonate whom (rule table)', () => {
  for (const actorKind of Object.keys(actors)) {
    for (const subjectKind of Object.keys(subjects) as SubjectKind[]) {
      it(`R-IMP-02 ${actorKind} -> ${subjectKind}`, () => {
        assert.equal(outcome(actorKind, subjectKind), expected[actorKind]![subjectKind]);
        const domainCase = withDomains[actorKind]?.[subjectKind] ?? expected[actorKind]![subjectKind];
        assert.equal(
          outcome(actorKind, subjectKind, { restrictedToDomains: true }),
          domainCase,
          'for a power user assigned domains',
        );
      });
      it(`R-IMP-02 no nesting: impersonated ${actorKind} -> ${subjectKind}`, () => {
        assert.equal(outcome(actorKind, subjectKind, {}, true), 'nested_impersonation');
      });
      it(`R-IMP-09 ${actorKind} -> ${subjectKind} with notifications off`, () => {
        const want = expected[actorKind]![subjectKind];
        assert.equal(
          outcome(actorKind, subjectKind, { notificationsEnabled: false }),
          want === 'ok' ? 'notifications_disabled' : want,
        );
      });
      it(`R-IMP-12 ${actorKind} -> ${subjectKind} with terms pending`, () => {
        const want = expected[actorKind]![subjectKind];
        const refused = outcome(actorKind, subjectKind, { termsPending: true });
        const onBehalf = outcome(actorKind, subjectKind, { termsPending: true, acceptTermsOnBehalf: true });
        if (want !== 'ok') {
          assert.equal(refused, want);
          assert.equal(onBehalf, want);
        } else {
          assert.equal(refused, 'terms_not_accepted');
          assert.equal(
            onBehalf,
            actorKind === 'superadmin' ? 'ok-on-behalf' : 'terms_not_accepted',
            'only superadmins accept on behalf',
          );
        }
      });
    }
  }
});

describe('issue 7 #5, #6: no escalation over any right; mixed roles as the union of both paths', () => {
  it('issue 7 #5: R-IMP-02 a system administrator cannot act as a user with a general permission they lack', () => {
    assert.equal(outcome('sysadmin+impersonate', 'supporter'), 'escalation');
    assert.equal(outcome('sysadmin+impersonate+support', 'supporter'), 'ok');
    assert.equal(outcome('power-user', 'supporter'), 'escalation', 'nor a power user, assigned or not');
  });

  it('issue 7 #6: R-IMP-02 a power user with system permissions keeps their assigned users', () => {
    for (const restrictedToDomains of [false, true]) {
      assert.equal(outcome('power-user+sysadmin', 'assigned', { restrictedToDomains }), 'ok');
      assert.equal(outcome('power-user+impersonate', 'assigned', { restrictedToDomains }), 'ok');
    }
    assert.equal(outcome('power-user+sysadmin', 'unassigned'), 'not_assigned', 'not missing_permission');
    assert.equal(outcome('power-user+impersonate', 'unassigned'), 'ok', 'the system path reaches them');
    for (const actor of ['power-user+sysadmin', 'power-user+impersonate']) {
      assert.equal(outcome(actor, 'supporter'), 'escalation', `${actor}: neither path escalates`);
      assert.equal(outcome(actor, 'superadmin'), 'subject_is_superadmin', actor);
      assert.notEqual(outcome(actor, 'power-user'), 'ok', `${actor}: never another power user`);
    }
  });
});

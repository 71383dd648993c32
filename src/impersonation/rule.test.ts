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
  superadmin: { id: 'A', role: 'superadmin', systemPermissions: [], impersonating: false },
  'sysadmin+impersonate': {
    id: 'A',
    role: 'user',
    systemPermissions: ['users.read', 'users.impersonate'],
    impersonating: false,
  },
  'sysadmin-impersonate': {
    id: 'A',
    role: 'user',
    systemPermissions: ['users.read', 'users.update'],
    impersonating: false,
  },
  'power-user': { id: 'A', role: 'power-user', systemPermissions: [], impersonating: false },
  user: { id: 'A', role: 'user', systemPermissions: [], impersonating: false },
};

type SubjectKind =
  'superadmin' | 'sysadmin' | 'power-user' | 'assigned' | 'unassigned' | 'other-domain' | 'inactive' | 'self';
const subjects: Record<SubjectKind, ImpersonationSubject & { assigned: boolean; inDomain: boolean }> = {
  superadmin: {
    id: 'S',
    role: 'superadmin',
    systemPermissions: [],
    active: true,
    assigned: true,
    inDomain: true,
  },
  sysadmin: {
    id: 'S',
    role: 'user',
    systemPermissions: ['users.read'],
    active: true,
    assigned: true,
    inDomain: true,
  },
  'power-user': {
    id: 'S',
    role: 'power-user',
    systemPermissions: [],
    active: true,
    assigned: true,
    inDomain: true,
  },
  assigned: { id: 'S', role: 'user', systemPermissions: [], active: true, assigned: true, inDomain: true },
  unassigned: {
    id: 'S',
    role: 'user',
    systemPermissions: [],
    active: true,
    assigned: false,
    inDomain: false,
  },
  'other-domain': {
    id: 'S',
    role: 'user',
    systemPermissions: [],
    active: true,
    assigned: true,
    inDomain: false,
  },
  inactive: { id: 'S', role: 'user', systemPermissions: [], active: false, assigned: true, inDomain: true },
  self: { id: 'A', role: 'user', systemPermissions: [], active: true, assigned: true, inDomain: true },
};

// Expected outcome per actor and subject, with domains not in use / in use (where it differs).
const expected: Record<string, Record<SubjectKind, string>> = {
  superadmin: {
    superadmin: 'subject_is_superadmin',
    sysadmin: 'ok',
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
    'power-user': 'subject_is_power_user',
    assigned: 'ok',
    unassigned: 'not_assigned',
    'other-domain': 'ok',
    inactive: 'subject_inactive',
    self: 'self',
  },
  user: {
    superadmin: 'missing_permission',
    sysadmin: 'missing_permission',
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
};

const base: ImpersonationContext = {
  notificationsEnabled: true,
  termsPending: false,
  acceptTermsOnBehalf: false,
  assigned: false,
  domainsInUse: false,
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
          outcome(actorKind, subjectKind, { domainsInUse: true }),
          domainCase,
          'with domains in use',
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

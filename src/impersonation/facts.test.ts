// Issue 10 #19: one builder of the rule's facts for start, preview and re-check (R-IMP-02).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { impersonationFacts, needsReach, type FactsInput, type ReachFacts } from './facts.ts';
import { mayImpersonateAtAll } from './rule.ts';

const actor = { id: 'a', role: 'power-user', systemPermissions: [], generalPermissions: [] } as const;
const subject = {
  id: 's',
  role: 'user',
  systemPermissions: [],
  generalPermissions: [],
  active: true,
} as const;
const base: FactsInput = {
  actor,
  impersonating: false,
  subject,
  reach: null,
  domainId: null,
  notificationsEnabled: true,
  termsPending: false,
  acceptTermsOnBehalf: false,
};
const reach = (r: Partial<ReachFacts>): ReachFacts => ({
  assigned: false,
  assignedDomainIds: [],
  subjectDomainId: null,
  ...r,
});

describe('impersonation facts (issue 10 #19)', () => {
  const table: Array<
    [string, Partial<FactsInput>, { assigned: boolean; restricted: boolean; inDomain: boolean }]
  > = [
    ['no reach (not a power user)', {}, { assigned: false, restricted: false, inDomain: false }],
    [
      'assigned, no domains',
      { reach: reach({ assigned: true }) },
      { assigned: true, restricted: false, inDomain: false },
    ],
    [
      'assigned a domain, subject in it, chosen',
      { reach: reach({ assignedDomainIds: ['d1'], subjectDomainId: 'd1' }), domainId: 'd1' },
      { assigned: false, restricted: true, inDomain: true },
    ],
    [
      'assigned a domain, subject in it, none chosen',
      { reach: reach({ assignedDomainIds: ['d1'], subjectDomainId: 'd1' }) },
      { assigned: false, restricted: true, inDomain: false },
    ],
    [
      'assigned a domain, subject in another',
      { reach: reach({ assignedDomainIds: ['d1'], subjectDomainId: 'd2' }), domainId: 'd1' },
      { assigned: false, restricted: true, inDomain: false },
    ],
    [
      'chosen domain not assigned',
      { reach: reach({ assignedDomainIds: ['d1'], subjectDomainId: 'd2' }), domainId: 'd2' },
      { assigned: false, restricted: true, inDomain: false },
    ],
  ];
  for (const [name, input, want] of table) {
    it(`R-IMP-02: ${name}`, () => {
      const { context } = impersonationFacts({ ...base, ...input });
      assert.deepEqual(
        {
          assigned: context.assigned,
          restricted: context.restrictedToDomains,
          inDomain: context.inAssignedDomain,
        },
        want,
      );
    });
  }

  it('R-IMP-02: passes the actor, nesting, subject, settings and terms through unchanged', () => {
    const facts = impersonationFacts({
      ...base,
      impersonating: true,
      termsPending: true,
      acceptTermsOnBehalf: true,
    });
    assert.deepEqual(facts.actor, { ...actor, impersonating: true });
    assert.equal(facts.subject, subject);
    assert.equal(facts.context.termsPending, true);
    assert.equal(facts.context.acceptTermsOnBehalf, true);
    assert.equal(facts.context.notificationsEnabled, true);
  });

  it('R-IMP-02: only power users (with or without system permissions) have a reach to look up', () => {
    assert.equal(needsReach({ role: 'power-user' }), true);
    assert.equal(needsReach({ role: 'user' }), false);
    assert.equal(needsReach({ role: 'superadmin' }), false);
  });
});

describe('who may start impersonations at all (R-IMP-02, issue 10 #19)', () => {
  const table: Array<
    [string, Parameters<typeof mayImpersonateAtAll>[0], ReturnType<typeof mayImpersonateAtAll>]
  > = [
    ['a superadmin', { role: 'superadmin', systemPermissions: [], impersonating: false }, null],
    ['a power user', { role: 'power-user', systemPermissions: [], impersonating: false }, null],
    [
      'users.impersonate',
      { role: 'user', systemPermissions: ['users.impersonate'], impersonating: false },
      null,
    ],
    [
      'other permissions',
      { role: 'user', systemPermissions: ['users.update'], impersonating: false },
      'missing_permission',
    ],
    ['a plain user', { role: 'user', systemPermissions: [], impersonating: false }, 'missing_permission'],
    [
      'anyone acting already',
      { role: 'superadmin', systemPermissions: [], impersonating: true },
      'nested_impersonation',
    ],
  ];
  for (const [name, actor, want] of table) {
    it(`R-IMP-02: ${name}`, () => assert.equal(mayImpersonateAtAll(actor), want));
  }
});

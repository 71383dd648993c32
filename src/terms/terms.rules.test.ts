import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  currentVersions,
  decidePublish,
  mayAcceptOnBehalf,
  parentProblem,
  pendingVersions,
  type Acceptance,
  type Policy,
  type PolicyVersionMeta,
} from './terms.ts';

// The pure rules of policies and acceptance (R-IMP-12, R-ADM-16), by table.

const policy = (id: string, over: Partial<Policy> = {}): Policy => ({
  id,
  kind: 'privacy',
  parentId: null,
  title: id,
  createdAt: 0,
  archivedAt: null,
  ...over,
});
const version = (id: string, policyId: string, number: number, published: boolean): PolicyVersionMeta => ({
  id,
  policyId,
  number,
  createdAt: number,
  publishedAt: published ? number * 10 : null,
});

describe('terms rules', () => {
  it('R-IMP-12: the current version of a policy is its highest published one, only while in force', () => {
    const cases: Array<{
      name: string;
      policies: Policy[];
      versions: PolicyVersionMeta[];
      current: string[];
    }> = [
      { name: 'nothing configured', policies: [], versions: [], current: [] },
      { name: 'a policy without versions', policies: [policy('p')], versions: [], current: [] },
      {
        name: 'drafts only',
        policies: [policy('p')],
        versions: [version('p1', 'p', 1, false)],
        current: [],
      },
      {
        name: 'the highest published wins',
        policies: [policy('p')],
        versions: [version('p1', 'p', 1, true), version('p2', 'p', 2, true), version('p3', 'p', 3, false)],
        current: ['p2'],
      },
      {
        name: 'an archived policy asks nothing',
        policies: [policy('p', { archivedAt: 5 })],
        versions: [version('p1', 'p', 1, true)],
        current: [],
      },
      {
        name: 'sub-policies count, right after their parent',
        policies: [
          policy('t', { kind: 'terms', createdAt: 2 }),
          policy('p', { createdAt: 1 }),
          policy('s', { parentId: 'p', createdAt: 3 }),
        ],
        versions: [version('t1', 't', 1, true), version('p1', 'p', 1, true), version('s1', 's', 1, true)],
        current: ['p1', 's1', 't1'],
      },
      {
        name: 'archiving a privacy policy withdraws its sub-policies',
        policies: [policy('p', { archivedAt: 9 }), policy('s', { parentId: 'p' })],
        versions: [version('p1', 'p', 1, true), version('s1', 's', 1, true)],
        current: [],
      },
      {
        name: 'an archived sub-policy leaves its parent in force',
        policies: [policy('p'), policy('s', { parentId: 'p', archivedAt: 9 })],
        versions: [version('p1', 'p', 1, true), version('s1', 's', 1, true)],
        current: ['p1'],
      },
    ];
    for (const c of cases) {
      const got = currentVersions(c.policies, c.versions).map((v) => v.versionId);
      assert.deepEqual(got, c.current, c.name);
    }
  });

  it('R-IMP-12: pending = current versions without an acceptance in force', () => {
    const current = [{ versionId: 'a2' }, { versionId: 'b1' }];
    const cases: Array<{ name: string; acceptances: Acceptance[]; pending: string[] }> = [
      { name: 'nothing accepted', acceptances: [], pending: ['a2', 'b1'] },
      {
        name: 'all accepted',
        acceptances: [
          { versionId: 'a2', revokedAt: null },
          { versionId: 'b1', revokedAt: null },
        ],
        pending: [],
      },
      {
        name: 'an older version does not carry over to a new one',
        acceptances: [
          { versionId: 'a1', revokedAt: null },
          { versionId: 'b1', revokedAt: null },
        ],
        pending: ['a2'],
      },
      {
        name: 'a revoked acceptance counts as none',
        acceptances: [
          { versionId: 'a2', revokedAt: 5 },
          { versionId: 'b1', revokedAt: null },
        ],
        pending: ['a2'],
      },
      {
        name: 'revoked, then accepted again',
        acceptances: [
          { versionId: 'a2', revokedAt: 5 },
          { versionId: 'a2', revokedAt: null },
          { versionId: 'b1', revokedAt: null },
        ],
        pending: [],
      },
    ];
    for (const c of cases) {
      assert.deepEqual(
        pendingVersions(current, c.acceptances).map((v) => v.versionId),
        c.pending,
        c.name,
      );
    }
  });

  it('R-IMP-12: a sub-policy belongs to a top-level privacy policy in force and is of kind privacy', () => {
    const cases: Array<[string, Parameters<typeof parentProblem>, 'parentId' | 'kind' | null]> = [
      ['no parent', ['terms', null], null],
      ['under a privacy policy', ['privacy', policy('p')], null],
      ['unknown parent', ['privacy', undefined], 'parentId'],
      ['under terms and conditions', ['privacy', policy('t', { kind: 'terms' })], 'parentId'],
      ['under a sub-policy', ['privacy', policy('s', { parentId: 'p' })], 'parentId'],
      ['under an archived policy', ['privacy', policy('p', { archivedAt: 1 })], 'parentId'],
      ['terms as a sub-policy', ['terms', policy('p')], 'kind'],
    ];
    for (const [name, args, field] of cases) {
      assert.equal(parentProblem(...args)?.field ?? null, field, name);
    }
  });

  it('R-IMP-12: only a draft newer than the published version can be published', () => {
    const p = policy('p');
    const v1 = version('v1', 'p', 1, true);
    const v2 = version('v2', 'p', 2, false);
    const v3 = version('v3', 'p', 3, true);
    const cases: Array<[string, Policy, PolicyVersionMeta, PolicyVersionMeta[], string]> = [
      ['a newer draft', p, v2, [v1, v2], 'publish'],
      ['the first version', p, version('d', 'p', 1, false), [], 'publish'],
      ['published already', p, v1, [v1, v2], 'already-published'],
      ['older than the published one', p, v2, [v1, v2, v3], 'superseded'],
      ['an archived policy', policy('p', { archivedAt: 1 }), v2, [v1, v2], 'archived'],
    ];
    for (const [name, pol, v, siblings, kind] of cases) {
      assert.equal(decidePublish(pol, v, siblings).kind, kind, name);
    }
    assert.deepEqual(decidePublish(p, v2, [v1, v2, v3]), { kind: 'superseded', currentNumber: 3 });
  });

  it('R-IMP-12: only a superadmin accepts on behalf; power users are refused', () => {
    assert.equal(mayAcceptOnBehalf('superadmin'), true);
    assert.equal(mayAcceptOnBehalf('power-user'), false);
    assert.equal(mayAcceptOnBehalf('user'), false);
  });
});

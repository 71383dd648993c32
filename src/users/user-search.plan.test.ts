import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { planCount, planPage, probeWindows, SearchSample, type Budget } from './user-search.plan.ts';
import { searchBudget } from './user-search.store.ts';

// R-ADM-06: the planner's decisions, as a table. A sample of 1,000 texts: everyone shares the
// domain, one in ten the surname "bauer", one the name "quendel".
const texts = Array.from(
  { length: 1000 },
  (_, i) => `user ${i} ${i % 10 === 0 ? 'bauer' : 'meier'} user${i}@peer.test${i === 7 ? ' quendel' : ''}`,
);
const sample = new SearchSample({ texts, total: 1_000_000 });
const budget: Budget = {
  walkRows: 50_000,
  blindWalkRows: 50_000,
  walkCost: 0.25,
  probeCost: 6,
  countRows: 30_000,
  probeRows: 5_000,
};

describe('R-ADM-06: user search planner', () => {
  it('estimates shares and picks the rarest trigrams an index holds', () => {
    assert.equal(sample.share('peer.test'), 1);
    assert.equal(sample.share('bauer'), 0.1);
    assert.deepEqual(probeWindows('Ab.c-dé1x'.toLowerCase()), []);
    assert.deepEqual(probeWindows('a.bcd'), ['bcd']);
    // "que", "uen", ... occur once; "eer", "pee" everywhere: never looked up while rarer ones exist.
    const probe = sample.probe('quendel@peer');
    assert.equal(probe.length, 3);
    assert.ok(probe.every((t) => 'quendel'.includes(t)));
  });

  const pages: Array<[string | null, boolean, string]> = [
    [null, false, 'walk, then continue'],
    [null, true, 'walk, then filter'],
    ['peer.test', false, 'walk, then continue'],
    ['bauer', false, 'walk, then continue'],
    ['quendel', false, 'probe'],
    ['user7@peer.test', false, 'probe'],
    ['no-such-person', false, 'probe'],
    ['zq', false, 'walk, then continue'],
    ['zq', true, 'walk, then filter'],
  ];
  for (const [term, filterable, expected] of pages) {
    it(`page: ${JSON.stringify(term)}${filterable ? ' with a filter index' : ''} -> ${expected}`, () => {
      const plan = planPage(term, 50, sample, budget, filterable);
      assert.equal(plan.kind === 'walk' ? `walk, then ${plan.then}` : plan.kind, expected);
    });
  }

  it('a rarer term that a short walk would miss falls back to the lookup', () => {
    const small = new SearchSample({ texts, total: 10_000 });
    const plan = planPage('bauer', 50, small, { ...budget, walkRows: 500 }, false);
    assert.deepEqual(plan, { kind: 'probe', probe: sample.probe('bauer') });
    const affordable = planPage('bauer', 50, small, budget, false);
    assert.equal(affordable.kind === 'walk' && affordable.then, 'probe');
  });

  it('counts common terms by walking and rare ones through the index', () => {
    assert.equal(planCount('peer.test', sample, budget).kind, 'walk');
    assert.equal(planCount('bauer', sample, budget).kind, 'walk');
    assert.equal(planCount('quendel', sample, budget).kind, 'probe');
    assert.deepEqual(planCount('zq', sample, budget), { kind: 'walk', then: 'bound', probe: [] });
  });

  // Issue 13, target 6: a term one user in a thousand has ("quendel" in this sample) is 1,000
  // matches at 1M users, cheaper to look up, and 10,000 at 10M, where collecting and sorting
  // them all took ~1 s on SQLite while the newest 50 lie within the newest ~50,000 rows.
  const atScale: Array<[number, 'sqlite' | 'postgres', string]> = [
    [1_000_000, 'sqlite', 'probe'],
    [10_000_000, 'sqlite', 'walk 200000 rows, then continue'],
    [1_000_000, 'postgres', 'probe'],
    [10_000_000, 'postgres', 'walk 100000 rows, then probe'],
  ];
  for (const [total, dialect, expected] of atScale) {
    it(`a one-in-a-thousand term at ${total} users on ${dialect} -> ${expected}`, () => {
      const big = new SearchSample({ texts, total });
      const plan = planPage('quendel', 50, big, searchBudget(dialect, '-createdAt'), false);
      assert.equal(plan.kind === 'walk' ? `walk ${plan.rows} rows, then ${plan.then}` : plan.kind, expected);
    });
  }

  it('a walk that cannot be a lookup stops at the shorter, blind bound', () => {
    const sqlite = searchBudget('sqlite', '-createdAt');
    const plan = planPage('zq', 50, new SearchSample({ texts, total: 10_000_000 }), sqlite, false);
    assert.equal(plan.kind === 'walk' && plan.rows, sqlite.blindWalkRows);
    assert.ok(sqlite.blindWalkRows < sqlite.walkRows);
  });
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SessionCache, type CachedSession } from './session-cache.ts';
import type { Principal } from '../shared/request-context.ts';

// Issue 13: a user's hashes are kept as one string until a second session, then as a Set. The
// invalidations (a session, a user, everything) must find every entry either way.

const principal = (id: string) => ({ id }) as Principal;
const entry = (sessionId: string, userId: string): CachedSession => ({
  sessionId,
  principal: principal(userId),
  lastSeenAt: 0,
  absoluteExpiresAt: 1,
  cachedAt: 0,
  rotateRequired: false,
});

type Step =
  ['set', string, string, string] | ['delete', string] | ['deleteSession', string] | ['deleteUser', string];

const cases: { name: string; steps: Step[]; left: string[] }[] = [
  {
    name: 'one session, user invalidated',
    steps: [
      ['set', 'h1', 's1', 'u1'],
      ['deleteUser', 'u1'],
    ],
    left: [],
  },
  {
    name: 'two sessions of one user, user invalidated',
    steps: [
      ['set', 'h1', 's1', 'u1'],
      ['set', 'h2', 's2', 'u1'],
      ['set', 'h3', 's3', 'u2'],
      ['deleteUser', 'u1'],
    ],
    left: ['h3'],
  },
  {
    name: 'three sessions, one ended, then the user invalidated',
    steps: [
      ['set', 'h1', 's1', 'u1'],
      ['set', 'h2', 's2', 'u1'],
      ['set', 'h3', 's3', 'u1'],
      ['deleteSession', 's2'],
      ['deleteUser', 'u1'],
    ],
    left: [],
  },
  {
    name: 'back to one session, then a new one, then the user invalidated',
    steps: [
      ['set', 'h1', 's1', 'u1'],
      ['set', 'h2', 's2', 'u1'],
      ['delete', 'h1'],
      ['set', 'h4', 's4', 'u1'],
      ['deleteUser', 'u1'],
    ],
    left: [],
  },
  {
    name: 'the same hash set twice, deleted once',
    steps: [
      ['set', 'h1', 's1', 'u1'],
      ['set', 'h1', 's1', 'u1'],
      ['delete', 'h1'],
      ['deleteUser', 'u1'],
    ],
    left: [],
  },
  {
    name: "a session ended leaves the user's other one until the user is invalidated",
    steps: [
      ['set', 'h1', 's1', 'u1'],
      ['set', 'h2', 's2', 'u1'],
      ['deleteSession', 's1'],
    ],
    left: ['h2'],
  },
];

for (const c of cases) {
  test(`issue 13: session cache invalidation: ${c.name}`, () => {
    const cache = new SessionCache();
    for (const step of c.steps) {
      if (step[0] === 'set') cache.set(step[1], entry(step[2], step[3]));
      else if (step[0] === 'delete') cache.delete(step[1]);
      else if (step[0] === 'deleteSession') cache.deleteSession(step[1]);
      else cache.deleteUser(step[1]);
    }
    const all = ['h1', 'h2', 'h3', 'h4'];
    assert.deepEqual(
      all.filter((h) => cache.get(h) !== undefined),
      c.left,
    );
    assert.equal(cache.size, c.left.length);
  });
}

test('issue 13: the oldest entry is dropped at the limit, and its user no longer finds it', () => {
  const cache = new SessionCache(2);
  cache.set('h1', entry('s1', 'u1'));
  cache.set('h2', entry('s2', 'u1'));
  cache.set('h3', entry('s3', 'u1'));
  assert.equal(cache.get('h1'), undefined);
  assert.equal(cache.size, 2);
  cache.deleteUser('u1');
  assert.equal(cache.size, 0);
});

// A read that was on its way while a revocation came in must not be cached afterwards: the
// revocation found nothing to drop, and the stale entry would serve the ended session until
// maxAge. Each row: what happens between taking the epoch and filling, and whether it fills.
const fills: Array<{ name: string; between: (cache: SessionCache) => void; cached: boolean }> = [
  { name: 'nothing', between: () => {}, cached: true },
  { name: 'the session, not cached yet, is ended', between: (c) => c.deleteSession('s1'), cached: false },
  { name: "the user's sessions are ended", between: (c) => c.deleteUser('u1'), cached: false },
  { name: 'another session is ended', between: (c) => c.deleteSession('s9'), cached: false },
  { name: 'a token hash is dropped', between: (c) => c.delete('h9'), cached: false },
  { name: 'everything is dropped', between: (c) => c.clear(), cached: false },
  { name: 'another entry is cached', between: (c) => c.set('h2', entry('s2', 'u2')), cached: true },
];

for (const f of fills) {
  test(`session cache: a read is cached after ${f.name}: ${f.cached}`, () => {
    const cache = new SessionCache();
    const epoch = cache.epoch;
    f.between(cache);
    assert.equal(cache.fillIfNoneSince(epoch, 'h1', entry('s1', 'u1')), f.cached);
    assert.equal(cache.get('h1') !== undefined, f.cached);
  });
}

test('session cache: an eviction at the limit is not an invalidation', () => {
  const cache = new SessionCache(1);
  cache.set('h1', entry('s1', 'u1'));
  const epoch = cache.epoch;
  cache.set('h2', entry('s2', 'u2'));
  assert.equal(cache.fillIfNoneSince(epoch, 'h3', entry('s3', 'u3')), true);
});

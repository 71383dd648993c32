// The fast path's cold reads (cold-reads.ts): what is asked for in one turn of the event loop
// is loaded with one call, each waiter gets its own key's value, and a failure reaches them all.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ColdReads } from './cold-reads.ts';

function recorder(fail = false) {
  const calls: string[][] = [];
  const reads = new ColdReads<string, string>(async (keys) => {
    calls.push(keys);
    if (fail) throw new Error('the database is gone');
    return new Map(keys.filter((k) => k !== 'missing').map((k) => [k, `value of ${k}`]));
  }, 3);
  return { calls, reads };
}

describe('issue 13: cold session reads, one query per turn of the event loop', () => {
  it('loads the keys of one turn with one call, each key once, and answers each waiter its own', async () => {
    const { calls, reads } = recorder();
    const got = await Promise.all(['a', 'b', 'a', 'missing'].map((k) => reads.get(k)));
    assert.deepEqual(got, ['value of a', 'value of b', 'value of a', undefined]);
    assert.deepEqual(calls, [['a', 'b', 'missing']]);
  });

  it('loads at most maxKeys a call, and a later turn with a call of its own', async () => {
    const { calls, reads } = recorder();
    await Promise.all(['a', 'b', 'c', 'd'].map((k) => reads.get(k)));
    assert.deepEqual(calls, [['a', 'b', 'c'], ['d']]);
    await reads.get('e');
    assert.deepEqual(calls.at(-1), ['e']);
  });

  it('rejects every waiter of a failed call', async () => {
    const { reads } = recorder(true);
    const results = await Promise.allSettled(['a', 'b'].map((k) => reads.get(k)));
    assert.deepEqual(
      results.map((r) => r.status),
      ['rejected', 'rejected'],
    );
  });
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from './once.ts';

test('issue 13: parallel first callers share one build', async () => {
  let builds = 0;
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const get = once(async () => {
    builds++;
    await gate;
    return { n: builds };
  });
  const first = get();
  const second = get();
  assert.equal(get.ready, undefined, 'not ready while the build runs');
  release();
  const [a, b] = await Promise.all([first, second]);
  assert.equal(builds, 1);
  assert.equal(a, b);
  assert.equal(get.ready, a);
  assert.equal(await get(), a, 'later callers get the same value without building again');
  assert.equal(builds, 1);
});

test('issue 13: a failed build is not kept; the next caller builds again', async () => {
  let builds = 0;
  const get = once(async () => {
    builds++;
    if (builds === 1) throw new Error('first build fails');
    return builds;
  });
  await assert.rejects(Promise.all([get(), get()]), /first build fails/);
  assert.equal(builds, 1, 'both parallel callers saw the one failed build');
  assert.equal(get.ready, undefined);
  assert.equal(await get(), 2);
  assert.equal(get.ready, 2);
});

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { getPriority, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { PasswordHasher } from './password-hasher.ts';
import { HashPool } from './hash-pool.ts';
import { crashPassword } from './hash-worker.fixtures.ts';

// Issue 13: the password hasher's worker threads, observed from outside: the thread's nice
// value as the kernel reports it, a worker's death, and a process that must be free to exit.

/** Field 19 of /proc/<pid>/task/<tid>/stat: the thread's nice value. */
function kernelNice(tid: number): number {
  const stat = readFileSync(`/proc/${process.pid}/task/${tid}/stat`, 'utf8');
  // Fields after the command name, which is in parentheses and may hold spaces: state is 3rd.
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
}

const linux = process.platform === 'linux';

describe('the password hasher threads (issue 13)', { timeout: 60_000 }, () => {
  it(
    'issue 13: each hashing thread runs at the configured nice value, the main thread does not',
    { skip: !linux },
    async () => {
      const before = getPriority(0);
      for (const nice of [10, 17]) {
        const hasher = new PasswordHasher(2, 0, { nice });
        try {
          const threads = await hasher.threads();
          assert.equal(threads.length, 2);
          for (const t of threads) {
            assert.ok(t.tid && t.tid !== process.pid, 'a thread of its own');
            assert.equal(kernelNice(t.tid), nice);
          }
          assert.equal(await hasher.verify(await hasher.hash('pw one'), 'pw one'), true);
        } finally {
          await hasher.close();
        }
      }
      assert.equal(getPriority(0), before, 'the event loop thread keeps its priority');
    },
  );

  it('issue 13: a worker that dies fails its one request with an error naming no password; the next verify works on a new worker', async () => {
    const hasher = new PasswordHasher(1, 4, {
      workerUrl: new URL('./hash-worker.fixtures.ts', import.meta.url),
    });
    try {
      const phc = await hasher.hash('Right-Password-1');
      const [first] = await hasher.threads();
      await assert.rejects(hasher.verify(phc, crashPassword), (error: Error) => {
        assert.doesNotMatch(error.message, /crash this worker/);
        assert.match(error.message, /worker stopped/);
        return true;
      });
      // Those queued behind the dead one are served by its replacement.
      const answers = await Promise.all([
        hasher.verify(phc, 'Right-Password-1'),
        hasher.verify(phc, 'Wrong-Password-1'),
      ]);
      assert.deepEqual(answers, [true, false]);
      const [second] = await hasher.threads();
      assert.notEqual(second!.tid, first!.tid, 'a new thread');
      assert.deepEqual(hasher.stats(), { running: 0, queued: 0, refused: 0 }, 'the slot was given back');
    } finally {
      await hasher.close();
    }
  });

  it('issue 13: idle hashing threads never keep the process alive; a hash after close fails', async () => {
    // A process that hashes once and then has nothing left to do must end by itself.
    const script = `
      import { PasswordHasher } from ${JSON.stringify(new URL('./password-hasher.ts', import.meta.url).href)};
      const h = new PasswordHasher(2, 0);
      await h.threads();
      console.log(await h.verify(await h.hash('x'), 'x'));`;
    // A file, not --eval: the workers inherit the process's flags, and --input-type breaks them.
    const dir = mkdtempSync(join(tmpdir(), 'behalf-hasher-'));
    try {
      writeFileSync(join(dir, 'hash-once.mjs'), script);
      const run = promisify(execFile)(process.execPath, [join(dir, 'hash-once.mjs')], { timeout: 20_000 });
      assert.equal((await run).stdout.trim(), 'true');
    } finally {
      rmSync(dir, { recursive: true });
    }

    const hasher = new PasswordHasher(1, 0);
    await hasher.hash('y');
    await hasher.close();
    await assert.rejects(hasher.hash('y'), /closed/);
  });
});

describe('idle hashing threads retire (issue 13, idle memory)', { timeout: 60_000 }, () => {
  it('issue 13: idle threads end, the next hash starts a new one and still verifies', async () => {
    const pool = new HashPool({ size: 2, nice: 0, idleMs: 60_000 });
    try {
      const phc = (await pool.run({ op: 'hash', password: 'pw idle' })) as string;
      assert.equal(pool.liveThreads, 1);
      // What the idle timer does after idleMs without work.
      await pool.retireIdle();
      assert.equal(pool.liveThreads, 0, 'no thread (and no V8 instance) kept while idle');
      assert.equal(await pool.run({ op: 'verify', phc, password: 'pw idle' }), true);
      assert.equal(pool.liveThreads, 1);
      // Parallel work after a retirement gets its threads back, at most `size`.
      await pool.retireIdle();
      const answers = await Promise.all(
        [1, 2, 3, 4].map(() => pool.run({ op: 'verify', phc, password: 'wrong' })),
      );
      assert.deepEqual(answers, [false, false, false, false]);
      assert.equal(pool.liveThreads, 2);
    } finally {
      await pool.close();
    }
  });
});

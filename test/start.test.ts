// R-OPS-01, issue 11: `npm start` as the README runs it: its command line from package.json
// (which reads a .env file when there is one), on a new SQLite database. The first start prints
// the admin console's address beside the generated password, which then signs in.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client, dialect } from './harness.ts';

const root = fileURLToPath(new URL('..', import.meta.url));

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

describe('npm start (R-OPS-01, issue 11)', () => {
  // The embedded default only: the PostgreSQL half has nothing to add here.
  const only = { skip: dialect !== 'sqlite' && 'SQLite run only' };
  it(
    'R-OPS-01: reads .env, and prints the console URL beside the generated password, which signs in',
    only,
    async () => {
      const scripts = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).scripts;
      const [node, ...args] = (scripts.start as string).split(' ');
      assert.equal(node, 'node');
      assert.ok(args.includes('--env-file-if-exists=.env'), scripts.start);
      const dir = mkdtempSync(join(tmpdir(), 'behalf-start-'));
      const port = await freePort();
      // Everything from the .env file in the directory npm runs in; nothing from the environment.
      writeFileSync(
        join(dir, '.env'),
        [
          `PORT=${port}`,
          'HOST=127.0.0.1',
          `PUBLIC_URL=http://127.0.0.1:${port}`,
          `DATABASE_URL=sqlite:${join(dir, 'behalf.db')}`,
          'LOG_LEVEL=info',
          'BOOTSTRAP_ADMIN_EMAIL=first@example.test',
        ].join('\n'),
      );
      const env = { ...process.env };
      for (const name of ['PORT', 'HOST', 'PUBLIC_URL', 'DATABASE_URL', 'BOOTSTRAP_ADMIN_PASSWORD'])
        delete env[name];
      const server = spawn(
        process.execPath,
        args.map((a) => (a.endsWith('.ts') ? join(root, a) : a)),
        { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] },
      );
      try {
        // The password comes first, then the log line that the server listens.
        let out = '';
        const printed = await new Promise<string>((resolve, reject) => {
          server.stdout.on('data', (chunk: Buffer) => {
            out += chunk.toString();
            if (/Password.*'\S+'\n/.test(out) && /Server listening at/.test(out)) resolve(out);
          });
          server.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
          server.on('exit', (code) => reject(new Error(`the server stopped (${code}): ${out}`)));
        });
        assert.match(printed, new RegExp(`Admin console: +http://127\\.0\\.0\\.1:${port}/admin\\n`));
        assert.match(printed, /First superadmin: first@example\.test/);
        const password = /'(\S+)'\n/.exec(printed)![1]!;
        const login = await new Client(`http://127.0.0.1:${port}`).login('first@example.test', password);
        assert.equal(login.status, 200, JSON.stringify(login.body));
      } finally {
        server.kill('SIGTERM');
        await new Promise((r) => server.once('exit', r));
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );
});

// Issue 13 (target 5, memory): the OpenID Provider is built at its first use, not at start.
// A real start (`src/main.ts`, as `npm start` runs it) under a module-load trace; two parallel
// first requests on a test server; and the start still refuses a damaged signing key.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DatabaseSync } from 'node:sqlite';
import { createServer } from 'node:net';
import { generateKeyPairSync } from 'node:crypto';
import { adminEmail, adminPassword, Client, dialect, startServer } from '../../test/harness.ts';
import { checkSigningKeys, newSigningKey, type PrivateJwk } from './keys.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const loadsProvider = (trace: string) =>
  existsSync(trace) && readFileSync(trace, 'utf8').includes('/node_modules/oidc-provider/');

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** Starts src/main.ts on a SQLite file; resolves once it listens, with its output so far. */
function start(dir: string, port: number): { child: ChildProcess; ready: Promise<string> } {
  const child = spawn(
    process.execPath,
    ['--import', join(root, 'scripts/module-trace.ts'), join(root, 'src/main.ts')],
    {
      cwd: dir,
      env: {
        ...process.env,
        PORT: String(port),
        HOST: '127.0.0.1',
        PUBLIC_URL: `http://127.0.0.1:${port}`,
        DATABASE_URL: `sqlite:${join(dir, 'behalf.db')}`,
        BOOTSTRAP_ADMIN_EMAIL: adminEmail,
        BOOTSTRAP_ADMIN_PASSWORD: adminPassword,
        LOG_LEVEL: 'info',
        BEHALF_MODULE_TRACE: join(dir, 'modules.txt'),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  const ready = new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (/Server listening at/.test(out)) resolve(out);
    });
    child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('exit', (code) => reject(new Error(`exited with ${code}: ${out}`)));
  });
  return { child, ready };
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

describe('the OpenID Provider is built at its first use (issue 13)', () => {
  it(
    'issue 13: a plain start and a login do not load oidc-provider; the first /oidc/ request does; a damaged signing key still stops the start',
    { skip: dialect !== 'sqlite' && 'a plain start is on SQLite' },
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'behalf-lazy-oidc-'));
      const port = await freePort();
      const trace = join(dir, 'modules.txt');
      try {
        const first = start(dir, port);
        try {
          await first.ready;
          const base = `http://127.0.0.1:${port}`;
          const login = await new Client(base).login(adminEmail, adminPassword);
          assert.equal(login.status, 200, JSON.stringify(login.body));
          assert.ok(readFileSync(trace, 'utf8').includes('/node_modules/fastify/'), 'the trace works');
          assert.equal(loadsProvider(trace), false, 'oidc-provider loaded by a plain start');

          const discovery = await fetch(`${base}/oidc/.well-known/openid-configuration`);
          assert.equal(discovery.status, 200);
          assert.equal(((await discovery.json()) as { issuer: string }).issuer, `${base}/oidc`);
          assert.equal(loadsProvider(trace), true);
        } finally {
          await stop(first.child);
        }

        // The keys are checked at start as before, though the provider is built later.
        const db = new DatabaseSync(join(dir, 'behalf.db'));
        const ec384 = generateKeyPairSync('ec', { namedCurve: 'P-384' }).privateKey.export({ format: 'jwk' });
        db.prepare('UPDATE oidc_keys SET jwk = ?').run(JSON.stringify({ ...ec384, kid: 'k', alg: 'ES256' }));
        db.close();
        const second = start(dir, port);
        await assert.rejects(second.ready, /signing key k is not an ES256 private key/);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );

  // That they share one build is the rule of src/shared/once.ts (its test); here, that the
  // route waits for the build in progress instead of answering before it.
  it('issue 13: parallel first requests to the provider are all answered', async () => {
    const server = await startServer();
    try {
      const paths = ['/oidc/jwks', '/oidc/.well-known/openid-configuration', '/oidc/jwks'];
      const answers = await Promise.all(paths.map((p) => fetch(`${server.url}${p}`)));
      assert.deepEqual(
        answers.map((a) => a.status),
        [200, 200, 200],
      );
      const [jwksA, discovery, jwksB] = await Promise.all(answers.map((a) => a.json()));
      assert.deepEqual(jwksA, jwksB);
      assert.equal((discovery as { jwks_uri: string }).jwks_uri, `${server.url}/oidc/jwks`);
    } finally {
      await server.close();
    }
  });

  it('issue 13: the start refuses signing keys that are not ES256 private keys (by table)', () => {
    const good = newSigningKey();
    const { d: _d, ...publicOnly } = good;
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' });
    const cases: [string, PrivateJwk, boolean][] = [
      ['a generated key', good, true],
      ['the public half only', publicOnly, false],
      ['an RSA key', { ...rsa, kid: 'r', alg: 'ES256' }, false],
      ['another algorithm named', { ...good, alg: 'ES384' }, false],
      ['not a key', { kid: 'x', alg: 'ES256', kty: 'EC', crv: 'P-256' }, false],
    ];
    for (const [name, jwk, ok] of cases) {
      if (ok) assert.doesNotThrow(() => checkSigningKeys([jwk]), name);
      else assert.throws(() => checkSigningKeys([good, jwk]), /not an ES256 private key/, name);
    }
  });
});

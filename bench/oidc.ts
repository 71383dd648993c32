// npm run bench:oidc: Behalf as the platform's OpenID Provider (issue 9), measured on this
// machine: the token endpoint (code exchange and refresh), userinfo and introspection, as
// requests per second and as requests per second per core of server CPU, and the delay from an
// impersonation's end to the app's back-channel logout. Not part of the tests.
//
//   npm run bench:oidc                       # SQLite, 10 s per load
//   npm run bench:oidc -- --db postgres --duration 20
//
// The server runs in this process (the test harness's server: a fresh database, the real
// provider); the load comes from wrk (C, a separate process), so that while wrk runs this
// process does nothing but serve, and its CPU time per request is the server's cost. Codes are
// single-use, so the code exchange is timed by this process over codes fetched beforehand.
import { execFile, execFileSync } from 'node:child_process';
import { createServer } from 'node:http';
import { loadavg } from 'node:os';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import * as oc from 'openid-client';
import { describeMachine } from './lib/machine.ts';
import { PeriodicJob } from '../src/shared/periodic.ts';

const { values: opt } = parseArgs({
  options: {
    db: { type: 'string', default: 'sqlite' },
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '16' },
    codes: { type: 'string', default: '400' },
    logouts: { type: 'string', default: '20' },
  },
});
// The harness reads the dialect from the environment, before it is imported.
process.env.BEHALF_TEST_DB = opt.db;
const { adminEmail, adminPassword, startServer, strongPassword } = await import('../test/harness.ts');
const { registerApp, signInToApp, startAuthorization, followAuthorization, redirectUri } =
  await import('../test/oidc.ts');
const { actAs } = await import('../test/impersonation-helpers.ts');

const duration = Number(opt.duration);
const connections = Number(opt.connections);
const log = (line: string) => process.stderr.write(`[bench:oidc] ${line}\n`);

interface Figure {
  rps: number;
  /** Server CPU (user + system) per request, in microseconds. */
  cpuUsPerRequest: number;
  /** What one fully busy core would serve: 1 s of CPU over the CPU per request. */
  perCore: number;
  p50ms?: number;
  p99ms?: number;
}

/** Server CPU spent while `load` runs, over the requests it made. */
async function measured(
  requests: () => Promise<{ count: number; p50ms?: number; p99ms?: number; seconds: number }>,
) {
  const before = process.cpuUsage();
  const result = await requests();
  const cpu = process.cpuUsage(before);
  const cpuUs = (cpu.user + cpu.system) / Math.max(1, result.count);
  const figure: Figure = {
    rps: Math.round(result.count / result.seconds),
    cpuUsPerRequest: Math.round(cpuUs),
    perCore: Math.round(1_000_000 / cpuUs),
  };
  if (result.p50ms !== undefined) figure.p50ms = result.p50ms;
  if (result.p99ms !== undefined) figure.p99ms = result.p99ms;
  return figure;
}

const scripts = mkdtempSync(join(tmpdir(), 'behalf-bench-oidc-'));

/** wrk against one request, the body and headers given by a small Lua script. */
function wrk(
  url: string,
  lua: string,
): Promise<{ count: number; seconds: number; p50ms: number; p99ms: number }> {
  const file = join(scripts, `s${Math.random().toString(36).slice(2)}.lua`);
  writeFileSync(
    file,
    `${lua}
done = function(summary, latency, requests)
  io.write(string.format("RESULT %d %d %d %d %d\\n", summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(99), summary.errors.status))
end
`,
  );
  // Asynchronously: this process serves while wrk loads it.
  return new Promise((resolve, reject) => {
    execFile(
      'wrk',
      ['-t2', `-c${connections}`, `-d${duration}s`, '--latency', '-s', file, url],
      { maxBuffer: 1 << 20 },
      (error, stdout) => {
        if (error) return reject(new Error(`wrk failed: ${error.message}`, { cause: error }));
        const m = /RESULT (\d+) (\d+) (\d+) (\d+) (\d+)/.exec(stdout);
        if (!m) return reject(new Error(`wrk said: ${stdout}`));
        if (Number(m[5]) > 0) return reject(new Error(`${m[5]} answers were not 2xx: ${stdout}`));
        resolve({
          count: Number(m[1]),
          seconds: Number(m[2]) / 1e6,
          p50ms: Number(m[3]) / 1000,
          p99ms: Number(m[4]) / 1000,
        });
      },
    );
  });
}

const luaString = (s: string) => JSON.stringify(s);

async function main() {
  try {
    execFileSync('wrk', ['--version'], { stdio: 'ignore' });
  } catch (e) {
    // wrk prints its version and exits 1; only a missing binary is an error.
    if ((e as NodeJS.ErrnoException).code === 'ENOENT')
      throw new Error('wrk is not installed (apt-get install wrk)', { cause: e });
  }
  log(`machine ${JSON.stringify(describeMachine())}, load average ${loadavg()[0]!.toFixed(2)}, ${opt.db}`);
  const s = await startServer();
  const received: number[] = [];
  const receiver = createServer((req, res) => {
    received.push(performance.now());
    req.resume();
    req.on('end', () => res.writeHead(200).end());
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  const port = (receiver.address() as { port: number }).port;
  const logoutJob = new PeriodicJob('oidc-logout', 1_000, () => s.services.oidcLogout.runOnce(), {
    error: (o, m) => log(`${m} ${JSON.stringify(o)}`),
  });
  try {
    const rp = await registerApp(s, { backchannelLogoutUri: `http://127.0.0.1:${port}/backchannel-logout` });
    const user = await s.createUser({ password: strongPassword });
    const browser = s.client();
    await browser.login(user.primaryEmail, strongPassword);
    const { tokens } = await signInToApp(rp, browser);
    const meta = rp.config.serverMetadata();
    const basic = `Basic ${Buffer.from(`${rp.clientId}:${rp.clientSecret}`).toString('base64')}`;
    const results: Record<string, Figure | Record<string, number>> = {};

    log('userinfo (GET, bearer access token)');
    results.userinfo = await measured(() =>
      wrk(
        meta.userinfo_endpoint!,
        `wrk.headers["authorization"] = ${luaString(`Bearer ${tokens.access_token}`)}`,
      ),
    );

    log('introspection (POST, client_secret_basic)');
    results.introspection = await measured(() =>
      wrk(
        meta.introspection_endpoint!,
        `wrk.method = "POST"
wrk.headers["authorization"] = ${luaString(basic)}
wrk.headers["content-type"] = "application/x-www-form-urlencoded"
wrk.body = ${luaString(`token=${tokens.access_token}`)}`,
      ),
    );

    log('refresh (POST token endpoint, grant_type=refresh_token)');
    results.refresh = await measured(() =>
      wrk(
        meta.token_endpoint!,
        `wrk.method = "POST"
wrk.headers["authorization"] = ${luaString(basic)}
wrk.headers["content-type"] = "application/x-www-form-urlencoded"
wrk.body = ${luaString(`grant_type=refresh_token&refresh_token=${tokens.refresh_token}`)}`,
      ),
    );

    const count = Number(opt.codes);
    log(`code exchange: fetching ${count} codes first`);
    const codes: { callback: URL; verifier: string; state: string }[] = [];
    for (let i = 0; i < count; i++) {
      const started = await startAuthorization(rp);
      const end = await followAuthorization(started.url, browser);
      if (!end.location?.href.startsWith(redirectUri)) throw new Error('no code');
      codes.push({ callback: end.location, verifier: started.verifier, state: started.state });
    }
    log('code exchange (POST token endpoint, grant_type=authorization_code), 8 at a time');
    results.codeExchange = await measured(async () => {
      const latencies: number[] = [];
      const t0 = performance.now();
      let next = 0;
      await Promise.all(
        Array.from({ length: 8 }, async () => {
          while (next < codes.length) {
            const c = codes[next++]!;
            const t = performance.now();
            await oc.authorizationCodeGrant(rp.config, c.callback, {
              pkceCodeVerifier: c.verifier,
              expectedState: c.state,
            });
            latencies.push(performance.now() - t);
          }
        }),
      );
      latencies.sort((a, b) => a - b);
      return {
        count: codes.length,
        seconds: (performance.now() - t0) / 1000,
        p50ms: Math.round(latencies[Math.floor(latencies.length * 0.5)]! * 100) / 100,
        p99ms: Math.round(latencies[Math.floor(latencies.length * 0.99)]! * 100) / 100,
      };
    });
    // This process also ran openid-client here: the CPU per request is an upper bound.

    log('back-channel logout: the delay from an impersonation end to the app receiving it');
    logoutJob.start();
    const delays: number[] = [];
    for (let i = 0; i < Number(opt.logouts); i++) {
      const subject = await s.createUser({ password: strongPassword });
      const actor = s.client();
      await actor.login(adminEmail, adminPassword);
      await actAs(actor, subject.id);
      await signInToApp(rp, actor);
      const seen = received.length;
      const t = performance.now();
      await actor.delete('/api/v1/impersonation');
      while (received.length === seen) await new Promise((r) => setTimeout(r, 5));
      delays.push(received[seen]! - t);
    }
    delays.sort((a, b) => a - b);
    results.backchannelDelayMs = {
      p50: Math.round(delays[Math.floor(delays.length * 0.5)]!),
      max: Math.round(delays.at(-1)!),
    };

    const out = {
      machine: describeMachine(),
      db: opt.db,
      durationSeconds: duration,
      connections,
      loadAverage: loadavg(),
      results,
    };
    process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
  } finally {
    await logoutJob.stop();
    receiver.close();
    await s.close();
  }
}

await main();

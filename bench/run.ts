// npm run bench: Behalf measured side by side with better-auth (the peer) and a bare Fastify
// route (the ceiling) in one run, on this machine, against the figures of DESIGN.md §6.
// Starts every server it needs as a child process on 127.0.0.1, bounds every load in time,
// writes .bench/results/latest.json and prints a markdown summary. Not part of the tests.
//
//   npm run bench                                  # everything, defaults sized for ~20 minutes
//   npm run bench -- --only session,login --duration 5 --users 10000
//
// Options: --only cpu,impersonation,session,memory,login,flood,fairness,write,search   --duration S (per load, 10)
//          (cpu: wrk against the warm session check and the bare route, server CPU per request)
//          --max-other-cores X (0.1: above it, the cpu phase's req/s are marked not valid)
//          --rounds N (interleaved rounds per comparison, median reported; 3)
//          --users N (Behalf and peer, 100000)   --search-users N (1000000)
//          --sessions N (cached sessions for memory and the cold cache, 100000)
//          --pg URL (admin connection; a fresh database per run is created and dropped)
//          --db sqlite,postgres (engines of the server phases cpu, impersonation, session, memory,
//          login; sqlite); flood and the peer comparisons run on SQLite only
//          --port-base P (18080: Behalf's port; the others follow it; another for a second run)
//          --keep (leave the temporary directory, logs and PostgreSQL databases, e.g. to measure
//          search again on a seeded database with bench/search.ts)
//          --shared DIR (../shared/bench)   --commit SHA (when run from an exported snapshot)
//          --wait-quiet S (wait up to S seconds, default 600, for the 1-minute load average to
//          drop below 1 before starting: other work on a shared machine skews every figure)
import type autocannon from 'autocannon';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { execFileSync } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { describeMachine } from './lib/machine.ts';
import { rssBytes, run, startServer, type Server } from './lib/procs.ts';
import { freshPgDatabase, type PgDatabase } from './lib/pg.ts';
import { phaseOf, runCompare } from './lib/compare.ts';
import { r2, runLoad } from './lib/load.ts';
import { inRounds, median } from './lib/rounds.ts';
import { argon2Rate, betterAuthRate } from './lib/hash-rate.ts';
import { createSessions } from './lib/sessions.ts';
import { newToken } from '../src/sessions/token.ts';
import { behalfLoginLatencies, loginLatencies } from './lib/login-latency.ts';
import { Client, loginRequest, signedInCookie } from './lib/http.ts';
import { bulkSeedUsers } from './bulk-seed.ts';
import { measureSearch } from './search.ts';
import { prepareWriteDatabase, verifyWriteChain, writePhase } from './lib/write-phase.ts';
import { renderMarkdown, judge } from './lib/report.ts';
import { patchRate, touchedSessions, userIds } from './lib/behalf-db.ts';
import { fairnessScenarios, type FairnessScenario } from './lib/fairness.ts';
import { PasswordHasher } from '../src/credentials/password-hasher.ts';
import type { PostgresFigures, Results } from './lib/results.ts';
import { cpuPhase } from './lib/cpu-phase.ts';
import { impersonationTail } from './lib/impersonation-tail.ts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

const { values: opt } = parseArgs({
  options: {
    only: { type: 'string', default: 'cpu,impersonation,session,memory,login,flood,fairness,write,search' },
    'max-other-cores': { type: 'string', default: '0.1' },
    duration: { type: 'string', default: '10' },
    rounds: { type: 'string', default: '3' },
    users: { type: 'string', default: '100000' },
    'search-users': { type: 'string', default: '1000000' },
    sessions: { type: 'string', default: '100000' },
    pg: { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/postgres' },
    db: { type: 'string', default: 'sqlite' },
    'port-base': { type: 'string', default: '18080' },
    keep: { type: 'boolean', default: false },
    'wait-quiet': { type: 'string', default: '600' },
    shared: { type: 'string', default: resolve(root, '../shared/bench') },
    commit: { type: 'string' },
  },
});
const phases = new Set(opt.only.split(','));
const sharedBench = resolve(opt.shared);
const duration = Number(opt.duration);
const rounds = Number(opt.rounds);
const users = Number(opt.users);
const cachedSessions = Number(opt.sessions);

const admin = { email: 'admin@peer.test', password: 'Correct-Horse-Battery-9' };
const peerAdmin = { email: 'admin@peer.test', password: 'correct horse battery staple' };
const base = Number(opt['port-base']);
const ports = { behalf: base, peer: base + 10, bare: base + 11, fairOff: base + 1 };
const cookieName = 'behalf_session';

const work = mkdtempSync(join(tmpdir(), 'behalf-bench-'));
const servers: Server[] = [];
const pgDatabases: PgDatabase[] = [];
const log = (line: string) =>
  process.stdout.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}\n`);

const results: Results = {
  machine: describeMachine(),
  commit: opt.commit ?? git(['rev-parse', '--short', 'HEAD']),
  dirtyTree: opt.commit === undefined && git(['status', '--porcelain', '--', 'src']) !== '',
  startedAt: new Date().toISOString(),
  loadAverage: { start: loadavg(), end: [] },
  finishedAt: '',
  options: {
    only: [...phases],
    duration,
    rounds,
    users,
    searchUsers: Number(opt['search-users']),
    cachedSessions,
  },
  behalfEnv:
    'LOG_LEVEL=warn (the default, info, logs every request), HASH_CONCURRENCY=2, HASH_QUEUE_LIMIT=32, ' +
    'sign-in admission off (LOGIN_LIMIT_*=1000000) except where the fairness phase says otherwise',
  targets: [],
};

/** A fresh PostgreSQL database for this run, dropped at its end. */
async function freshPg(purpose: string): Promise<string> {
  const pgDb = await freshPgDatabase(opt.pg, purpose);
  pgDatabases.push(pgDb);
  return pgDb.url;
}

function git(args: string[]): string {
  try {
    return execFileSync('git', args, { cwd: root, encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}

async function ensurePeerInstalled(): Promise<void> {
  if (existsSync(join(sharedBench, 'node_modules'))) return;
  log('installing ../shared/bench (npm install)');
  await run('npm', ['install', '--no-audit', '--no-fund'], sharedBench);
}

/** A migrated Behalf database with the shared users (user{i}@peer.test). */
async function seedBehalf(
  databaseUrl: string,
  count: number,
  passwordHash: string | null = null,
): Promise<number> {
  const t0 = performance.now();
  const seconds = () => (performance.now() - t0) / 1000;
  let said = 0;
  await bulkSeedUsers(databaseUrl, {
    users: count,
    passwordHash,
    onProgress: (done, phase) => {
      if (phase === 'indexes') log(`rows loaded, indexes rebuilt after ${r2(seconds())} s`);
      else if (seconds() - said >= 30) {
        said = seconds();
        log(`seeding: ${done} / ${count} users, ${Math.round(done / seconds())} rows/s`);
      }
    },
  });
  log(`seeded ${count} users into Behalf in ${r2(seconds())} s`);
  return r2(seconds());
}

/**
 * The bare route's script. Without ../shared/bench's own install (it may be read-only), a copy
 * in the run's temporary directory runs on this project's Fastify (linked), the same version
 * as the one the shared bench pins.
 */
function bareScript(): string {
  const shared = join(sharedBench, 'bare-fastify.ts');
  if (existsSync(join(sharedBench, 'node_modules', 'fastify'))) return shared;
  const copy = join(work, 'bare', 'bare-fastify.ts');
  mkdirSync(dirname(copy), { recursive: true });
  copyFileSync(shared, copy);
  symlinkSync(join(root, 'node_modules'), join(work, 'bare', 'node_modules'));
  return copy;
}

/** Sign-in admission out of the way: the login and flood phases measure the hash queue itself. */
const admissionOff = { LOGIN_LIMIT_PER_ADDRESS: '1000000', LOGIN_LIMIT_PER_ACCOUNT: '1000000' };

async function startBehalf(
  databaseUrl: string,
  options: { port?: number; env?: Record<string, string> } = {},
): Promise<Server> {
  const server = await startServer({
    name: 'behalf',
    args: ['src/main.ts'],
    cwd: root,
    env: {
      DATABASE_URL: databaseUrl,
      HOST: '127.0.0.1',
      // The CSRF guard accepts exactly this origin; the bench's client sends it.
      PUBLIC_URL: `http://127.0.0.1:${options.port ?? ports.behalf}`,
      BOOTSTRAP_ADMIN_EMAIL: admin.email,
      BOOTSTRAP_ADMIN_PASSWORD: admin.password,
      // Behalf's default level, info, writes a log line per request: not what is measured here.
      LOG_LEVEL: 'warn',
      ...(options.env ?? admissionOff),
    },
    port: options.port ?? ports.behalf,
    log: join(work, `behalf-${options.port ?? ports.behalf}.log`),
    startTimeoutMs: 120_000,
  });
  servers.push(server);
  return server;
}

/**
 * The cache entries alone (issue 13): the RSS growth above also counts the heap that the cold
 * requests grew and left, so bench/session-entry.ts fills a cache the way the server does in a
 * process of its own and weighs the entries with the GC settled.
 */
function sessionEntryHeap(count: number): { entries: number; bytesPerEntry: number } {
  log(`cache entries alone: bench/session-entry.ts with ${count} sessions`);
  const out = execFileSync(
    process.execPath,
    ['--expose-gc', join(root, 'bench/session-entry.ts'), '--users', String(count), '--json'],
    { cwd: root, encoding: 'utf8' },
  );
  return JSON.parse(out.trim().split('\n').at(-1)!) as { entries: number; bytesPerEntry: number };
}

async function serverPhases(engine: string): Promise<void> {
  const onSqlite = engine === 'sqlite';
  const wantSession = phases.has('session');
  const wantCpu = phases.has('cpu');
  const wantImpersonation = phases.has('impersonation');
  const wantMemory = phases.has('memory');
  const wantLogin = phases.has('login');
  const wantFlood = onSqlite && phases.has('flood');
  if (!wantSession && !wantCpu && !wantImpersonation && !wantMemory && !wantLogin && !wantFlood) return;

  // The figures of this pass: the run's own on SQLite, results.postgres on PostgreSQL.
  const into: Pick<PostgresFigures, 'cpu' | 'impersonationTail' | 'sessionCold' | 'memory'> = onSqlite
    ? results
    : (results.postgres = {});
  const behalfDb = onSqlite ? `sqlite:${join(work, 'behalf.db')}` : await freshPg('server');
  await seedBehalf(behalfDb, users);
  const needPeer = onSqlite && (wantSession || wantLogin);
  let peer: Server | undefined;
  let bare: Server | undefined;
  if (needPeer) {
    log(`starting better-auth with ${users} users (it seeds them itself)`);
    const t0 = performance.now();
    peer = await startServer({
      name: 'better-auth',
      args: ['peer-better-auth.ts'],
      cwd: sharedBench,
      env: { DB: join(work, 'peer.db'), SEED_USERS: String(users) },
      port: ports.peer,
      log: join(work, 'peer.log'),
      startTimeoutMs: 900_000,
    });
    servers.push(peer);
    log(`better-auth ready after ${r2((performance.now() - t0) / 1000)} s`);
  }
  if (wantSession || wantCpu) {
    bare = await startServer({
      name: 'bare',
      args: [bareScript()],
      cwd: sharedBench,
      env: {},
      port: ports.bare,
      log: join(work, 'bare.log'),
      startTimeoutMs: 30_000,
    });
    servers.push(bare);
  }
  const behalf = await startBehalf(behalfDb);
  await sleep(2000);
  const idleRss = rssBytes(behalf.pid);

  const client = new Client(behalf.url);
  await client.must('POST', '/api/v1/auth/login', { login: admin.email, password: admin.password });
  const sessionCookie = client.cookie;

  if (wantCpu) {
    into.cpu = await cpuPhase({
      bare: bare!,
      behalf,
      cookie: sessionCookie,
      duration,
      rounds,
      maxOtherCores: Number(opt['max-other-cores']),
      log,
    });
  }
  if (wantImpersonation) {
    log('impersonation round trip, one at a time, each step timed; then fsyncs counted with strace');
    into.impersonationTail = await impersonationTail({
      url: behalf.url,
      pid: behalf.pid,
      databaseUrl: behalfDb,
      admin,
      subjectEmail: 'user5@peer.test',
      rounds: 200,
    });
    log(`impersonation round trip (${engine}): ${JSON.stringify(into.impersonationTail)}`);
  }

  if (wantSession && !onSqlite) {
    const all = await inRounds(rounds, async (i) => {
      log(`session round ${i + 1}/${rounds} on PostgreSQL: behalf (warm cache) through compare.ts`);
      const only = { sharedBench, target: 'behalf' as const, url: behalf.url, only: 'session', duration };
      return phaseOf(await runCompare({ ...only, login: admin.email, password: admin.password }), 'session');
    });
    results.postgres!.sessionWarm = median(all, (p) => p.rps);
  }
  if (wantSession && onSqlite) {
    const all = await inRounds(rounds, async (i) => {
      log(`session round ${i + 1}/${rounds}: bare, better-auth, behalf (warm cache) through compare.ts`);
      const bareRows = phaseOf(
        await runCompare({ sharedBench, target: 'bare', url: bare!.url, only: 'session', duration }),
        'session',
      );
      const peerRows = phaseOf(
        await runCompare({
          sharedBench,
          target: 'better-auth',
          url: peer!.url,
          only: 'session',
          duration,
          login: peerAdmin.email,
          password: peerAdmin.password,
        }),
        'session',
      );
      const behalfRows = phaseOf(
        await runCompare({
          sharedBench,
          target: 'behalf',
          url: behalf.url,
          only: 'session',
          duration,
          login: admin.email,
          password: admin.password,
        }),
        'session',
      );
      return { bare: bareRows, betterAuth: peerRows, behalfWarm: behalfRows };
    });
    results.session = {
      bare: median(
        all.map((r) => r.bare),
        (p) => p.rps,
      ),
      betterAuth: median(
        all.map((r) => r.betterAuth),
        (p) => p.rps,
      ),
      behalfWarm: median(
        all.map((r) => r.behalfWarm),
        (p) => p.rps,
      ),
      rounds: all,
    };
  }

  if (wantSession || wantMemory) {
    // The cold cache: every request presents a session this server has never seen, so each one
    // takes the first-request path (SHA-256, cache miss, one indexed join on SQLite, cache fill).
    const sessionRequest = { method: 'GET' as const, path: '/api/v1/session' };
    // All three runs set each request's cookie in setupRequest, so the driver does the same work
    // per request for each: the bare route gets well-formed tokens it ignores, the warm run
    // always the one signed-in session, the cold run a new session every time.
    const withCookies = (cookieOf: (n: number) => string) => {
      let n = 0;
      return [
        {
          ...sessionRequest,
          setupRequest: (req: autocannon.Request) => ({ ...req, headers: { cookie: cookieOf(n++) } }),
        },
      ];
    };
    const fakeTokens = Array.from({ length: 10_000 }, () => newToken());
    const same = await inRounds(rounds, async (i) => {
      log(`warm cache round ${i + 1}/${rounds}: behalf and bare through the in-process driver`);
      const warm = await runLoad({
        url: behalf.url,
        connections: 32,
        duration,
        maxSeconds: duration + 5,
        requests: withCookies(() => sessionCookie),
      });
      // The ceiling through the same driver, so the cold share compares like with like.
      const bareRun = bare
        ? await runLoad({
            url: bare.url,
            connections: 32,
            duration,
            maxSeconds: duration + 5,
            requests: withCookies((n) => `${cookieName}=${fakeTokens[n % fakeTokens.length]}`),
          })
        : undefined;
      return { warm, bare: bareRun };
    });
    const warm = median(
      same.map((r) => r.warm),
      (l) => l.rps,
    );
    const bareRuns = same.flatMap((r) => (r.bare ? [r.bare] : []));
    const bareSameDriver = bareRuns.length > 0 ? median(bareRuns, (l) => l.rps) : undefined;
    // Made just before use: a session last seen over a minute ago would also be touched (one
    // more write) on its first request; counted below, in case the run is that slow.
    log(`cold cache: creating ${cachedSessions} sessions through SessionService`);
    const tokens = await createSessions(behalfDb, cachedSessions);
    await sleep(2000);
    const beforeRss = rssBytes(behalf.pid);
    log(`cold cache: ${tokens.length} first requests, each with its own session`);
    const cold = await runLoad({
      url: behalf.url,
      connections: 32,
      amount: tokens.length,
      maxSeconds: 300,
      requests: withCookies((n) => `${cookieName}=${tokens[n % tokens.length]}`),
    });
    await sleep(3000);
    const afterRss = rssBytes(behalf.pid);
    const touched = await touchedSessions(behalfDb);
    into.sessionCold = {
      warmSameDriver: warm,
      cold,
      distinctSessions: tokens.length,
      touchedOnFirstRequest: touched,
      ...(bareSameDriver ? { bareSameDriver } : {}),
    };
    into.memory = {
      idleRss,
      beforeRss,
      afterRss,
      cachedSessions: cold.byStatus['200']?.count ?? 0,
      bytesPerSession: r2((afterRss - beforeRss) / Math.max(1, cold.byStatus['200']?.count ?? 0)),
      heapPerSession: sessionEntryHeap(Math.min(cachedSessions, users)),
    };
  }

  if (wantLogin && !onSqlite) {
    const all = await inRounds(rounds, async (i) => {
      log(`login round ${i + 1}/${rounds} on PostgreSQL: behalf through compare.ts`);
      const only = { sharedBench, target: 'behalf' as const, url: behalf.url, only: 'login', duration };
      return phaseOf(await runCompare({ ...only, login: admin.email, password: admin.password }), 'login');
    });
    const latency = await behalfLoginLatencies(client, behalf.url);
    results.postgres!.login = { behalf: median(all, (p) => p.rps), latency };
  }
  if (onSqlite && (wantLogin || wantFlood)) {
    await loginPhases(behalf, peer, sessionCookie, client, wantLogin, wantFlood);
  }
  for (const s of [bare, peer, behalf]) await s?.stop();
}

async function loginPhases(
  behalf: Server,
  peer: Server | undefined,
  sessionCookie: string,
  client: Client,
  wantLogin: boolean,
  wantFlood: boolean,
): Promise<void> {
  let capacity: number;
  if (wantLogin) {
    const all = await inRounds(rounds, async (i) => {
      log(`login round ${i + 1}/${rounds}: raw argon2id, behalf, raw scrypt, better-auth`);
      const rawArgon2 = await argon2Rate(2, duration);
      const behalfLogin = phaseOf(
        await runCompare({
          sharedBench,
          target: 'behalf',
          url: behalf.url,
          only: 'login',
          duration,
          login: admin.email,
          password: admin.password,
        }),
        'login',
      );
      const rawScrypt = await betterAuthRate(sharedBench, 4, duration);
      const peerLogin = phaseOf(
        await runCompare({
          sharedBench,
          target: 'better-auth',
          url: peer!.url,
          only: 'login',
          duration,
          login: peerAdmin.email,
          password: peerAdmin.password,
        }),
        'login',
      );
      return { rawArgon2, behalf: behalfLogin, rawScrypt, betterAuth: peerLogin };
    });
    const rawArgon2 = median(
      all.map((r) => r.rawArgon2),
      (h) => h.perSecond,
    );
    const rawScrypt = median(
      all.map((r) => r.rawScrypt),
      (h) => h.perSecond,
    );
    const behalfLogin = median(
      all.map((r) => r.behalf),
      (p) => p.rps,
    );
    const peerLogin = median(
      all.map((r) => r.betterAuth),
      (p) => p.rps,
    );
    capacity = behalfLogin.rps;

    log('login latency: right, wrong password, unknown login');
    const behalfLatency = await behalfLoginLatencies(client, behalf.url);
    const attempts = 31;
    const peerPath = '/api/auth/sign-in/email';
    const peerLatency = await loginLatencies(
      peer!.url,
      [
        {
          kind: 'right',
          path: peerPath,
          body: { email: 'admin@peer.test', password: peerAdmin.password },
          expect: 200,
        },
        {
          kind: 'wrong',
          path: peerPath,
          body: { email: 'user7@peer.test', password: 'nope nope nope' },
          expect: 401,
        },
        {
          kind: 'unknown',
          path: peerPath,
          body: { email: 'nobody-here@peer.test', password: 'nope nope nope' },
          expect: 401,
        },
      ],
      attempts,
    );
    results.login = {
      rawArgon2,
      rawScrypt,
      behalf: behalfLogin,
      betterAuth: peerLogin,
      latency: { behalf: behalfLatency, betterAuth: peerLatency },
      rounds: all,
    };
  } else {
    log('login capacity (no login phase selected): 5 s at 4 connections');
    const probe = await runLoad({
      url: behalf.url,
      connections: 4,
      duration: 5,
      maxSeconds: 10,
      requests: [loginRequest(behalf.url, admin)],
    });
    capacity = probe.rps;
  }

  if (wantFlood) {
    const session = { method: 'GET' as const, path: '/api/v1/session', headers: { cookie: sessionCookie } };
    const offered = Math.round(capacity * 10);
    const all = await inRounds(rounds, async (i) => {
      log(
        `flood round ${i + 1}/${rounds}: session load alone, then with ${offered} logins/s (10x ${capacity}/s)`,
      );
      const baseline = await runLoad({
        url: behalf.url,
        connections: 32,
        duration,
        maxSeconds: duration + 5,
        requests: [session],
      });
      const [during, logins] = await Promise.all([
        runLoad({
          url: behalf.url,
          connections: 32,
          duration,
          maxSeconds: duration + 5,
          requests: [session],
        }),
        runLoad({
          url: behalf.url,
          connections: 100,
          overallRate: offered,
          duration,
          maxSeconds: duration + 5,
          requests: [loginRequest(behalf.url, admin)],
        }),
      ]);
      return { baseline, during, logins };
    });
    const mid = median(all, (r) => r.during.rps / r.baseline.rps);
    results.flood = { loginCapacity: capacity, offeredPerSecond: offered, ...mid, rounds: all };
  }
}

/**
 * Sign-in fairness: other users' right logins from other addresses during a flood from one
 * address, with sign-in admission at its default limits and, for comparison, switched off.
 */
async function fairnessPhases(): Promise<void> {
  if (!phases.has('fairness')) return;
  const password = 'Fairness-Pass-2026';
  const passwordHash = await new PasswordHasher(1, 0).hash(password);
  const count = 20_000;
  const withLimits = `sqlite:${join(work, 'fair.db')}`;
  const without = `sqlite:${join(work, 'fair-off.db')}`;
  await seedBehalf(withLimits, count, passwordHash);
  await seedBehalf(without, count, passwordHash);
  const on = await startBehalf(withLimits, { env: {} });
  const off = await startBehalf(without, { port: ports.fairOff });
  // The session check beside each flood; the flood at 10x the login capacity measured before.
  const sessionCookie = await signedInCookie(on.url, admin);
  const capacity = results.login?.behalf.rps ?? results.flood?.loginCapacity;
  const floodRate = capacity ? Math.round(capacity * 10) : undefined;
  const o = { duration, password, firstUser: 1, workers: 4, pauseMs: 50, sessionCookie, floodRate };
  const all = await inRounds(rounds, async (i) => {
    log(`fairness round ${i + 1}/${rounds}: others alone, then during floods (admission on, then off)`);
    const scenarios: FairnessScenario[] = [
      ...(await fairnessScenarios(
        { ...o, url: on.url },
        'default limits',
        ['one account', 'many accounts'],
        true,
      )),
      ...(await fairnessScenarios({ ...o, url: off.url }, 'off', ['one account'], false)),
    ];
    return { scenarios };
  });
  results.fairness = { floodRate: floodRate ?? null, rounds: all.map((r) => r.scenarios) };
  await on.stop();
  await off.stop();
}

async function writePhases(): Promise<void> {
  if (!phases.has('write')) return;
  const count = Math.min(users, 20_000);
  const sqliteUrl = `sqlite:${join(work, 'write.db')}`;
  const pgUrl = await freshPg('write');
  results.write = {};
  for (const [dialect, url] of [
    ['sqlite', sqliteUrl],
    ['postgres', pgUrl],
  ] as const) {
    await seedBehalf(url, count);
    await prepareWriteDatabase(url, admin);
    const server = await startBehalf(url);
    const ids = await userIds(url);
    const all = await inRounds(rounds, async (i) => {
      log(`audited write on ${dialect}, round ${i + 1}/${rounds}: raw statements, service path, HTTP PATCH`);
      const figures = await writePhase(url, admin.email, 8, duration);
      figures.http = await patchRate(server, ids, 8, admin, duration);
      figures.httpShare = r2(figures.http.rps / figures.raw.perSecond);
      return figures;
    });
    await server.stop();
    const chain = await verifyWriteChain(url);
    log(
      `audit chain on ${dialect} after the writes: ${chain.ok ? 'intact' : `BROKEN (${chain.fault})`}, ${chain.checked} events`,
    );
    results.write[dialect] = { ...median(all, (w) => w.share), rounds: all, chain };
  }
}

async function searchPhases(): Promise<void> {
  if (!phases.has('search')) return;
  const count = Number(opt['search-users']);
  const pgUrl = await freshPg('search');
  results.search = {};
  for (const [dialect, url] of [
    ['sqlite', `sqlite:${join(work, 'search.db')}`],
    ['postgres', pgUrl],
  ] as const) {
    const seedSeconds = await seedBehalf(url, count);
    // Seeding raises the load average; the measurement waits for it to fall like the run's start.
    await waitForQuiet(Number(opt['wait-quiet']), false);
    log(`user search on ${dialect}: every term class, first page of 50, newest first`);
    results.search[dialect] = { ...(await measureSearch(url, { reps: 50 })), seedSeconds };
  }
}

/** Waits (bounded) until the machine is quiet; figures taken under others' load mislead. */
async function waitForQuiet(maxSeconds: number, atStart = true): Promise<void> {
  const until = Date.now() + maxSeconds * 1000;
  let said = false;
  while (loadavg()[0]! >= 1 && Date.now() < until) {
    if (!said)
      log(`load average ${loadavg()[0]!.toFixed(2)}: waiting up to ${maxSeconds} s for a quiet machine`);
    said = true;
    await sleep(5000);
  }
  if (atStart) results.loadAverage.start = loadavg();
}

async function main(): Promise<void> {
  log(`machine: ${JSON.stringify(results.machine)}; work dir ${work}`);
  await waitForQuiet(Number(opt['wait-quiet']));
  // The peer (better-auth) takes part only in the session and login comparisons.
  if (phases.has('session') || phases.has('login')) await ensurePeerInstalled();
  for (const engine of opt.db.split(',')) await serverPhases(engine);
  await fairnessPhases();
  await writePhases();
  await searchPhases();
  results.finishedAt = new Date().toISOString();
  results.loadAverage.end = loadavg();
  results.targets = judge(results);
  const out = join(root, '.bench', 'results');
  mkdirSync(out, { recursive: true });
  const stamp = results.startedAt.replace(/[:.]/g, '-');
  const json = JSON.stringify(results, null, 2);
  writeFileSync(join(out, 'latest.json'), json);
  writeFileSync(join(out, `${stamp}.json`), json);
  const md = renderMarkdown(results);
  writeFileSync(join(out, 'latest.md'), md);
  process.stdout.write(`\n${md}\n`);
  log(`results in ${join(out, 'latest.json')}`);
}

try {
  await main();
} finally {
  for (const s of servers) await s.stop().catch(() => {});
  if (!opt.keep) {
    for (const d of pgDatabases) await d.drop().catch(() => {});
    rmSync(work, { recursive: true, force: true });
  } else log(`kept ${work} and ${pgDatabases.map((d) => d.url).join(', ') || 'no PostgreSQL database'}`);
}

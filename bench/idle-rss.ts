// npm run bench:idle-rss: Behalf's resident memory at idle, as DESIGN.md §6 states it: a plain
// start on a fresh SQLite database (as `npm start` does), one login, then RSS from
// /proc/<pid>/status a few seconds later; repeated --starts times (3). With --trace it also
// lists which of the heavy packages the start loaded (a module-load trace through
// module.registerHooks, scripts/module-trace.ts), to check that what is meant to load on
// first use did not load at start. With --existing each start is on a database that an earlier
// start created (a restart: the first superadmin exists, nothing is hashed at start). Figures on a
// loaded machine are not figures of record.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { rssBytes, startServer } from './lib/procs.ts';
import { Client } from './lib/http.ts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { values: opt } = parseArgs({
  options: {
    starts: { type: 'string', default: '3' },
    settle: { type: 'string', default: '3' },
    port: { type: 'string', default: '18390' },
    trace: { type: 'boolean', default: false },
    existing: { type: 'boolean', default: false },
  },
});
const watched = ['oidc-provider', '@fastify/swagger-ui', '@fastify/swagger', 'nodemailer', 'pg'];
const admin = { email: 'admin@idle.test', password: 'Correct-Horse-Battery-9' };

console.log(
  `load average at start: ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);
for (let i = 0; i < Number(opt.starts); i++) {
  const work = mkdtempSync(join(tmpdir(), 'behalf-idle-'));
  const trace = join(work, 'modules.txt');
  const port = Number(opt.port);
  if (opt.existing) await (await start(work, port, false)).stop();
  const server = await start(work, port, opt.trace);
  try {
    await sleep(2000);
    const started = rssBytes(server.pid);
    const client = new Client(server.url);
    await client.must('POST', '/api/v1/auth/login', { login: admin.email, password: admin.password });
    await sleep(Number(opt.settle) * 1000);
    const idle = rssBytes(server.pid);
    let loaded = '';
    if (opt.trace) {
      const urls = readFileSync(trace, 'utf8');
      loaded = ` loaded: ${watched.filter((p) => urls.includes(`/node_modules/${p}/`)).join(', ') || 'none of ' + watched.join(', ')}`;
    }
    console.log(
      `start ${i + 1}${opt.existing ? ' (existing database)' : ''}: ${(started / 2 ** 20).toFixed(1)} MB after start, ${(idle / 2 ** 20).toFixed(1)} MB after one login;${loaded}`,
    );
  } finally {
    await server.stop();
    rmSync(work, { recursive: true, force: true });
  }
}
console.log(
  `load average at end: ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);

/** Starts `src/main.ts` on the SQLite file in `work` (created by the first start). */
function start(work: string, port: number, traced: boolean) {
  const trace = join(work, 'modules.txt');
  return startServer({
    name: 'behalf',
    args: [...(traced ? ['--import', join(root, 'scripts/module-trace.ts')] : []), 'src/main.ts'],
    cwd: root,
    env: {
      DATABASE_URL: `sqlite:${join(work, 'behalf.db')}`,
      HOST: '127.0.0.1',
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      BOOTSTRAP_ADMIN_EMAIL: admin.email,
      BOOTSTRAP_ADMIN_PASSWORD: admin.password,
      LOG_LEVEL: 'warn',
      ...(traced ? { BEHALF_MODULE_TRACE: trace } : {}),
    },
    port,
    log: join(work, 'behalf.log'),
    startTimeoutMs: 120_000,
  });
}

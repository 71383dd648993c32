// npm run bench:session-entry: what one cached session costs in the V8 heap (DESIGN.md §6:
// <= 1 KB per cached session). Run with --expose-gc (the npm script does). Seeds --users
// users with a session each in a temporary SQLite database, then resolves every token once
// through Behalf's own SessionService, which fills its cache exactly as a server's first
// request with each token does. The figure is heapUsed after a full GC with the cache filled,
// minus heapUsed after a full GC once the cache is cleared again: the entries and their maps
// alone, not the garbage or the lasting growth that the requests left behind (which an RSS
// difference counts). Heap only: RSS is the process's, and moves in pages and spaces.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { migrateToLatest, openDatabase } from '../src/db/database.ts';
import { systemClock } from '../src/shared/clock.ts';
import { SettingsService } from '../src/settings/settings.service.ts';
import { SessionService } from '../src/sessions/sessions.service.ts';
import { seedUsers } from './seed-users.ts';
import { createSessions } from './lib/sessions.ts';

const { values: opt } = parseArgs({
  options: { users: { type: 'string', default: '20000' }, json: { type: 'boolean', default: false } },
});
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc (npm run bench:session-entry does)');

/** heapUsed once nothing more is collectable (several full GCs: weak references, finalizers). */
async function settledHeap(): Promise<number> {
  for (let i = 0; i < 4; i++) {
    gc!();
    await new Promise((r) => setImmediate(r));
  }
  return process.memoryUsage().heapUsed;
}

const count = Number(opt.users);
const dir = mkdtempSync(join(tmpdir(), 'behalf-session-entry-'));
const url = `sqlite:${join(dir, 'behalf.db')}`;
try {
  const seed = await openDatabase(url);
  await migrateToLatest(seed);
  await seedUsers(seed, { users: count, passwordHash: null });
  await seed.close();
  const tokens = await createSessions(url, count);

  const database = await openDatabase(url);
  const sessions = new SessionService(database, systemClock, new SettingsService(database, systemClock));
  // Warm every code path (and the settings cache) on a first pass, so the measured pass adds
  // entries only; then empty the cache again.
  for (const t of tokens) if (!(await sessions.resolve(t))) throw new Error('a session did not resolve');
  sessions.cache.clear();
  const empty = await settledHeap();
  for (const t of tokens) await sessions.resolve(t);
  const filled = await settledHeap();
  const entries = sessions.cache.size;
  sessions.cache.clear();
  const cleared = await settledHeap();
  await database.close();
  const per = (filled - cleared) / entries;
  // --json: one line for bench/run.ts's memory phase, which runs this beside its RSS figure.
  if (opt.json) console.log(JSON.stringify({ entries, bytesPerEntry: Math.round(per) }));
  else
    console.log(
      `${entries} cached sessions: heapUsed ${(empty / 2 ** 20).toFixed(1)} MB empty, ` +
        `${(filled / 2 ** 20).toFixed(1)} MB filled, ${(cleared / 2 ** 20).toFixed(1)} MB cleared again; ` +
        `${Math.round(per)} B per cached session (target <= 1024)`,
    );
} finally {
  rmSync(dir, { recursive: true, force: true });
}

// Admin user search (R-ADM-06), measured in-process through the service (no HTTP): the first
// page of 50, newest first, with its capped count, for each term class of DESIGN.md §6, on a
// database seeded by bench/seed-users.ts. Terms vary from repetition to repetition, so that a
// class's figure is not one lucky term served from a warm cache.
//
// CLI: node bench/search.ts --db sqlite:./data/bench.db [--reps 50] [--sort -createdAt]
import { parseArgs } from 'node:util';
import { openDatabase, migrateToLatest } from '../src/db/database.ts';
import { systemClock } from '../src/shared/clock.ts';
import { SettingsService } from '../src/settings/settings.service.ts';
import { UserSearchService } from '../src/users/user-search.service.ts';
import { userSorts, type UserSort } from '../src/users/user-search.ts';
import { describeMachine } from './lib/machine.ts';

export interface TermClass {
  name: string;
  /** The term of repetition k (users seeded 0..n-1). */
  term: (k: number, n: number) => string;
}

// A fixed pseudo-random walk over the seeded users, the same in every run.
const pick = (k: number, n: number) => (k * 7919 + 104_729) % n;
const twoLetters = ['us', 'ex', 'le', 'pe', 'am', 'mp', 'er', 'te'];

export const termClasses: TermClass[] = [
  { name: 'exact e-mail', term: (k, n) => `user${pick(k, n)}@peer.test` },
  // Six digits of a user number: the user itself and the odd id that contains them.
  { name: 'rare fragment', term: (k, n) => String(pick(k, n)).padStart(6, '0').slice(-6) },
  // "Example42" also matches Example420..Example429; "Example976" only itself (~1 in 977).
  { name: 'common surname', term: (k) => `example${(k * 37) % 977}` },
  { name: 'common domain', term: () => 'peer.test' },
  { name: 'no match', term: (k) => `nobody-${k}-here` },
  { name: 'two letters', term: (k) => twoLetters[k % twoLetters.length]! },
  // Not a class of DESIGN.md: a two-letter term nobody has, to show the bounded walk.
  { name: 'two letters, no match', term: () => 'zq' },
];

export interface ClassResult {
  name: string;
  example: string;
  p50: number;
  p95: number;
  max: number;
  /** Items and total of the example's first page, to show what was measured. */
  items: number;
  total: string;
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
const round = (ms: number) => Math.round(ms * 100) / 100;

/** Runs every class `reps` times against the database at `url` (seeded, migrated). */
export async function measureSearch(
  url: string,
  options: { reps?: number; sort?: UserSort } = {},
): Promise<{ users: number; results: ClassResult[] }> {
  const reps = options.reps ?? 50;
  const sort = options.sort ?? '-createdAt';
  const database = await openDatabase(url);
  try {
    await migrateToLatest(database);
    const settings = new SettingsService(database, systemClock);
    const search = new UserSearchService({ database, clock: systemClock, settings });
    const row = await database.db
      .selectFrom('users')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    const users = Number(row.n);
    const run = (q: string) => search.list({ q, limit: 50, sort });
    // Warm up: the planner's sample, settings, statement caches, the engine's page cache.
    for (const c of termClasses) for (let k = 0; k < 5; k++) await run(c.term(reps + k, users));
    // Round robin over the classes, so that a burst of load elsewhere on the machine spreads
    // over all of them instead of landing on one.
    const times = termClasses.map(() => [] as number[]);
    for (let k = 0; k < reps; k++) {
      for (const [i, c] of termClasses.entries()) {
        const began = performance.now();
        await run(c.term(k, users));
        times[i]!.push(performance.now() - began);
      }
    }
    const results: ClassResult[] = [];
    for (const [i, c] of termClasses.entries()) {
      const sorted = times[i]!.sort((a, b) => a - b);
      const example = await run(c.term(0, users));
      results.push({
        name: c.name,
        example: c.term(0, users),
        p50: round(percentile(sorted, 50)),
        p95: round(percentile(sorted, 95)),
        max: round(sorted.at(-1)!),
        items: example.items.length,
        total: `${example.total.count}${example.total.capped ? '+' : ''}`,
      });
    }
    return { users, results };
  } finally {
    await database.close();
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      db: { type: 'string' },
      reps: { type: 'string', default: '50' },
      sort: { type: 'string', default: '-createdAt' },
    },
  });
  const sort = values.sort as UserSort;
  if (!values.db || !userSorts.includes(sort)) {
    console.error(
      'usage: node bench/search.ts --db sqlite:PATH|postgres://... [--reps 50] [--sort -createdAt]',
    );
    process.exit(2);
  }
  const engine = values.db.startsWith('sqlite:') ? 'SQLite' : 'PostgreSQL';
  const { users, results } = await measureSearch(values.db, { reps: Number(values.reps), sort });
  const m = describeMachine();
  console.log(`${engine}, ${users} users, sort ${sort}, ${values.reps} reps per class`);
  console.log(`machine: ${m.cpus} CPUs (${m.cpuModel}), ${m.memoryGiB} GiB, Node ${m.node}\n`);
  console.log('| term class | example term | p50 ms | p95 ms | max ms | example: items, total |');
  console.log('|---|---|---:|---:|---:|---|');
  for (const r of results) {
    console.log(`| ${r.name} | \`${r.example}\` | ${r.p50} | ${r.p95} | ${r.max} | ${r.items}, ${r.total} |`);
  }
}

if (import.meta.main) await main();

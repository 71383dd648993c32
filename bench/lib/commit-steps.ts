import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import type { Browser } from './impersonation-tail.ts';

// Lays each fsync of the impersonation round trip at a step's door (issue 13, target 4). The
// round trip runs with a pause after every step, longer than the mail worker's wake-up delay,
// so what the step's request did itself (its commit) is told apart from what it set going (the
// outbox worker's delivery bookkeeping, a WAL checkpoint). strace -y names the file of every
// fsync: on SQLite, the -wal file is a commit, the database file a checkpoint; on PostgreSQL the
// traced processes are the server's own backends (found in pg_stat_activity), whose WAL flush
// at commit is the fsync.

export const roundTripSteps = ['start', 'handoff', 'request', 'end'] as const;
type Step = (typeof roundTripSteps)[number];

export interface CommitAttribution {
  rounds: number;
  pauseMs: number;
  /** Processes traced: the server (SQLite), or its PostgreSQL backends. */
  traced: string;
  perRound: number;
  /** fsyncs per round trip: during the step's request, and after its answer (background). */
  byStep: Record<Step, { inRequest: number; afterAnswer: number }>;
  /** fsyncs per round trip by the file synced (basename; PostgreSQL: pg_wal). */
  byFile: Record<string, number>;
  /** fsyncs outside every step's window (e.g. before the first round). */
  outside: number;
  /** How long the outbox took to drain of the earlier series' mail before this one began. */
  drainMs: number;
}

interface Event {
  at: number;
  file: string;
}

/** fsync and fdatasync calls from `strace -f -ttt -y`, with their start time in epoch ms. */
export function parseStrace(text: string): Event[] {
  const events: Event[] = [];
  const re = /^(?:\d+\s+)?(\d+\.\d+)\s+f(?:data)?sync\(\d+<([^>]*)>\)?/;
  for (const line of text.split('\n')) {
    const m = re.exec(line);
    if (!m) continue;
    const path = m[2]!;
    const file = path.includes('/pg_wal/') ? 'pg_wal' : basename(path);
    events.push({ at: Number(m[1]) * 1000, file });
  }
  return events;
}

/** The PostgreSQL backends serving `databaseUrl`'s database (the server's pool), by pid. */
export async function backendPids(databaseUrl: string): Promise<number[]> {
  const name = new URL(databaseUrl).pathname.slice(1);
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ pid: number }>(
      'SELECT pid FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
      [name],
    );
    return rows.map((r) => r.pid);
  } finally {
    await client.end();
  }
}

const now = () => performance.timeOrigin + performance.now();

export async function attributeCommits(o: {
  browser: Browser;
  subjectId: string;
  pids: number[];
  traced: string;
  rounds: number;
  pauseMs: number;
}): Promise<CommitAttribution> {
  // The earlier series' mail first: its delivery would otherwise be counted in these windows.
  const drainFrom = now();
  for (let i = 0; i < 600; i++) {
    const pending = await o.browser.must('GET', '/api/v1/admin/outbox?status=pending&limit=1', 200);
    if (pending.items.length === 0) break;
    await sleep(100);
  }
  const drainMs = Math.round(now() - drainFrom);
  const file = join(mkdtempSync(join(tmpdir(), 'behalf-commits-')), 'strace.txt');
  const trace = spawn(
    '/usr/bin/strace',
    [
      '-f',
      '-ttt',
      '-y',
      '-e',
      'trace=fsync,fdatasync',
      '-o',
      file,
      ...o.pids.flatMap((p) => ['-p', String(p)]),
    ],
    { stdio: 'ignore' },
  );
  await sleep(500);
  const windows: Array<{ step: Step; from: number; answered: number; to: number }> = [];
  const timed = async (step: Step, call: () => Promise<unknown>) => {
    const from = now();
    await call();
    const answered = now();
    await sleep(o.pauseMs);
    windows.push({ step, from, answered, to: now() });
  };
  const b = o.browser;
  for (let i = 0; i < o.rounds; i++) {
    let handoffUrl = '';
    await timed('start', async () => {
      const started = await b.must('POST', `/api/v1/admin/users/${o.subjectId}/impersonation`, 201, {
        reason: 'Benchmark: impersonation round trip',
        durationMinutes: 30,
      });
      handoffUrl = started.handoffUrl;
    });
    await timed('handoff', () => b.must('GET', handoffUrl, 303));
    await timed('request', () => b.must('GET', '/api/v1/session', 200));
    await timed('end', () => b.must('DELETE', '/api/v1/impersonation', 200));
  }
  trace.kill('SIGINT');
  await once(trace, 'exit');
  const events = parseStrace(readFileSync(file, 'utf8'));
  rmSync(dirname(file), { recursive: true, force: true });
  return { ...attribute(events, windows, o), drainMs };
}

export function attribute(
  events: Event[],
  windows: Array<{ step: Step; from: number; answered: number; to: number }>,
  o: { rounds: number; pauseMs: number; traced: string },
): Omit<CommitAttribution, 'drainMs'> {
  const per = (n: number) => Math.round((n / o.rounds) * 100) / 100;
  const count = Object.fromEntries(
    roundTripSteps.map((s) => [s, { inRequest: 0, afterAnswer: 0 }]),
  ) as Record<Step, { inRequest: number; afterAnswer: number }>;
  const files: Record<string, number> = {};
  let outside = 0;
  let inWindows = 0;
  for (const e of events) {
    const w = windows.find((x) => e.at >= x.from && e.at < x.to);
    if (!w) {
      outside++;
      continue;
    }
    inWindows++;
    count[w.step][e.at < w.answered ? 'inRequest' : 'afterAnswer']++;
    files[e.file] = (files[e.file] ?? 0) + 1;
  }
  for (const s of roundTripSteps) {
    count[s] = { inRequest: per(count[s].inRequest), afterAnswer: per(count[s].afterAnswer) };
  }
  return {
    rounds: o.rounds,
    pauseMs: o.pauseMs,
    traced: o.traced,
    perRound: per(inWindows),
    byStep: count,
    byFile: Object.fromEntries(Object.entries(files).map(([f, n]) => [f, per(n)])),
    outside,
  };
}

export function renderAttribution(a: CommitAttribution): string {
  return [
    `fsyncs by step (${a.rounds} round trips, ${a.pauseMs} ms pause after each step, strace -y of ${a.traced}): ` +
      `${a.perRound} per round trip.`,
    '',
    '| step | during the request | after the answer |',
    '| --- | --- | --- |',
    ...roundTripSteps.map((s) => `| ${s} | ${a.byStep[s].inRequest} | ${a.byStep[s].afterAnswer} |`),
    '',
    `By file: ${Object.entries(a.byFile)
      .map(([f, n]) => `${f} ${n}`)
      .join(', ')}${a.outside ? `; ${a.outside} outside any step` : ''}. The outbox took ${a.drainMs} ms ` +
      'to deliver the earlier series’ mail before this series began.',
  ].join('\n');
}

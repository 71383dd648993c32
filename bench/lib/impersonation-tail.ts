import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { once } from 'node:events';
import { percentile, r2 } from './load.ts';
import { attributeCommits, backendPids, renderAttribution, type CommitAttribution } from './commit-steps.ts';

// The impersonation round trip (start, handoff, one request as the subject, back) one at a
// time, each step timed on its own, so that the tail can be laid at a step's door; and, with
// strace where installed, the fsyncs the server made meanwhile and the time they took, since
// every step is a durable commit (the audit event in the change's transaction).

export interface StepFigures {
  p50: number;
  p99: number;
  max: number;
}

export interface ImpersonationTail {
  engine: 'sqlite' | 'postgres';
  rounds: number;
  total: StepFigures;
  steps: Record<'start' | 'handoff' | 'request' | 'end', StepFigures>;
  /** From strace -c over a second series of the same length (strace slows the server). */
  fsync?: { calls: number; perRound: number; p50Ms: number; p99Ms: number; maxMs: number };
  /** The fsyncs laid at each step's door, from a third, paused series (commit-steps.ts). */
  commits?: CommitAttribution;
}

/** A cookie jar over fetch: the handoff and the end change which cookies the browser holds. */
export class Browser {
  private readonly jar = new Map<string, string>();
  private readonly base: string;
  constructor(base: string) {
    this.base = base;
  }

  async call(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
    const res = await fetch(this.base + path, {
      method,
      redirect: 'manual',
      headers: {
        origin: this.base,
        ...(this.jar.size ? { cookie: [...this.jar].map(([k, v]) => `${k}=${v}`).join('; ') } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    for (const line of res.headers.getSetCookie()) {
      const pair = line.split(';')[0]!;
      const eq = pair.indexOf('=');
      const value = pair.slice(eq + 1);
      if (value === '' || /max-age=0/i.test(line)) this.jar.delete(pair.slice(0, eq));
      else this.jar.set(pair.slice(0, eq), value);
    }
    const text = await res.text();
    return { status: res.status, body: text.startsWith('{') ? JSON.parse(text) : text };
  }

  async must(method: string, path: string, expected: number, body?: unknown): Promise<any> {
    const r = await this.call(method, path, body);
    if (r.status !== expected)
      throw new Error(`${method} ${path}: HTTP ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  }
}

function figures(ms: number[]): StepFigures {
  const sorted = [...ms].sort((a, b) => a - b);
  return { p50: r2(percentile(sorted, 0.5)), p99: r2(percentile(sorted, 0.99)), max: r2(sorted.at(-1)!) };
}

export async function impersonationTail(o: {
  url: string;
  pid: number;
  /** The server's database: on PostgreSQL, its backends are traced instead of the server. */
  databaseUrl: string;
  admin: { email: string; password: string };
  subjectEmail: string;
  rounds: number;
  attributionRounds?: number;
}): Promise<ImpersonationTail> {
  const browser = new Browser(o.url);
  await browser.must('POST', '/api/v1/auth/login', 200, { login: o.admin.email, password: o.admin.password });
  const found = await browser.must('GET', `/api/v1/admin/users?q=${encodeURIComponent(o.subjectEmail)}`, 200);
  const subjectId = found.items[0].id as string;
  const series = async (rounds: number) => {
    const steps = {
      start: [] as number[],
      handoff: [] as number[],
      request: [] as number[],
      end: [] as number[],
    };
    const total: number[] = [];
    for (let i = 0; i < rounds; i++) {
      const t0 = performance.now();
      const started = await browser.must('POST', `/api/v1/admin/users/${subjectId}/impersonation`, 201, {
        reason: 'Benchmark: impersonation round trip',
        durationMinutes: 30,
      });
      const t1 = performance.now();
      await browser.must('GET', started.handoffUrl, 303);
      const t2 = performance.now();
      await browser.must('GET', '/api/v1/session', 200);
      const t3 = performance.now();
      await browser.must('DELETE', '/api/v1/impersonation', 200);
      const t4 = performance.now();
      steps.start.push(t1 - t0);
      steps.handoff.push(t2 - t1);
      steps.request.push(t3 - t2);
      steps.end.push(t4 - t3);
      total.push(t4 - t0);
    }
    return { steps, total };
  };
  await series(20); // warm-up
  const { steps, total } = await series(o.rounds);
  const engine = o.databaseUrl.startsWith('postgres') ? 'postgres' : 'sqlite';
  const result: ImpersonationTail = {
    engine,
    rounds: o.rounds,
    total: figures(total),
    steps: {
      start: figures(steps.start),
      handoff: figures(steps.handoff),
      request: figures(steps.request),
      end: figures(steps.end),
    },
  };
  // On PostgreSQL the commit's fsync is made by the backend, not by the server's process.
  const pids = engine === 'postgres' ? await backendPids(o.databaseUrl) : [o.pid];
  if (existsSync('/usr/bin/strace')) {
    // -T: each call's own duration, so the fsyncs' tail can be set beside the round trip's.
    const file = join(mkdtempSync(join(tmpdir(), 'behalf-strace-')), 'fsync.txt');
    const trace = spawn(
      '/usr/bin/strace',
      ['-f', '-T', '-e', 'trace=fsync,fdatasync', '-o', file, ...pids.flatMap((p) => ['-p', String(p)])],
      { stdio: 'ignore' },
    );
    await new Promise((r) => setTimeout(r, 500));
    await series(o.rounds);
    trace.kill('SIGINT');
    await once(trace, 'exit');
    const durations = [
      ...readFileSync(file, 'utf8').matchAll(/f(?:data)?sync\(\d+\)\s+=\s+0\s+<([\d.]+)>/g),
    ].map((m) => Number(m[1]) * 1000);
    rmSync(dirname(file), { recursive: true, force: true });
    const f = figures(durations.length ? durations : [0]);
    result.fsync = {
      calls: durations.length,
      perRound: r2(durations.length / o.rounds),
      p50Ms: f.p50,
      p99Ms: f.p99,
      maxMs: f.max,
    };
    result.commits = await attributeCommits({
      browser,
      subjectId,
      pids,
      traced: engine === 'postgres' ? `${pids.length} PostgreSQL backends` : 'the server',
      rounds: o.attributionRounds ?? 20,
      pauseMs: 150,
    });
  }
  return result;
}

export function renderImpersonationTail(t: ImpersonationTail): string {
  const row = (name: string, f: StepFigures) => `| ${name} | ${f.p50} | ${f.p99} | ${f.max} |`;
  return [
    `### Impersonation round trip, ${t.rounds} one after another (${t.engine === 'postgres' ? 'PostgreSQL' : 'SQLite'})`,
    '',
    '| step | p50 ms | p99 ms | max ms |',
    '| --- | --- | --- | --- |',
    row('start', t.steps.start),
    row('handoff', t.steps.handoff),
    row('one request as the subject', t.steps.request),
    row('back', t.steps.end),
    row('round trip', t.total),
    '',
    t.fsync
      ? `fsyncs (strace -T, a second series): ${t.fsync.perRound} per round trip; each took p50 ` +
        `${t.fsync.p50Ms} ms, p99 ${t.fsync.p99Ms} ms, max ${t.fsync.maxMs} ms.`
      : 'fsyncs not counted (strace not installed).',
    ...(t.commits ? ['', renderAttribution(t.commits)] : []),
  ].join('\n');
}

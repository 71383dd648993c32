import type { Results, Verdict } from './results.ts';
import { renderImpersonationTail } from './impersonation-tail.ts';
import { renderCpuPhase } from './cpu-phase.ts';

// SQLite and PostgreSQL side by side for the server phases run on both (--db sqlite,postgres):
// one table of the figures DESIGN.md §6 names, then PostgreSQL's own detail sections.

type Cell = string | number;

export function renderEngines(r: Results): string[] {
  const pg = r.postgres;
  if (!pg) return [];
  const rows: Cell[][] = [];
  const add = (what: string, sqlite: string | undefined, postgres: string | undefined) => {
    if (sqlite !== undefined || postgres !== undefined) rows.push([what, sqlite ?? 'n/a', postgres ?? 'n/a']);
  };
  const wrk = (c: Results['cpu']) =>
    c &&
    `${c.behalfWarm.cpuUsPerRequest} µs/req, ${c.ratio}x bare; ${c.behalfWarm.rps} req/s, p99 ${c.behalfWarm.p99Ms} ms`;
  add('session check, warm (wrk): server CPU, req/s, p99', wrk(r.cpu), wrk(pg.cpu));
  add(
    'session check, warm (compare.ts): req/s, p50 / p99 ms',
    r.session && `${r.session.behalfWarm.rps}, ${r.session.behalfWarm.p50} / ${r.session.behalfWarm.p99}`,
    pg.sessionWarm && `${pg.sessionWarm.rps}, ${pg.sessionWarm.p50} / ${pg.sessionWarm.p99}`,
  );
  const cold = (c: Results['sessionCold']) => c && `${c.cold.rps}, ${c.cold.p50} / ${c.cold.p99}`;
  add('session check, cold (first request): req/s, p50 / p99 ms', cold(r.sessionCold), cold(pg.sessionCold));
  add(
    'password login (compare.ts): req/s, p50 / p99 ms',
    r.login && `${r.login.behalf.rps}, ${r.login.behalf.p50} / ${r.login.behalf.p99}`,
    pg.login && `${pg.login.behalf.rps}, ${pg.login.behalf.p50} / ${pg.login.behalf.p99}`,
  );
  const kinds = (
    l: { right: { p50: number }; wrong: { p50: number }; unknown: { p50: number } } | undefined,
  ) => l && `${l.right.p50} / ${l.wrong.p50} / ${l.unknown.p50}`;
  add('login p50 ms: right / wrong / unknown', kinds(r.login?.latency.behalf), kinds(pg.login?.latency));
  const imp = (t: Results['impersonationTail']) => t && `${t.total.p50} / ${t.total.p99} / ${t.total.max}`;
  add('impersonation round trip p50 / p99 / max ms', imp(r.impersonationTail), imp(pg.impersonationTail));
  const syncs = (t: Results['impersonationTail']) =>
    t?.commits &&
    `${t.commits.perRound} (start ${t.commits.byStep.start.inRequest}, handoff ${t.commits.byStep.handoff.inRequest}, ` +
      `back ${t.commits.byStep.end.inRequest}; after the answers ${(
        ['start', 'handoff', 'request', 'end'] as const
      )
        .reduce((n, s) => n + t.commits!.byStep[s].afterAnswer, 0)
        .toFixed(2)})`;
  add('fsyncs per round trip (by step)', syncs(r.impersonationTail), syncs(pg.impersonationTail));
  const fsync = (t: Results['impersonationTail']) =>
    t?.fsync && `${t.fsync.p50Ms} / ${t.fsync.p99Ms} / ${t.fsync.maxMs}`;
  add('one fsync p50 / p99 / max ms', fsync(r.impersonationTail), fsync(pg.impersonationTail));
  const mem = (m: Results['memory']) => m && `${(m.idleRss / 2 ** 20).toFixed(1)} MB`;
  add('resident memory, idle', mem(r.memory), mem(pg.memory));
  const line = (cells: Cell[]) => `| ${cells.join(' | ')} |`;
  const out = [
    '### SQLite and PostgreSQL side by side (Behalf)',
    [line(['figure', 'SQLite', 'PostgreSQL']), line(['---', '---', '---']), ...rows.map(line)].join('\n'),
  ];
  if (pg.cpu) out.push(renderCpuPhase(pg.cpu).replace('### Session check', '### PostgreSQL: session check'));
  if (pg.impersonationTail) out.push(renderImpersonationTail(pg.impersonationTail));
  return out;
}

export function judgeEngines(r: Results): Verdict[] {
  const t = r.postgres?.impersonationTail;
  if (!t) return [];
  return [
    {
      figure: 'impersonation round trip p99, PostgreSQL',
      target: '< 10 ms',
      measured: `${t.total.p99} ms`,
      met: t.total.p99 < 10,
    },
  ];
}

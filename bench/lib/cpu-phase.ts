import { loadavg } from 'node:os';
import { runWrk, type WrkFigures } from './wrk.ts';
import { inRounds, median } from './rounds.ts';

// The warm session check beside the bare route, both under wrk in the same run, judged by the
// server CPU each request costs (DESIGN.md §6: <= 1.33x the bare route's). Throughput figures
// are kept only when no other process used the CPU meanwhile: on a busy machine they measure
// the neighbours, while CPU per request stays comparable.

export interface CpuPhase {
  bare: WrkFigures;
  behalfWarm: WrkFigures;
  /** behalfWarm.cpuUsPerRequest / bare.cpuUsPerRequest (median rounds). */
  ratio: number;
  /** False when another process used more than maxOtherCores during a run: ignore req/s then. */
  throughputValid: boolean;
  maxOtherCores: number;
  load: { start: number[]; end: number[] };
  rounds: Array<{ bare: WrkFigures; behalfWarm: WrkFigures }>;
}

export interface CpuPhaseOptions {
  bare: { url: string; pid: number };
  behalf: { url: string; pid: number };
  cookie: string;
  duration: number;
  rounds: number;
  maxOtherCores: number;
  log: (line: string) => void;
}

export async function cpuPhase(o: CpuPhaseOptions): Promise<CpuPhase> {
  const start = loadavg();
  o.log(`wrk session check: load average at start ${start.map((l) => l.toFixed(2)).join(' ')}`);
  const path = '/api/v1/session';
  // A short warm-up per server, so that the JIT's first work is not counted.
  await runWrk({ url: o.bare.url + path, pid: o.bare.pid, duration: 2 });
  await runWrk({ url: o.behalf.url + path, pid: o.behalf.pid, duration: 2, headers: { cookie: o.cookie } });
  const rounds = await inRounds(o.rounds, async (i) => {
    const bare = await runWrk({ url: o.bare.url + path, pid: o.bare.pid, duration: o.duration });
    const behalfWarm = await runWrk({
      url: o.behalf.url + path,
      pid: o.behalf.pid,
      duration: o.duration,
      headers: { cookie: o.cookie },
    });
    if (behalfWarm.non2xx > 0)
      throw new Error(`Behalf answered ${behalfWarm.non2xx} session checks with non-2xx`);
    o.log(
      `wrk round ${i + 1}/${o.rounds}: bare ${bare.cpuUsPerRequest} µs/req (${bare.rps} req/s), ` +
        `behalf warm ${behalfWarm.cpuUsPerRequest} µs/req (${behalfWarm.rps} req/s); ` +
        `other processes ${bare.otherCores} / ${behalfWarm.otherCores} cores`,
    );
    return { bare, behalfWarm };
  });
  const bare = median(
    rounds.map((r) => r.bare),
    (f) => -f.cpuUsPerRequest,
  );
  const behalfWarm = median(
    rounds.map((r) => r.behalfWarm),
    (f) => -f.cpuUsPerRequest,
  );
  const end = loadavg();
  const throughputValid = rounds.every(
    (r) => r.bare.otherCores <= o.maxOtherCores && r.behalfWarm.otherCores <= o.maxOtherCores,
  );
  const ratio = Math.round((behalfWarm.cpuUsPerRequest / bare.cpuUsPerRequest) * 100) / 100;
  o.log(
    `wrk session check: server CPU per request bare ${bare.cpuUsPerRequest} µs, behalf warm ` +
      `${behalfWarm.cpuUsPerRequest} µs, ratio ${ratio}x (target <= 1.33x); throughput ` +
      (throughputValid ? 'valid' : `NOT valid (other processes used > ${o.maxOtherCores} cores)`) +
      `; load average at end ${end.map((l) => l.toFixed(2)).join(' ')}`,
  );
  return {
    bare,
    behalfWarm,
    ratio,
    throughputValid,
    maxOtherCores: o.maxOtherCores,
    load: { start, end },
    rounds,
  };
}

/** The markdown rows of the phase: server CPU per request first, throughput only when valid. */
export function renderCpuPhase(c: CpuPhase): string {
  const rps = (f: WrkFigures) => (c.throughputValid ? String(f.rps) : `(${f.rps}, not valid)`);
  return [
    '### Session check under wrk: server CPU per request (32 connections, warm cache)',
    '',
    `Load average at start ${c.load.start.map((l) => l.toFixed(2)).join(' ')}, at end ` +
      `${c.load.end.map((l) => l.toFixed(2)).join(' ')}; req/s ` +
      (c.throughputValid ? 'valid' : `NOT valid: other processes used more than ${c.maxOtherCores} cores`) +
      '.',
    '',
    '| target | server CPU µs/req | req/s | p50 ms | p99 ms | other processes, cores |',
    '| --- | --- | --- | --- | --- | --- |',
    ...[
      ['bare Fastify', c.bare],
      ['Behalf, warm cache', c.behalfWarm],
    ].map(
      ([name, f]) =>
        `| ${name as string} | ${(f as WrkFigures).cpuUsPerRequest} | ${rps(f as WrkFigures)} | ` +
        `${(f as WrkFigures).p50Ms} | ${(f as WrkFigures).p99Ms} | ${(f as WrkFigures).otherCores} |`,
    ),
    '',
    `Ratio: ${c.ratio}x the bare route's CPU per request (target <= 1.33x).`,
  ].join('\n');
}

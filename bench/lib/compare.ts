import { spawn } from 'node:child_process';
import { once } from 'node:events';

// Runs the shared load driver (../shared/bench/compare.ts) against one target and collects the
// JSON lines it prints: the same workload and generator for Behalf, the peer and the ceiling.

export interface CompareRow {
  target: string;
  metric: string;
  value: number;
  unit: string;
  non2xx_or_errors?: number;
}

export interface CompareArgs {
  sharedBench: string;
  target: 'behalf' | 'better-auth' | 'bare';
  url: string;
  only: string;
  duration: number;
  login?: string;
  password?: string;
  extra?: string[];
}

export async function runCompare(a: CompareArgs): Promise<Map<string, CompareRow>> {
  const args = ['compare.ts', '--target', a.target, '--url', a.url, '--only', a.only];
  args.push('--duration', String(a.duration));
  if (a.login !== undefined) args.push('--login', a.login, '--password', a.password ?? '');
  args.push(...(a.extra ?? []));
  const child = spawn(process.execPath, args, { cwd: a.sharedBench, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  // compare.ts bounds each phase by --duration; this bounds the whole call.
  const guard = setTimeout(() => child.kill('SIGKILL'), (a.duration * 4 + 60) * 1000);
  const [code] = (await once(child, 'exit')) as [number | null];
  clearTimeout(guard);
  if (code !== 0) throw new Error(`compare.ts --target ${a.target} failed (${code}): ${err.slice(-1500)}`);
  const rows = new Map<string, CompareRow>();
  for (const line of out.split('\n')) {
    if (!line.startsWith('{')) continue;
    const row = JSON.parse(line) as CompareRow;
    rows.set(row.metric, row);
  }
  return rows;
}

/** Throughput and latency of one load phase ("session", "login") as compare.ts printed them. */
export function phaseOf(rows: Map<string, CompareRow>, phase: string) {
  const get = (m: string) => {
    const row = rows.get(`${phase} ${m}`);
    if (!row) throw new Error(`compare.ts printed no "${phase} ${m}"`);
    return row;
  };
  const throughput = get('throughput');
  return {
    rps: throughput.value,
    p50: get('latency p50').value,
    p99: get('latency p99').value,
    bad: throughput.non2xx_or_errors ?? 0,
  };
}

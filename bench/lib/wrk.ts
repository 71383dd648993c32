import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { once } from 'node:events';
import { loadavg } from 'node:os';

// wrk (a C load generator) against one server, with that server's own CPU time from the
// kernel's accounting. Throughput on a shared 2-core machine depends on whoever else runs;
// CPU time per request hardly does, so that is the figure compared, and throughput is only
// reported as valid while the load average stays below a threshold.

const WRK = '/usr/bin/wrk';

/** wrk from Debian: installed when missing and we may, otherwise a clear way to get it. */
export function ensureWrk(): string {
  if (existsSync(WRK)) return WRK;
  if (process.getuid?.() === 0) {
    execFileSync('apt-get', ['install', '-y', '--no-install-recommends', 'wrk'], { stdio: 'inherit' });
    if (existsSync(WRK)) return WRK;
  }
  throw new Error('wrk is missing: install it with `sudo apt-get install wrk` (Debian package)');
}

/** utime + stime of a process, in seconds (fields 14 and 15 of /proc/<pid>/stat). */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may hold spaces; the fields after its closing parenthesis don't.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return ticks / clockTicks();
}

let ticksPerSecond: number | undefined;
function clockTicks(): number {
  ticksPerSecond ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  return ticksPerSecond;
}

export interface WrkFigures {
  requests: number;
  seconds: number;
  rps: number;
  p50Ms: number;
  p99Ms: number;
  non2xx: number;
  socketErrors: number;
  /** Server CPU (user + system) per request served, in microseconds. */
  cpuUsPerRequest: number;
  /** 1-minute load average before and after this run. */
  load: [number, number];
  /** CPU used by every process but the server, wrk and this runner, in cores (0 on a quiet machine). */
  otherCores: number;
}

export interface WrkOptions {
  url: string;
  pid: number;
  duration: number;
  connections?: number;
  headers?: Record<string, string>;
}

export async function runWrk(options: WrkOptions): Promise<WrkFigures> {
  const args = ['-t1', `-c${options.connections ?? 32}`, `-d${options.duration}s`, '--latency'];
  for (const [name, value] of Object.entries(options.headers ?? {})) args.push('-H', `${name}: ${value}`);
  args.push(options.url);
  const loadBefore = loadavg()[0]!;
  const cpuBefore = cpuSeconds(options.pid);
  const machineBefore = machineBusySeconds();
  const oursBefore = ownAndChildrenSeconds();
  const began = performance.now();
  const child = spawn(ensureWrk(), args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const [code] = (await once(child, 'exit')) as [number | null];
  const cpu = cpuSeconds(options.pid) - cpuBefore;
  const wall = (performance.now() - began) / 1000;
  // Reaped children (wrk) count in this process's cutime/cstime once it has exited.
  const others = machineBusySeconds() - machineBefore - cpu - (ownAndChildrenSeconds() - oursBefore);
  if (code !== 0) throw new Error(`wrk failed (${code}): ${out}`);
  return {
    ...parseWrk(out),
    ...perRequest(out, cpu),
    load: [loadBefore, loadavg()[0]!],
    otherCores: Math.round((Math.max(0, others) / wall) * 100) / 100,
  };
}

/** Busy CPU time of the whole machine (every core), in seconds, from /proc/stat. */
function machineBusySeconds(): number {
  const cpu = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal: idle and iowait are not busy.
  const busy = cpu[0]! + cpu[1]! + cpu[2]! + cpu[5]! + cpu[6]! + cpu[7]!;
  return busy / clockTicks();
}

/** This runner's CPU plus that of its reaped children, in seconds. */
function ownAndChildrenSeconds(): number {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const f = stat
    .slice(stat.lastIndexOf(')') + 2)
    .split(' ')
    .map(Number);
  return (f[11]! + f[12]! + f[13]! + f[14]!) / clockTicks();
}

function perRequest(out: string, cpu: number) {
  const { requests } = parseWrk(out);
  return { cpuUsPerRequest: Math.round(((cpu * 1e6) / Math.max(1, requests)) * 100) / 100 };
}

/** The figures of wrk's text report (`--latency`). */
export function parseWrk(out: string) {
  const num = (re: RegExp) => Number(re.exec(out)?.[1] ?? NaN);
  const requests = num(/(\d+) requests in/);
  const seconds = toSeconds(/requests in ([\d.]+\w+),/.exec(out)?.[1] ?? 'NaN');
  return {
    requests,
    seconds,
    rps: num(/Requests\/sec:\s+([\d.]+)/),
    p50Ms: toMs(/^\s+50%\s+([\d.]+\w+)/m.exec(out)?.[1] ?? 'NaN'),
    p99Ms: toMs(/^\s+99%\s+([\d.]+\w+)/m.exec(out)?.[1] ?? 'NaN'),
    non2xx: Number(/Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? 0),
    socketErrors: Number(
      /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/
        .exec(out)
        ?.slice(1)
        .reduce((a, b) => a + Number(b), 0) ?? 0,
    ),
  };
}

function toMs(value: string): number {
  const m = /^([\d.]+)(us|ms|s|m)$/.exec(value);
  if (!m) return NaN;
  const n = Number(m[1]);
  const factor = { us: 0.001, ms: 1, s: 1000, m: 60_000 }[m[2] as 'us' | 'ms' | 's' | 'm'];
  return Math.round(n * factor * 1000) / 1000;
}

function toSeconds(value: string): number {
  return toMs(value) / 1000;
}

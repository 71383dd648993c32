import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, readFileSync } from 'node:fs';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';

// The servers under test run as child processes of the runner, each on a loopback port, with
// their output in a log file (so a failure can be read afterwards without flooding the console).

export interface Server {
  name: string;
  url: string;
  pid: number;
  child: ChildProcess;
  stop(): Promise<void>;
}

export interface ServerSpec {
  name: string;
  args: string[];
  cwd: string;
  env: Record<string, string>;
  port: number;
  log: string;
  /** How long start-up may take: the peer seeds its users before it listens. */
  startTimeoutMs: number;
}

export async function startServer(spec: ServerSpec): Promise<Server> {
  // Another run on this machine (the ports are fixed) would answer the health check below in
  // this server's place, and every figure after it would be that run's.
  const taken = await fetch(`http://127.0.0.1:${spec.port}/healthz`).then(
    () => true,
    () => false,
  );
  if (taken) throw new Error(`port ${spec.port} for ${spec.name} is in use: another bench is running`);
  const out = createWriteStream(spec.log);
  // process.execPath: the Node 24 that `npm run bench` runs, so the .ts servers start directly.
  const child = spawn(process.execPath, spec.args, {
    cwd: spec.cwd,
    env: { ...process.env, ...spec.env, PORT: String(spec.port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.pipe(out);
  child.stderr.pipe(out);
  const url = `http://127.0.0.1:${spec.port}`;
  const deadline = Date.now() + spec.startTimeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`${spec.name} exited with ${child.exitCode} during start; see ${spec.log}`);
    }
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    await sleep(250);
  }
  if (Date.now() >= deadline) {
    child.kill('SIGKILL');
    throw new Error(`${spec.name} did not become healthy in ${spec.startTimeoutMs} ms; see ${spec.log}`);
  }
  return {
    name: spec.name,
    url,
    pid: child.pid!,
    child,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Resident set size of a process in bytes, from the kernel's own accounting. */
export function rssBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = /^VmRSS:\s+(\d+) kB/m.exec(status);
  if (!kb) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(kb[1]) * 1024;
}

/** Runs a command to completion, failing with its output when it fails. */
export async function run(command: string, args: string[], cwd: string): Promise<string> {
  const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const [code] = (await once(child, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`${command} ${args.join(' ')} failed (${code}):\n${output.slice(-2000)}`);
  return output;
}

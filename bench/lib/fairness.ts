import type autocannon from 'autocannon';
import { request } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { percentile, r2, runLoad, type LoadResult } from './load.ts';

// Sign-in fairness (DESIGN.md §6, issue 7 #11): while one address floods the login, what do
// other users see who sign in with their right password from their own addresses? Each of
// their logins uses another seeded user and another loopback source address (127.1.x.y), as
// distinct people would, paced below the login capacity so that they alone never fill the
// hash queue. The flood is autocannon, closed loop, from 127.0.0.1: far beyond 10x capacity.

export interface OthersFigures {
  attempts: number;
  succeeded: number;
  /** Answers other than 200, by status. */
  failures: Record<string, number>;
  p50: number;
  p99: number;
}

export interface FairnessScenario {
  name: string;
  admission: 'default limits' | 'off';
  others: OthersFigures;
  flood: LoadResult | null;
  /** The session check (32 connections): alone in the no-flood scenario, else during the flood. */
  session?: LoadResult | null;
}

export interface FairnessOptions {
  url: string;
  duration: number;
  /** Seeded users user{i}@peer.test with `password`, i from `firstUser` on. */
  password: string;
  firstUser: number;
  /** Concurrent other users signing in, each pausing `pauseMs` between logins. */
  workers: number;
  pauseMs: number;
  /** A signed-in admin's cookie: the session check runs beside the flood (DESIGN.md §6). */
  sessionCookie?: string;
  /** Logins per second the flood offers (10x the measured capacity); closed loop without. */
  floodRate?: number;
}

let nextUser = 0;
let nextAddress = 0;

function loginFrom(from: string, base: string, login: string, password: string): Promise<number> {
  return new Promise((resolve) => {
    const req = request(
      `${base}/api/v1/auth/login`,
      {
        method: 'POST',
        localAddress: from,
        agent: false,
        headers: { 'content-type': 'application/json', origin: base },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', () => resolve(0));
    req.end(JSON.stringify({ login, password }));
  });
}

/** Other users signing in for `duration` seconds; each login a new user and a new address. */
async function others(o: FairnessOptions): Promise<OthersFigures> {
  const until = performance.now() + o.duration * 1000;
  const times: number[] = [];
  const failures: Record<string, number> = {};
  let attempts = 0;
  let succeeded = 0;
  const worker = async () => {
    while (performance.now() < until) {
      const i = o.firstUser + nextUser++;
      const n = nextAddress++;
      const from = `127.1.${Math.floor(n / 250) % 250}.${(n % 250) + 1}`;
      const t0 = performance.now();
      const status = await loginFrom(from, o.url, `user${i}@peer.test`, o.password);
      times.push(performance.now() - t0);
      attempts++;
      if (status === 200) succeeded++;
      else failures[status] = (failures[status] ?? 0) + 1;
      await sleep(o.pauseMs);
    }
  };
  await Promise.all(Array.from({ length: o.workers }, worker));
  times.sort((a, b) => a - b);
  return { attempts, succeeded, failures, p50: r2(percentile(times, 0.5)), p99: r2(percentile(times, 0.99)) };
}

function floodRequests(base: string, kind: 'one account' | 'many accounts'): autocannon.Request[] {
  let n = 0;
  return [
    {
      method: 'POST' as const,
      path: '/api/v1/auth/login',
      headers: { 'content-type': 'application/json', origin: base },
      setupRequest: (req: autocannon.Request) => {
        const login = kind === 'one account' ? 'user0@peer.test' : `guess${n++}@peer.test`;
        return { ...req, body: JSON.stringify({ login, password: 'wrong wrong wrong' }) };
      },
    },
  ];
}

function sessionLoad(o: FairnessOptions, duration: number): Promise<LoadResult> {
  return runLoad({
    url: o.url,
    connections: 32,
    duration,
    maxSeconds: duration + 5,
    requests: [{ method: 'GET', path: '/api/v1/session', headers: { cookie: o.sessionCookie! } }],
  });
}

/** Others alone, then others during a flood at one account and during one at many accounts. */
export async function fairnessScenarios(
  o: FairnessOptions,
  admission: FairnessScenario['admission'],
  floods: Array<'one account' | 'many accounts'>,
  withBaseline: boolean,
): Promise<FairnessScenario[]> {
  const out: FairnessScenario[] = [];
  if (withBaseline) {
    // The session check alone first, then the others alone: each its own reference.
    const session = o.sessionCookie ? await sessionLoad(o, o.duration) : null;
    out.push({ name: 'no flood', admission, others: await others(o), flood: null, session });
  }
  for (const kind of floods) {
    // The others and the session check start once the flood is under way.
    const [flood, figures, session] = await Promise.all([
      runLoad({
        url: o.url,
        connections: 100,
        ...(o.floodRate ? { overallRate: o.floodRate } : {}),
        duration: o.duration,
        maxSeconds: o.duration + 5,
        requests: floodRequests(o.url, kind),
      }),
      sleep(500).then(() => others({ ...o, duration: o.duration - 1 })),
      o.sessionCookie ? sleep(500).then(() => sessionLoad(o, o.duration - 1)) : null,
    ]);
    out.push({ name: `flood at ${kind} from one address`, admission, others: figures, flood, session });
  }
  return out;
}

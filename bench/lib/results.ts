import type { FairnessScenario } from './fairness.ts';
import type { Machine } from './machine.ts';
import type { LoadResult } from './load.ts';
import type { HashRate } from './hash-rate.ts';
import type { LatencyByKind } from './login-latency.ts';
import type { WriteFigures } from './write-phase.ts';
import type { ClassResult } from '../search.ts';
import type { CpuPhase } from './cpu-phase.ts';
import type { ImpersonationTail } from './impersonation-tail.ts';

/** One phase's figures as compare.ts printed them. */
export interface Phase {
  rps: number;
  p50: number;
  p99: number;
  bad: number;
}

export interface Verdict {
  figure: string;
  target: string;
  measured: string;
  /** null: not judged, the run was smaller than the target's size. */
  met: boolean | null;
}

/**
 * Behalf's own figures on PostgreSQL. The peer (better-auth) runs on SQLite only, so the
 * comparisons with it are made in the SQLite pass; the bare route is measured again in this pass
 * so that the CPU ratio compares runs of the same minutes.
 */
export interface PostgresFigures {
  cpu?: CpuPhase;
  impersonationTail?: ImpersonationTail;
  /** compare.ts --only session against Behalf, warm cache. */
  sessionWarm?: Phase;
  sessionCold?: Results['sessionCold'];
  memory?: Results['memory'];
  login?: { behalf: Phase; latency: LatencyByKind };
}

/** What one run measured: written to .bench/results/latest.json. */
export interface Results {
  machine: Machine;
  commit: string;
  dirtyTree: boolean;
  startedAt: string;
  finishedAt: string;
  /** 1, 5 and 15 minute load averages: the machine may be shared with other work. */
  loadAverage: { start: number[]; end: number[] };
  options: Record<string, unknown>;
  behalfEnv: string;
  /** wrk: server CPU per request, warm session check beside the bare route. */
  cpu?: CpuPhase;
  /** Start, handoff, one request, back: per step, and the fsyncs behind them. */
  impersonationTail?: ImpersonationTail;
  session?: {
    bare: Phase;
    betterAuth: Phase;
    behalfWarm: Phase;
    rounds: Array<{ bare: Phase; betterAuth: Phase; behalfWarm: Phase }>;
  };
  sessionCold?: {
    warmSameDriver: LoadResult;
    cold: LoadResult;
    bareSameDriver?: LoadResult;
    distinctSessions: number;
    /** Of those, how many were also touched (a write) on their first request. */
    touchedOnFirstRequest: number;
  };
  memory?: {
    idleRss: number;
    beforeRss: number;
    afterRss: number;
    cachedSessions: number;
    /** RSS growth over the cold requests per new session: entries plus what the requests left. */
    bytesPerSession: number;
    /** The entries alone: GC-settled heap with the cache filled minus emptied (bench/session-entry.ts). */
    heapPerSession?: { entries: number; bytesPerEntry: number };
  };
  login?: {
    rawArgon2: HashRate;
    rawScrypt: HashRate;
    behalf: Phase;
    betterAuth: Phase;
    latency: { behalf: LatencyByKind; betterAuth: LatencyByKind };
    rounds: Array<{ rawArgon2: HashRate; behalf: Phase; rawScrypt: HashRate; betterAuth: Phase }>;
  };
  flood?: {
    loginCapacity: number;
    offeredPerSecond: number;
    baseline: LoadResult;
    during: LoadResult;
    logins: LoadResult;
    rounds: Array<{ baseline: LoadResult; during: LoadResult; logins: LoadResult }>;
  };
  /** Other users' right logins during a login flood, per round (bench/lib/fairness.ts). */
  fairness?: { floodRate: number | null; rounds: FairnessScenario[][] };
  write?: Partial<Record<'sqlite' | 'postgres', WriteFigures>>;
  /** The server phases again on PostgreSQL (--db sqlite,postgres), beside SQLite's above. */
  postgres?: PostgresFigures;
  search?: Partial<
    Record<'sqlite' | 'postgres', { users: number; results: ClassResult[]; seedSeconds?: number }>
  >;
  targets: Verdict[];
}

import autocannon from 'autocannon';

// One load run with autocannon (the same generator compare.ts uses), reporting throughput and
// latency percentiles overall and per status code: a flood's 429s must be judged apart from
// the logins that got through.

export interface StatusFigures {
  count: number;
  p50: number;
  p99: number;
}

export interface LoadResult {
  rps: number;
  p50: number;
  p99: number;
  requests: number;
  seconds: number;
  non2xx: number;
  errors: number;
  byStatus: Record<string, StatusFigures>;
}

export type LoadOptions = autocannon.Options & { maxSeconds: number };

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}

/** Rounds to two decimals: more digits than the measurement deserves only add noise. */
export function r2(n: number): number {
  return Math.round(n * 100) / 100;
}

export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const { maxSeconds, ...rest } = options;
  const times = new Map<number, number[]>();
  // With a callback autocannon returns its instance (events, stop) rather than a promise.
  let instance!: autocannon.Instance;
  const done = new Promise<autocannon.Result>((resolve, reject) => {
    instance = autocannon(rest, (error: Error | null, r) => (error ? reject(error) : resolve(r)));
  });
  instance.on('response', (_client, status, _bytes, ms) => {
    let list = times.get(status);
    if (!list) times.set(status, (list = []));
    list.push(ms);
  });
  // Every load is bounded in time, also one that runs to an amount of requests.
  const guard = setTimeout(() => instance.stop(), maxSeconds * 1000);
  const began = performance.now();
  const result = await done;
  // Our own clock: autocannon's duration is coarse for a run to an amount of requests.
  const seconds = (performance.now() - began) / 1000;
  clearTimeout(guard);
  const byStatus: Record<string, StatusFigures> = {};
  const all: number[] = [];
  for (const [status, list] of times) {
    list.sort((a, b) => a - b);
    for (const ms of list) all.push(ms);
    byStatus[status] = {
      count: list.length,
      p50: r2(percentile(list, 0.5)),
      p99: r2(percentile(list, 0.99)),
    };
  }
  all.sort((a, b) => a - b);
  const total = all.length;
  return {
    rps: r2(total / seconds),
    p50: r2(percentile(all, 0.5)),
    p99: r2(percentile(all, 0.99)),
    requests: total,
    seconds: r2(seconds),
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    byStatus,
  };
}

import { percentile, r2 } from './load.ts';

// Whether a login's answer takes as long when the password is wrong or the login unknown as
// when it is right (no account enumeration by timing). One request at a time, the three kinds
// interleaved, so that drift on a shared machine hits all three alike.

export interface Attempt {
  kind: 'right' | 'wrong' | 'unknown';
  path: string;
  body: unknown;
  expect: number;
}

export type LatencyByKind = Record<
  Attempt['kind'],
  { p50: number; p90: number; n: number; statuses: number[] }
>;

export async function loginLatencies(
  base: string,
  attempts: Attempt[],
  rounds: number,
): Promise<LatencyByKind> {
  const times = new Map<string, number[]>();
  const statuses = new Map<string, Set<number>>();
  for (let round = 0; round < rounds; round++) {
    for (const a of attempts) {
      const t0 = performance.now();
      const res = await fetch(base + a.path, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: base },
        body: JSON.stringify(a.body),
      });
      const answer = await res.text();
      const ms = performance.now() - t0;
      if (res.status !== a.expect)
        throw new Error(
          `${a.kind} login answered ${res.status} (${answer.slice(0, 200)}), expected ${a.expect}`,
        );
      if (round > 0) (times.get(a.kind) ?? times.set(a.kind, []).get(a.kind)!).push(ms); // round 0 warms up
      (statuses.get(a.kind) ?? statuses.set(a.kind, new Set()).get(a.kind)!).add(res.status);
    }
  }
  const out = {} as LatencyByKind;
  for (const a of attempts) {
    const list = times.get(a.kind)!.sort((x, y) => x - y);
    out[a.kind] = {
      p50: r2(percentile(list, 0.5)),
      p90: r2(percentile(list, 0.9)),
      n: list.length,
      statuses: [...statuses.get(a.kind)!],
    };
  }
  return out;
}

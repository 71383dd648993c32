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

/**
 * Behalf's login latency by kind, with two users of its own made through the admin API that
 * `admin` (a signed-in superadmin) reaches.
 */
export async function behalfLoginLatencies(
  admin: { must(method: string, path: string, body?: unknown): Promise<any> },
  url: string,
): Promise<LatencyByKind> {
  const client = admin;
  // Two users of their own: a wrong password counts a failure, which a right login would clear.
  const pw = 'Bench-Password-Right-1';
  const ids: string[] = [];
  for (const name of ['right', 'wrong']) {
    const u = await client.must('POST', '/api/v1/admin/users', {
      email: `bench-${name}@peer.test`,
      firstName: 'Bench',
      lastName: name,
      gender: 'unspecified',
      language: 'en',
    });
    await client.must('PUT', `/api/v1/admin/users/${u.id}/password`, { password: pw });
    ids.push(u.id);
  }
  // Below the lockout threshold throughout, so every wrong attempt takes the counting path.
  await client.must('PATCH', '/api/v1/admin/settings', { lockout: { threshold: 100 } });
  const attempts = 31;
  const behalfLatency = await loginLatencies(
    url,
    [
      {
        kind: 'right',
        path: '/api/v1/auth/login',
        body: { login: 'bench-right@peer.test', password: pw },
        expect: 200,
      },
      {
        kind: 'wrong',
        path: '/api/v1/auth/login',
        body: { login: 'bench-wrong@peer.test', password: 'Nope-Nope-Nope-1' },
        expect: 401,
      },
      {
        kind: 'unknown',
        path: '/api/v1/auth/login',
        body: { login: 'nobody-here@peer.test', password: pw },
        expect: 401,
      },
    ],
    attempts,
  );
  return behalfLatency;
}

import type { FairnessScenario } from './fairness.ts';

// The fairness phase's figures against DESIGN.md §6 (issue 13 target 3), each flood scenario
// with admission on judged on all four: others' logins, the session check's share and p99,
// and how fast the flood's refusals come back.

type Add = (figure: string, target: string, measured: string, met: boolean | null) => void;

export interface FloodFigures {
  round: number;
  name: string;
  othersOk: number;
  othersTotal: number;
  othersP99: number;
  /** The session check's req/s during the flood as a share of its own alone in that round. */
  sessionShare: number | null;
  sessionP99: number | null;
  /** p99 of the flood's 429 answers (rate_limited and too_many_requests alike). */
  refusalP99: number | null;
  refusals: number;
}

export function floodFigures(rounds: FairnessScenario[][]): FloodFigures[] {
  return rounds.flatMap((scenarios, i) => {
    const alone = scenarios.find((f) => !f.flood && f.admission === 'default limits')?.session;
    return scenarios
      .filter((f) => f.flood && f.admission === 'default limits')
      .map((f) => {
        const refused = f.flood!.byStatus['429'];
        return {
          round: i + 1,
          name: f.name,
          othersOk: f.others.succeeded,
          othersTotal: f.others.attempts,
          othersP99: f.others.p99,
          sessionShare: f.session && alone ? f.session.rps / alone.rps : null,
          sessionP99: f.session?.p99 ?? null,
          refusalP99: refused?.p99 ?? null,
          refusals: refused?.count ?? 0,
        };
      });
  });
}

const worst = (xs: Array<number | null>, pick: (a: number, b: number) => number) =>
  xs.some((x) => x === null) ? null : xs.reduce<number>((a, x) => pick(a, x!), xs[0]!);

export function judgeFairness(rounds: FairnessScenario[][], add: Add): void {
  const all = floodFigures(rounds);
  if (all.length === 0) return;
  const ok = all.reduce((n, f) => n + f.othersOk, 0);
  const tried = all.reduce((n, f) => n + f.othersTotal, 0);
  add(
    'sign-in fairness during a flood from one address',
    'all other users succeed',
    `${ok}/${tried}`,
    ok === tried,
  );
  const othersP99 = worst(
    all.map((f) => f.othersP99),
    Math.max,
  )!;
  add(
    "others' logins during the flood",
    'p99 <= 500 ms (worst scenario)',
    `${othersP99} ms`,
    othersP99 <= 500,
  );
  const share = worst(
    all.map((f) => f.sessionShare),
    Math.min,
  );
  const sessionP99 = worst(
    all.map((f) => f.sessionP99),
    Math.max,
  );
  add(
    'session check during the fairness floods',
    '>= 50% of its own, p99 <= 25 ms (worst scenario)',
    share === null ? 'not measured' : `${Math.round(share * 100)}%, p99 ${sessionP99} ms`,
    share === null ? null : share >= 0.5 && sessionP99! <= 25,
  );
  const refusalP99 = worst(
    all.map((f) => f.refusalP99),
    Math.max,
  );
  add(
    "the fairness floods' refusals (429)",
    'p99 <= 5 ms (worst scenario)',
    refusalP99 === null ? 'no 429 in some scenario' : `${refusalP99} ms`,
    refusalP99 === null ? null : refusalP99 <= 5,
  );
}

export function renderFairness(
  rounds: FairnessScenario[][],
  table: (h: string[], rows: Array<Array<string | number>>) => string,
): string[] {
  const share = (x: number | null) => (x === null ? '' : `${Math.round(x * 100)}%`);
  return [
    "### Sign-in fairness (other users' right logins, each from its own address, during a flood from one address)",
    table(
      [
        'round',
        'scenario',
        'admission',
        'others ok',
        'others p50 ms',
        'others p99 ms',
        'session req/s',
        'session p99 ms',
        'flood answers (p99 ms)',
      ],
      rounds.flatMap((scenarios, i) =>
        scenarios.map((f) => [
          i + 1,
          f.name,
          f.admission,
          `${f.others.succeeded}/${f.others.attempts}` +
            (Object.keys(f.others.failures).length ? ` (${JSON.stringify(f.others.failures)})` : ''),
          f.others.p50,
          f.others.p99,
          f.session ? f.session.rps : '',
          f.session ? f.session.p99 : '',
          f.flood
            ? Object.entries(f.flood.byStatus)
                .map(([status, x]) => `${status}: ${x.count} (${x.p99})`)
                .join(', ')
            : '',
        ]),
      ),
    ),
    '',
    table(
      [
        'round',
        'flood (admission on)',
        'others ok',
        'others p99 ms',
        'session check, % of alone',
        'session p99 ms',
        '429 p99 ms',
      ],
      floodFigures(rounds).map((f) => [
        f.round,
        f.name,
        `${f.othersOk}/${f.othersTotal}`,
        f.othersP99,
        share(f.sessionShare),
        f.sessionP99 ?? '',
        f.refusalP99 === null ? 'none' : `${f.refusalP99} (${f.refusals})`,
      ]),
    ),
  ];
}

// Every comparison runs in interleaved rounds and reports the round in the middle: the machine
// may be shared with other work, and a burst of it should skew one round, not one target.

/** The element with the median key (the lower middle for an even count). */
export function median<T>(items: T[], key: (item: T) => number): T {
  if (items.length === 0) throw new Error('median of nothing');
  const sorted = [...items].sort((a, b) => key(a) - key(b));
  return sorted[Math.floor((sorted.length - 1) / 2)]!;
}

/** Runs `round` n times, in order, collecting what each returns. */
export async function inRounds<T>(n: number, round: (i: number) => Promise<T>): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < n; i++) out.push(await round(i));
  return out;
}

import { countCap } from './user-search.ts';

// How the user list finds a page (R-ADM-06), decided per request from a small sample of the
// users' search texts. Pure: the sample is loaded by the store, the decisions are made here.
//
// Neither engine knows how often a substring occurs, and both of our indexes are fast only on
// one side of that question:
// - walking the sort index and testing each row is fast for a common term (a domain everyone
//   shares finds 50 hits in 50 rows) and hopeless for a rare one (it reads the whole table);
// - the trigram index is fast for a rare term and slow for a common one (it must collect every
//   match before it can sort), and slow even for a rare term whose trigrams are common: an
//   exact address shares "use", "ser", "pee", "eer", "tes", "est" with every user, and
//   intersecting those posting lists cost ~35 ms at 1M users on both engines.
// So the sample answers two questions: is the term common enough to walk, and which of its
// trigrams are rare enough to look up (then every candidate is checked against the whole term).

/** A sampled user's search text, as stored (lower-case). */
export interface SampleData {
  texts: string[];
  /** Users in the table when the sample was taken. */
  total: number;
}

// Trigrams both indexes can look up from a bare '%abc%' pattern: pg_trgm indexes only runs of
// letters and digits (and folds case and locale-dependent letters), FTS5's trigram tokenizer
// indexes every window. ASCII letters and digits are what both agree on.
const probeChars = /^[a-z0-9]{3}$/;

export function probeWindows(term: string): string[] {
  const chars = [...term];
  const out = new Set<string>();
  for (let i = 0; i + 3 <= chars.length; i++) {
    const w = chars.slice(i, i + 3).join('');
    if (probeChars.test(w)) out.add(w);
  }
  return [...out];
}

/** A trigram seen in more than this share of users is not worth reading from the index. */
const commonTrigramShare = 0.2;
const maxProbeTrigrams = 3;

export class SearchSample {
  readonly total: number;
  private readonly texts: string[];
  private readonly trigramCounts = new Map<string, number>();

  constructor(data: SampleData) {
    this.total = data.total;
    this.texts = data.texts;
    for (const text of data.texts) {
      for (const w of probeWindows(text)) this.trigramCounts.set(w, (this.trigramCounts.get(w) ?? 0) + 1);
    }
  }

  /** Estimated share of users whose search text contains `term`. */
  share(term: string): number {
    if (this.texts.length === 0) return 0;
    let hits = 0;
    for (const text of this.texts) if (text.includes(term)) hits++;
    return hits / this.texts.length;
  }

  private trigramShare(w: string): number {
    return this.texts.length === 0 ? 0 : (this.trigramCounts.get(w) ?? 0) / this.texts.length;
  }

  /**
   * The trigrams to look up for `term`, rarest first: the rarest always, then up to two more
   * that are not common (each one more narrows the candidates at the cost of one more posting
   * list). Empty when the term has no trigram an index holds.
   */
  probe(term: string): string[] {
    const ranked = probeWindows(term)
      .map((w) => ({ w, share: this.trigramShare(w) }))
      .sort((a, b) => a.share - b.share || a.w.localeCompare(b.w));
    const chosen = ranked.slice(0, 1);
    for (const r of ranked.slice(1)) {
      if (chosen.length === maxProbeTrigrams) break;
      if (r.share <= commonTrigramShare) chosen.push(r);
    }
    return chosen.map((r) => r.w);
  }
}

export interface Budget {
  /**
   * Rows a page may read from the sort index before it gives up walking, when the planner
   * chose the walk over a lookup by the term's trigrams (it falls back to the lookup, or ends
   * the page there). At 10,000,000 users a term one user in a thousand has is 10,000 matches to
   * collect and sort, while the newest 50 of them lie within the newest ~50,000 rows: this
   * bound must reach that far (issue 13).
   */
  walkRows: number;
  /**
   * Rows a page may read when walking is all it can do: no term, or one without a trigram an
   * index holds. Each page ends at this bound and the next goes on from there.
   */
  blindWalkRows: number;
  /** Microseconds per row walked, and per match collected through the trigram index. */
  walkCost: number;
  probeCost: number;
  /** Rows a count may read before it gives up counting exactly. */
  countRows: number;
  /** Matches a page may collect and sort through the trigram index. */
  probeRows: number;
}

/** After a walk that came back short: look the term up, read a filter's index, or stop there. */
export type Fallback = 'probe' | 'filter' | 'continue';

/** A walk reads at most `rows` rows of the sort index (Budget.walkRows or blindWalkRows). */
export type PagePlan =
  { kind: 'walk'; then: Fallback; probe: string[]; rows: number } | { kind: 'probe'; probe: string[] };

/**
 * The plan for a page of `limit` users matching `term` (none: everyone). Walk when the sample
 * says the walk will find a page; otherwise look the term up by its rarest trigrams. A walk
 * that comes back short falls back to the lookup, unless the term matches so many users that
 * collecting and sorting them all would cost more than walking on; then to the index of a
 * filter the walk could not use (`filterable`: it is sparse in this order, so read it whole);
 * else the page ends where the walk stopped and says so. A term too short for trigrams can
 * only be walked.
 */
export function planPage(
  term: string | null,
  limit: number,
  sample: SearchSample,
  budget: Budget,
  filterable: boolean,
): PagePlan {
  const otherwise: Fallback = filterable ? 'filter' : 'continue';
  if (term === null) return { kind: 'walk', then: otherwise, probe: [], rows: budget.blindWalkRows };
  const probe = sample.probe(term);
  const share = sample.share(term);
  const then = probe.length > 0 && share * sample.total <= budget.probeRows ? 'probe' : otherwise;
  if (probe.length === 0) return { kind: 'walk', then, probe, rows: budget.blindWalkRows };
  // Walk when the window should hold a page with a margin (the sample is small) and reading
  // up to the page's last match costs less than collecting and sorting every match.
  const walkCost = (Math.min(budget.walkRows, (limit + 1) / share) || 0) * budget.walkCost;
  const probeCost = share * sample.total * budget.probeCost;
  if (share * budget.walkRows >= 1.5 * (limit + 1) && walkCost <= probeCost)
    return { kind: 'walk', then, probe, rows: budget.walkRows };
  return { kind: 'probe', probe };
}

export type CountPlan =
  { kind: 'walk'; then: 'probe' | 'bound'; probe: string[] } | { kind: 'probe'; probe: string[] };

/**
 * How to count up to the cap: walk any index for a common term (the cap is reached quickly),
 * look it up by trigrams otherwise. Without trigrams, a walk that ends before the cap gives a
 * lower bound.
 */
export function planCount(term: string | null, sample: SearchSample, budget: Budget): CountPlan {
  if (term === null) return { kind: 'walk', then: 'bound', probe: [] };
  const probe = sample.probe(term);
  if (probe.length === 0) return { kind: 'walk', then: 'bound', probe };
  if (sample.share(term) * budget.countRows >= 2 * (countCap + 1))
    return { kind: 'walk', then: 'probe', probe };
  return { kind: 'probe', probe };
}

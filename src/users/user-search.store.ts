import { sql } from 'kysely';
import type { Database, Db, Dialect } from '../db/database.ts';
import type { Position, UserSort } from './user-search.ts';
import type { Budget, SampleData } from './user-search.plan.ts';
import {
  afterSql,
  and,
  candidatesSql,
  columns,
  containsSql,
  orderSql,
  sortSql,
  toListed,
  type Listed,
  type ListedRow,
  type Predicate,
  type SortSql,
} from './user-search.sql.ts';

// The queries of the admin user list (R-ADM-06): the one store module that knows which engine
// it runs on, because the trigram indexes (FTS5 on SQLite, pg_trgm on PostgreSQL) differ. Which
// query runs when is decided in user-search.plan.ts. Every query returns exact results; only
// their cost depends on the plan.

/**
 * How far each plan may read, per engine; the costs measured at 1M users, the bounds of a
 * chosen walk at 10M (docs/benchmarks.md).
 */
export function searchBudget(dialect: Dialect, sort: UserSort): Budget {
  // Newest first, SQLite reads the walk from a covering index (~0.2 µs a row) and PostgreSQL
  // from a heap that was filled in that order. In any other order every row walked is a
  // lookup somewhere else in the table (2.5 µs on SQLite, ~2 µs on PostgreSQL when cold).
  // A chosen walk may read 200,000 rows on SQLite and 100,000 on PostgreSQL (about 50 ms at
  // worst, before its fallback); a blind one stops sooner, as its page ends there anyway.
  const byCreation = sort === 'createdAt' || sort === '-createdAt';
  if (dialect === 'postgres') {
    return byCreation
      ? {
          walkRows: 100_000,
          blindWalkRows: 20_000,
          walkCost: 0.5,
          probeCost: 4,
          countRows: 20_000,
          probeRows: 20_000,
        }
      : {
          walkRows: 4_000,
          blindWalkRows: 4_000,
          walkCost: 2,
          probeCost: 4,
          countRows: 20_000,
          probeRows: 20_000,
        };
  }
  // A match collected through FTS5 costs two lookups (search_rowid, then the row): ~6 µs. A
  // row walked newest first costs ~0.2 µs in a tight loop, but pages that walk 30,000-50,000
  // rows for a term one user in 600 has took 21-23 ms p95 at 1M where their lookups took 12-14
  // ms (2026-12-07), so the model counts 0.4 µs: a walk is chosen only where it wins.
  return byCreation
    ? {
        walkRows: 200_000,
        blindWalkRows: 50_000,
        walkCost: 0.4,
        probeCost: 6,
        countRows: 30_000,
        probeRows: 5_000,
      }
    : {
        walkRows: 5_000,
        blindWalkRows: 5_000,
        walkCost: 2.5,
        probeCost: 6,
        countRows: 30_000,
        probeRows: 5_000,
      };
}

export interface PageQuery {
  sort: UserSort;
  after: Position | null;
  term: string | null;
  predicates: Predicate[];
  limit: number;
}

/** Whether a walk in this order reads the filters' own index (see walkedPredicates). */
export function walksFilters(q: PageQuery): boolean {
  return q.sort === 'createdAt' || q.sort === '-createdAt';
}

/**
 * The filters a walk applies while it walks: newest first, an index on (filter, created_at,
 * id) lists exactly the filtered rows in order. Other filters are tested on what it reads.
 */
export function walkedPredicates(s: SortSql, predicates: Predicate[]): Predicate[] {
  return s.byCreation ? predicates.filter((p) => p.ordered) : [];
}

/**
 * Walks the sort index from the cursor for at most `window` rows and returns the first
 * limit+1 that match, in order. Reads search_text first, the other columns for matches only.
 */
export async function walkPage(database: Database, q: PageQuery, window: number): Promise<Listed[]> {
  const s = sortSql(database.dialect, q.sort);
  const walked = walkedPredicates(s, q.predicates);
  const tested = q.predicates.filter((p) => !walked.includes(p));
  const { rows } = await sql<ListedRow>`
    SELECT ${columns}, w.sort_key FROM (
      SELECT ${s.key} AS sort_key, u.id, u.search_text FROM users u
      WHERE ${afterSql(s, s.key, q.after)} AND ${and(walked.map((p) => p.sql))}
      ORDER BY ${orderSql(s, s.key, sql`u.id`)} LIMIT ${window}
    ) w JOIN users u ON u.id = w.id
    WHERE ${containsSql(database.dialect, sql`w.search_text`, q.term)} AND ${and(tested.map((p) => p.sql))}
    ORDER BY ${orderSql(s, sql`w.sort_key`, sql`w.id`)} LIMIT ${q.limit + 1}`.execute(database.db);
  return rows.map(toListed);
}

/**
 * The last row a walk of `window` rows from the cursor reads, or undefined when it reaches the
 * end first. The OFFSET bounds one walk over an index entry by entry (a fixed number of
 * entries, whatever the page); pages themselves always continue from a key, never an offset.
 */
export async function walkEnd(
  database: Database,
  q: PageQuery,
  window: number,
): Promise<Position | undefined> {
  const s = sortSql(database.dialect, q.sort);
  const walked = walkedPredicates(s, q.predicates);
  const { rows } = await sql<{ sort_key: string | number; id: string }>`
    SELECT ${s.key} AS sort_key, u.id FROM users u
    WHERE ${afterSql(s, s.key, q.after)} AND ${and(walked.map((p) => p.sql))}
    ORDER BY ${orderSql(s, s.key, sql`u.id`)} LIMIT 1 OFFSET ${window - 1}`.execute(database.db);
  const row = rows[0];
  return row && { key: row.sort_key, id: row.id };
}

/**
 * Collects every match from the cursor on, through the trigram index (`probe`: the trigrams to
 * look up) or, with `probe` empty, a filter's own index; tests each against the whole term,
 * sorts them and returns limit+1, each with the number of matches in `total`. The sort key is
 * written so that no sort index matches it: walking one is the other plan.
 */
export async function probePage(database: Database, q: PageQuery, probe: string[]): Promise<Listed[]> {
  const s = sortSql(database.dialect, q.sort);
  const c = candidatesSql(database.dialect, probe, q.predicates);
  // Sorts keys and ids only; the other columns are read for the page's rows alone.
  const { rows } = await sql<ListedRow>`
    SELECT ${columns}, p.sort_key, p.total FROM (
      SELECT u.id, ${s.key} AS sort_key, count(*) OVER () AS total FROM ${c.from}
      WHERE ${c.where} AND ${containsSql(database.dialect, sql`u.search_text`, q.term)}
        AND ${and(q.predicates.map((p) => p.sql))} AND ${afterSql(s, s.opaque, q.after)}
      ORDER BY ${orderSql(s, s.opaque, sql`u.id`)} LIMIT ${q.limit + 1}
    ) p JOIN users u ON u.id = p.id
    ORDER BY ${orderSql(s, sql`p.sort_key`, sql`p.id`)}`.execute(database.db);
  return rows.map(toListed);
}

export interface CountQuery {
  term: string | null;
  predicates: Predicate[];
  /** Count no further than this. */
  cap: number;
}

/**
 * Matches among the newest `window` rows (an ordered filter's index narrows them first), up
 * to the cap, and whether those rows were all there are. Newest first because SQLite has
 * search_text in that index (users_created_search), and the page walked the same rows.
 */
export async function walkCount(
  database: Database,
  q: CountQuery,
  window: number,
): Promise<{ matches: number; exhaustive: boolean }> {
  const walked = q.predicates.filter((p) => p.ordered);
  const tested = q.predicates.filter((p) => !p.ordered);
  // Only what the tests read, so that SQLite can take search_text from a covering index (the
  // id for cannot-log-in's EXISTS over linked_accounts).
  const cols = tested.length
    ? sql`u.search_text, u.id, u.active, u.role, u.system_permissions, u.locked_until, u.password_hash`
    : sql`u.search_text`;
  const { rows } = await sql<{ n: number }>`
    SELECT count(*) AS n FROM (
      SELECT 1 AS one FROM (
        SELECT ${cols} FROM users u WHERE ${and(walked.map((p) => p.sql))}
        ORDER BY u.created_at DESC, u.id DESC LIMIT ${window}
      ) u
      WHERE ${containsSql(database.dialect, sql`u.search_text`, q.term)} AND ${and(tested.map((p) => p.sql))}
      LIMIT ${q.cap}
    ) c`.execute(database.db);
  const matches = Number(rows[0]?.n ?? 0);
  if (matches >= q.cap) return { matches, exhaustive: false };
  const { rows: seen } = await sql<{ n: number }>`
    SELECT count(*) AS n FROM (
      SELECT 1 AS one FROM users u WHERE ${and(walked.map((p) => p.sql))}
      ORDER BY u.created_at DESC, u.id DESC LIMIT ${window}
    ) c`.execute(database.db);
  return { matches, exhaustive: Number(seen[0]?.n ?? 0) < window };
}

/** Matches up to the cap, found through the trigram index or (`probe` empty) a filter's index. */
export async function probeCount(database: Database, q: CountQuery, probe: string[]): Promise<number> {
  const c = candidatesSql(database.dialect, probe, q.predicates);
  const { rows } = await sql<{ n: number }>`
    SELECT count(*) AS n FROM (
      SELECT 1 AS one FROM ${c.from}
      WHERE ${c.where} AND ${containsSql(database.dialect, sql`u.search_text`, q.term)}
        AND ${and(q.predicates.map((p) => p.sql))}
      LIMIT ${q.cap}
    ) c`.execute(database.db);
  return Number(rows[0]?.n ?? 0);
}

const sampleRuns = 40;
const sampleRunLength = 50;

/**
 * About 2,000 search texts for the planner's estimates: the whole table when it is that small,
 * else 40 runs of 50 consecutive users at evenly spaced creation times (deterministic, and
 * each run one short index range).
 */
export async function loadSample(db: Db): Promise<SampleData> {
  const stats = await db
    .selectFrom('users')
    .select((eb) => [
      eb.fn.countAll<number>().as('n'),
      eb.fn.min('created_at').as('first'),
      eb.fn.max('created_at').as('last'),
    ])
    .executeTakeFirstOrThrow();
  const total = Number(stats.n);
  if (total <= sampleRuns * sampleRunLength) {
    const rows = await db.selectFrom('users').select('search_text').execute();
    return { texts: rows.map((r) => r.search_text), total };
  }
  const first = Number(stats.first);
  const span = Number(stats.last) - first;
  const texts: string[] = [];
  for (let k = 0; k < sampleRuns; k++) {
    const from = Math.floor(first + ((k + 0.5) / sampleRuns) * span);
    const rows = await db
      .selectFrom('users')
      .select('search_text')
      .where('created_at', '>=', from)
      .orderBy('created_at')
      .orderBy('id')
      .limit(sampleRunLength)
      .execute();
    texts.push(...rows.map((r) => r.search_text));
  }
  return { texts, total };
}

import type { Database } from '../db/database.ts';
import type { Clock } from '../shared/clock.ts';
import type { SettingsService } from '../settings/settings.service.ts';
import { actorOf, type AuthedContext } from '../shared/request-context.ts';
import { readsByReach } from '../permissions/can.ts';
import { authorize } from '../permissions/authorize.ts';
import type { Role } from '../permissions/catalogue.ts';
import { displayName, tagsOf, type LoginFacts, type Tag, type User } from './user.ts';
import {
  countCap,
  exactCountCap,
  decodeCursor,
  encodeCursor,
  normalizeTerm,
  queryFingerprint,
  type Position,
  type RoleFilter,
  type StatusFilter,
  type Total,
  type UserQuery,
  type UserSort,
} from './user-search.ts';
import { planCount, planPage, SearchSample } from './user-search.plan.ts';
import {
  loadSample,
  probeCount,
  probePage,
  searchBudget,
  walkCount,
  walkEnd,
  walkPage,
  walksFilters,
  type CountQuery,
  type PageQuery,
} from './user-search.store.ts';
import { predicatesOf, type Listed } from './user-search.sql.ts';
import { inReachOf } from '../orgs/reach.store.ts';
import { countUsableLinksOf } from '../linked-accounts/linked-accounts.store.ts';

export interface ListUsersInput {
  q?: string;
  limit: number;
  cursor?: string;
  sort: UserSort;
  status?: StatusFilter;
  role?: RoleFilter;
  tag?: Tag;
  domain?: string;
  /** R-IMP-02: only the users in this power user's reach; absent or null for everyone. */
  reachOf?: string | null;
}

/** A user as a row of the admin list: what the list shows, tags computed (R-ADM-03). */
export interface UserListItem {
  id: string;
  username: string | null;
  firstName: string;
  lastName: string;
  displayName: string;
  primaryEmail: string | null;
  active: boolean;
  role: Role;
  createdAt: string;
  tags: Tag[];
  domainId: string | null;
}

export interface UserListPage {
  items: UserListItem[];
  nextCursor: string | null;
  total: Total;
}

/** The sample the planner estimates from is taken again when older than this. */
const sampleMaxAgeMs = 10 * 60_000;

/** R-ADM-06: the admin user list with search, filters, sorting and keyset pagination. */
export class UserSearchService {
  private readonly database: Database;
  private readonly clock: Clock;
  private readonly settings: SettingsService;
  private readonly budget: typeof searchBudget;
  private readonly exactCap: number;
  private sample: { value: SearchSample; takenAt: number } | null = null;
  private refreshing = false;

  constructor(deps: {
    database: Database;
    clock: Clock;
    settings: SettingsService;
    /** How far plans may read; tests shrink it to reach the bounds with a few users. */
    budget?: typeof searchBudget;
    /** How far the exact count counts; tests shrink it like the budget. */
    exactCap?: number;
  }) {
    this.budget = deps.budget ?? searchBudget;
    this.exactCap = deps.exactCap ?? exactCountCap;
    this.database = deps.database;
    this.clock = deps.clock;
    this.settings = deps.settings;
  }

  /**
   * R-ADM-06, R-IMP-02: the console's list. Who reads by reach (a power user) lists the users
   * assigned to them and only those; everyone else needs `users.read`.
   */
  async listFor(ctx: AuthedContext, input: Omit<ListUsersInput, 'reachOf'>): Promise<UserListPage> {
    return this.list({ ...input, reachOf: this.reachFor(ctx) });
  }

  /** The exact count on the same terms as `listFor`. */
  async countFor(ctx: AuthedContext, input: Omit<ListUsersInput, 'limit' | 'cursor' | 'sort' | 'reachOf'>) {
    return this.exactCount({ ...input, reachOf: this.reachFor(ctx) });
  }

  private reachFor(ctx: AuthedContext): string | null {
    if (readsByReach(actorOf(ctx))) return ctx.user.id;
    authorize(ctx, 'users.read');
    return null;
  }

  async list(input: ListUsersInput): Promise<UserListPage> {
    const { query, predicates, now, passwordLoginEnabled } = await this.prepare(input);
    const cursor = input.cursor === undefined ? null : decodeCursor(input.cursor, query);
    const page: PageQuery = {
      sort: query.sort,
      after: cursor?.after ?? null,
      term: query.term,
      predicates,
      limit: query.limit,
    };

    const found = await this.findPage(page);
    const rows = found.rows.slice(0, query.limit);
    const last = rows.at(-1);
    const next: Position | null =
      found.rows.length > query.limit && last ? last.position : (found.continueAt ?? null);
    const total =
      cursor?.total ??
      found.total ??
      (await this.count({ term: query.term, predicates, cap: countCap + 1 }, query.sort));
    // R-ADM-04: the page's users' links at services shown on the sign-in page, in one query.
    const usable = await countUsableLinksOf(
      this.database.db,
      rows.map((r) => r.user.id),
    );
    const factsOf = (id: string): LoginFacts => ({
      passwordLoginEnabled,
      enabledLinkedAccounts: usable.get(id) ?? 0,
    });
    return {
      items: rows.map((r) => listItem(r.user, now, factsOf(r.user.id))),
      nextCursor:
        next && encodeCursor({ sort: query.sort, query: queryFingerprint(query), after: next, total }),
      total,
    };
  }

  /**
   * The exact number of matching users, counted up to `exactCap` (the list's own total stops
   * at 1000). One count query through the trigram index or a filter's index, so its cost is
   * bounded by the matches it counts, or for a term of one or two characters by the table.
   */
  async exactCount(input: Omit<ListUsersInput, 'limit' | 'cursor' | 'sort'>): Promise<Total> {
    const { query, predicates } = await this.prepare({ ...input, limit: 1, sort: '-createdAt' });
    const probe = query.term === null ? [] : (await this.currentSample()).probe(query.term);
    const n = await probeCount(
      this.database,
      { term: query.term, predicates, cap: this.exactCap + 1 },
      probe,
    );
    return n > this.exactCap ? { count: this.exactCap, capped: true } : { count: n, capped: false };
  }

  /** The query and its SQL predicates, as the list and the exact count share them. */
  private async prepare(input: ListUsersInput) {
    const query: UserQuery = {
      term: normalizeTerm(input.q),
      limit: input.limit,
      sort: input.sort,
      status: input.status ?? null,
      role: input.role ?? null,
      tag: input.tag ?? null,
      domainId: input.domain ?? null,
      reachOf: input.reachOf ?? null,
    };
    const now = this.clock.now();
    const { login } = await this.settings.get();
    const passwordLoginEnabled = login.passwordLoginEnabled;
    const predicates = predicatesOf({ ...query, now, passwordLoginEnabled });
    // A power user's reach is a few users: read them all by primary key and sort (selective).
    // Administrators' lists never carry it, so their plans are untouched.
    if (query.reachOf) {
      predicates.push({ sql: inReachOf(query.reachOf, 'u'), selective: true, ordered: false });
    }
    return { query, predicates, now, passwordLoginEnabled };
  }

  /**
   * One page, by the plan user-search.plan.ts picks. `continueAt` is set when a walk that
   * cannot fall back to an index stopped at its bound: the page holds the matches up to there
   * (maybe fewer than asked, maybe none) and the next one continues from there.
   */
  private async findPage(q: PageQuery): Promise<{ rows: Listed[]; total?: Total; continueAt?: Position }> {
    const exact = (rows: Listed[]) => capped(rows[0]?.total ?? 0);
    if (q.predicates.some((p) => p.selective)) {
      const rows = await probePage(this.database, q, []);
      return { rows, total: exact(rows) };
    }
    const budget = this.budget(this.database.dialect, q.sort);
    const filterable = q.predicates.some((p) => p.ordered) && !walksFilters(q);
    const plan = planPage(q.term, q.limit, await this.currentSample(), budget, filterable);
    if (plan.kind === 'probe') {
      const rows = await probePage(this.database, q, plan.probe);
      return { rows, total: exact(rows) };
    }
    const rows = await walkPage(this.database, q, plan.rows);
    if (rows.length > q.limit) return { rows };
    const end = await walkEnd(this.database, q, plan.rows);
    // The walk read every row from the cursor on: these are all the matches.
    if (!end) return { rows, total: capped(rows.length) };
    // What this stretch held is all that is known of the total: a lower bound.
    if (plan.then === 'continue')
      return { rows, continueAt: end, total: { count: rows.length, capped: true } };
    const probed = await probePage(this.database, q, plan.then === 'probe' ? plan.probe : []);
    return { rows: probed, total: exact(probed) };
  }

  /** The capped total for a first page that a walk filled (the other plans count on the way). */
  private async count(q: CountQuery, sort: UserSort): Promise<Total> {
    const budget = this.budget(this.database.dialect, sort);
    const plan = planCount(q.term, await this.currentSample(), budget);
    if (plan.kind === 'probe') return capped(await probeCount(this.database, q, plan.probe));
    const walked = await walkCount(this.database, q, budget.countRows);
    if (walked.matches >= q.cap || walked.exhaustive) return capped(walked.matches);
    if (plan.then === 'probe') return capped(await probeCount(this.database, q, plan.probe));
    // Too short a term for trigrams and too rare to reach the cap within the bound: what was
    // seen so far, marked as a lower bound.
    return { count: walked.matches, capped: true };
  }

  /**
   * The planner's sample, taken at first use and again in the background when it is older
   * than ten minutes (a search meanwhile uses the old one: only speed depends on it).
   */
  private async currentSample(): Promise<SearchSample> {
    const now = this.clock.now();
    if (!this.sample) {
      this.sample = { value: new SearchSample(await loadSample(this.database.db)), takenAt: now };
    } else if (now - this.sample.takenAt > sampleMaxAgeMs && !this.refreshing) {
      this.refreshing = true;
      loadSample(this.database.db)
        .then((data) => {
          this.sample = { value: new SearchSample(data), takenAt: this.clock.now() };
        })
        .catch(() => {})
        .finally(() => {
          this.refreshing = false;
        });
    }
    return this.sample.value;
  }
}

function capped(n: number): Total {
  return n > countCap ? { count: countCap, capped: true } : { count: n, capped: false };
}

/** Pure: the list's representation of a user. */
export function listItem(u: User, now: number, facts: LoginFacts): UserListItem {
  return {
    id: u.id,
    username: u.username,
    firstName: u.firstName,
    lastName: u.lastName,
    displayName: displayName(u),
    primaryEmail: u.primaryEmail,
    active: u.active,
    role: u.role,
    createdAt: new Date(u.createdAt).toISOString(),
    tags: tagsOf(u, now, facts),
    domainId: u.domainId,
  };
}

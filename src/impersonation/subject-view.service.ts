import type { Database } from '../db/database.ts';
import type { AuthedContext } from '../shared/request-context.ts';
import { assertCapability } from '../permissions/capabilities.ts';
import { listAuditEvents } from '../audit/audit.store.ts';
import { AppError } from '../shared/errors.ts';
import { decodeKeysetCursor, encodeKeysetCursor } from '../shared/keyset-cursor.ts';
import { endInOwnTransaction, type Ender } from './ending.ts';
import { findImpersonation, impersonationsOfSubject, type ImpersonationRow } from './impersonation.store.ts';

// Issue 12, "who acted as me": the user sees every impersonation of their account, what was
// done in it, and ends a running one. No peer shows the impersonated person anything; here the
// user's own page answers the notification's "someone is acting as you".

export interface SubjectImpersonation {
  id: string;
  actor: { displayName: string };
  reason: string;
  startedAt: number;
  expiresAt: number;
  openedAt: number | null;
  endedAt: number | null;
  endReason: string | null;
  active: boolean;
}

/** What was done in the user's name during one impersonation, as the user may see it. */
export interface DoneWhileActing {
  at: number;
  action: string;
  targetType: string;
  targetLabel: string | null;
  /** The names of the fields that changed (never their values: the user sees what, not how). */
  fields: string[];
}

/** The most changes one impersonation shows; more are rare and stay in the audit trail. */
const changesShown = 200;

function toView(row: ImpersonationRow, now: number): SubjectImpersonation {
  return {
    id: row.id,
    actor: { displayName: row.actor_label },
    reason: row.reason,
    startedAt: row.started_at,
    expiresAt: row.expires_at,
    openedAt: row.handed_off_at,
    endedAt: row.ended_at,
    endReason: row.end_reason,
    active: row.ended_at === null && row.expires_at > now,
  };
}

export class SubjectViewService {
  private readonly database: Database;
  private readonly ender: Ender;

  constructor(deps: { database: Database; ender: Ender }) {
    this.database = deps.database;
    this.ender = deps.ender;
  }

  async list(
    ctx: AuthedContext,
    page: { limit: number; cursor?: string | undefined },
  ): Promise<{ items: SubjectImpersonation[]; nextCursor: string | null }> {
    const before = page.cursor ? decodeKeysetCursor(page.cursor) : undefined;
    const rows = await impersonationsOfSubject(this.database.db, ctx.user.id, {
      limit: page.limit + 1,
      before: before && { startedAt: before.createdAt, id: before.id },
    });
    const now = this.ender.clock.now();
    const shown = rows.slice(0, page.limit);
    const last = shown.at(-1);
    return {
      items: shown.map((r) => toView(r, now)),
      nextCursor:
        rows.length > page.limit && last
          ? encodeKeysetCursor({ createdAt: last.started_at, id: last.id })
          : null,
    };
  }

  async get(ctx: AuthedContext, id: string): Promise<SubjectImpersonation & { done: DoneWhileActing[] }> {
    const row = await this.own(ctx, id);
    const events = await listAuditEvents(this.database.db, { impersonationId: id, limit: changesShown });
    const done = events
      // Only what was done in the user's own name: the start and end are the list's own rows.
      .filter((e) => e.user_id === ctx.user.id && !e.action.startsWith('impersonation.'))
      .reverse()
      .map((e) => ({
        at: e.occurred_at,
        action: e.action,
        targetType: e.target_type,
        targetLabel: e.target_label,
        fields: e.changes ? Object.keys(JSON.parse(e.changes) as Record<string, unknown>) : [],
      }));
    return { ...toView(row, this.ender.clock.now()), done };
  }

  /** The user ends an impersonation of their account; the actor is told (ending.ts). */
  async end(ctx: AuthedContext, id: string): Promise<void> {
    // The acting administrator cannot end it in the user's name: "back" is theirs.
    assertCapability(ctx, 'sessions.end');
    const row = await this.own(ctx, id);
    if (row.ended_at !== null)
      throw new AppError('impersonation_ended', 'This impersonation has ended already.');
    if (!(await endInOwnTransaction(this.ender, ctx, id, 'ended_by_subject'))) {
      throw new AppError('impersonation_ended', 'This impersonation has ended already.');
    }
  }

  /** The user's own impersonation; any other answers as absent (no probing others' IDs). */
  private async own(ctx: AuthedContext, id: string): Promise<ImpersonationRow> {
    const row = await findImpersonation(this.database.db, id);
    if (!row || row.subject_id !== ctx.user.id) {
      throw new AppError('impersonation_not_found', 'There is no such impersonation of your account.');
    }
    return row;
  }
}

import { timingSafeEqual } from 'node:crypto';
import type { Database, Db, Tx } from '../db/database.ts';
import type { Clock } from '../shared/clock.ts';
import { AppError } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import type { AuthedContext } from '../shared/request-context.ts';
import { recordAudit } from '../audit/audit.ts';
import type { SettingsService } from '../settings/settings.service.ts';
import { hashToken, looksLikeToken, newToken } from '../sessions/token.ts';
import { findUser } from '../users/users.store.ts';
import { displayName, type User } from '../users/user.ts';
import {
  decideBreakGlass,
  deciderDenial,
  requiredApprovals,
  type ApprovalKind,
  type ApprovalSettings,
} from './approval-rule.ts';
import { couldActAs, notifyApprovers, type ApproverDeps, type Notify } from './approvers.ts';
import {
  consumeApproval,
  decideApproval,
  findApproval,
  findApprovalByTokenHash,
  insertApproval,
  isGroupMember,
  latestRequest,
  pendingRequests,
  superadminIds,
  usableApprovals,
  withdrawPending,
  type ApprovalRow,
} from './approvals.store.ts';

// Issue 12 #3 (consent) and #4 (four eyes), R-IMP-17: requests, decisions, and the check a start
// makes. The start calls admit() inside its own transaction, so the approval it uses is spent
// exactly when the impersonation is recorded, and a refused start spends nothing.

export type ApprovalState = 'missing' | 'pending' | 'approved' | 'declined';

export interface ApprovalView {
  id: string;
  kind: ApprovalKind;
  actor: { id: string; displayName: string };
  subject: { id: string; displayName: string };
  reason: string;
  plannedMinutes: number;
  status: string;
  createdAt: number;
  expiresAt: number;
}

export interface ApprovalsPreview {
  consent: ApprovalState | null;
  fourEyes: ApprovalState | null;
  /** A superadmin may start without consent (loudly): break-glass. */
  breakGlassAllowed: boolean;
}

export class ApprovalsService {
  private readonly deps: {
    database: Database;
    clock: Clock;
    settings: SettingsService;
    notify: Notify;
    reachesOf: ApproverDeps['reachesOf'];
    publicUrl: string;
    /** The impersonation rule for this actor and user, approvals aside (the start dialog's answer). */
    mayStart: (ctx: AuthedContext, subjectId: string) => Promise<{ allowed: boolean; code: string | null }>;
  };

  constructor(deps: ApprovalsService['deps']) {
    this.deps = deps;
  }

  /** The approvals a start as this user needs now (none with the settings off). */
  async needed(db: Db, settings: ApprovalSettings, subject: User): Promise<ApprovalKind[]> {
    const inGroup =
      settings.fourEyes === 'privileged-and-group' && settings.fourEyesGroupId !== null
        ? await isGroupMember(db, settings.fourEyesGroupId, subject.id)
        : false;
    return requiredApprovals(settings, { subject, subjectInGroup: inGroup });
  }

  /** An actor asks for consent or a second approval before acting as this user. */
  async request(
    ctx: AuthedContext,
    subjectId: string,
    input: { kind: ApprovalKind; reason: string; durationMinutes: number },
  ): Promise<ApprovalView> {
    const { database, clock } = this.deps;
    const may = await this.deps.mayStart(ctx, subjectId);
    if (!may.allowed)
      throw new AppError((may.code ?? 'forbidden') as 'forbidden', 'You may not act as this user.');
    const subject = (await findUser(database.db, subjectId))!;
    const settings = await this.deps.settings.get();
    if (!(await this.needed(database.db, settings.approval, subject)).includes(input.kind)) {
      throw new AppError('approval_not_needed', 'Acting as this user needs no such approval.');
    }
    const reason = input.reason.trim();
    if (reason === '') {
      throw new AppError('reason_required', 'State why you want to act as this user.', {
        fieldErrors: [{ field: 'reason', message: 'is required', kind: 'required' }],
      });
    }
    const now = clock.now();
    const token = input.kind === 'consent' ? newToken() : null;
    const row: ApprovalRow = {
      id: newId(now),
      kind: input.kind,
      actor_id: ctx.user.id,
      actor_label: ctx.user.displayName,
      subject_id: subject.id,
      subject_label: displayName(subject),
      reason,
      planned_minutes: input.durationMinutes,
      status: 'pending',
      decided_by: null,
      decided_at: null,
      expires_at: now + settings.approval.windowMinutes * 60_000,
      token_hash: token === null ? null : hashToken(token),
      used_by_impersonation: null,
      created_at: now,
    };
    await database.transaction(async (trx) => {
      await withdrawPending(
        trx,
        { actorId: row.actor_id, subjectId: row.subject_id, kind: row.kind as ApprovalKind },
        now,
      );
      await insertApproval(trx, row);
      await this.audit(trx, ctx, row, 'impersonation.approval_requested', {});
      if (token !== null) {
        await this.deps.notify(trx, {
          userId: subject.id,
          type: 'impersonation.consent_requested',
          variables: {
            subject: row.subject_label,
            actor: row.actor_label,
            reason,
            plannedDuration: row.planned_minutes,
          },
          mailOnly: { link: `${this.deps.publicUrl.replace(/\/$/, '')}/consent?token=${token}` },
        });
      } else {
        await notifyApprovers(this.deps, trx, row);
      }
    });
    return toView(row, now);
  }

  /** Consent in the platform, or four eyes in the console. */
  async decide(ctx: AuthedContext, id: string, decision: 'approve' | 'decline'): Promise<ApprovalView> {
    const row = await findApproval(this.deps.database.db, id);
    if (!row) throw notFound();
    return this.decideRow(ctx, row, decision, 'platform');
  }

  /**
   * Consent from the mail link. The link alone decides nothing: the user must be signed in as
   * themselves, because administrators can change a user's e-mail address without a
   * confirmation (R-ADM-09), and the link would otherwise let an actor consent for the user.
   */
  async decideByToken(ctx: AuthedContext, token: string, decision: 'approve' | 'decline') {
    const row = await this.byToken(ctx, token);
    return this.decideRow(ctx, row, decision, 'mail_link');
  }

  /** What the mail link asks, for the page that shows it before the user decides. */
  async lookupToken(ctx: AuthedContext, token: string): Promise<ApprovalView> {
    return toView(await this.byToken(ctx, token), this.deps.clock.now());
  }

  private async byToken(ctx: AuthedContext, token: string): Promise<ApprovalRow> {
    if (!looksLikeToken(token)) throw notFound();
    const hash = hashToken(token);
    const row = await findApprovalByTokenHash(this.deps.database.db, hash);
    // The lookup is by hash, so timing reveals nothing of the token; compare again anyway.
    if (!row?.token_hash || !timingSafeEqual(Buffer.from(row.token_hash), Buffer.from(hash)))
      throw notFound();
    if (ctx.impersonationId !== null || row.subject_id !== ctx.user.id) throw notFound();
    return row;
  }

  private async decideRow(
    ctx: AuthedContext,
    row: ApprovalRow,
    decision: 'approve' | 'decline',
    via: 'platform' | 'mail_link',
  ): Promise<ApprovalView> {
    const { database, clock } = this.deps;
    const mayAct = row.kind === 'four_eyes' && (await this.mayActAs(ctx, row.subject_id));
    const denial = deciderDenial(
      row.kind as ApprovalKind,
      { actorId: row.actor_id, subjectId: row.subject_id },
      { id: ctx.user.id, impersonating: ctx.impersonationId !== null, mayActAsSubject: mayAct },
    );
    if (denial === 'self_approval')
      throw new AppError('self_approval', 'Another administrator must approve your request.');
    if (denial === 'blocked_during_impersonation') {
      throw new AppError(
        'blocked_during_impersonation',
        'Requests are not decided while acting as another user.',
      );
    }
    if (denial) throw notFound();
    const now = clock.now();
    const status = decision === 'approve' ? 'approved' : 'declined';
    const window = (await this.deps.settings.get()).approval.windowMinutes * 60_000;
    let decided = false;
    await database.transaction(async (trx) => {
      decided = await decideApproval(trx, row.id, {
        status,
        decidedBy: ctx.user.id,
        now,
        usableUntil: now + window,
      });
      if (!decided) return;
      await this.audit(trx, ctx, row, 'impersonation.approval_decided', { decision: status, via });
      await this.deps.notify(trx, {
        userId: row.actor_id,
        type: status === 'approved' ? 'impersonation.request_approved' : 'impersonation.request_declined',
        variables: { subject: row.subject_label, actor: row.actor_label, reason: row.reason },
      });
    });
    if (!decided)
      throw new AppError('approval_decided', 'This request was decided already, withdrawn or has expired.');
    return toView({ ...row, status, decided_by: ctx.user.id, decided_at: now }, now);
  }

  /** The user's pending consent requests ("who acted as me"). */
  async pendingForSubject(ctx: AuthedContext): Promise<ApprovalView[]> {
    if (ctx.impersonationId !== null) return [];
    const now = this.deps.clock.now();
    const rows = await pendingRequests(this.deps.database.db, {
      kind: 'consent',
      subjectId: ctx.user.id,
      now,
      limit: 50,
    });
    return rows.map((r) => toView(r, now));
  }

  /** Pending four-eyes requests this administrator may decide (not their own). */
  async pendingFourEyes(ctx: AuthedContext): Promise<ApprovalView[]> {
    const now = this.deps.clock.now();
    const rows = await pendingRequests(this.deps.database.db, { kind: 'four_eyes', now, limit: 100 });
    const views: ApprovalView[] = [];
    for (const r of rows) {
      if (r.actor_id === ctx.user.id || r.subject_id === ctx.user.id) continue;
      if (await this.mayActAs(ctx, r.subject_id)) views.push(toView(r, now));
    }
    return views;
  }

  /** For the start dialog: what this start needs and how far each request has come. */
  async preview(ctx: AuthedContext, subject: User): Promise<ApprovalsPreview> {
    const db = this.deps.database.db;
    const settings = await this.deps.settings.get();
    const needed = await this.needed(db, settings.approval, subject);
    const state = async (kind: ApprovalKind): Promise<ApprovalState | null> => {
      if (!needed.includes(kind)) return null;
      const latest = await latestRequest(db, { actorId: ctx.user.id, subjectId: subject.id, kind });
      const now = this.deps.clock.now();
      // A decline shows until the actor asks again; the others only while they may still be used.
      if (latest?.status === 'declined') return 'declined';
      if (!latest || latest.expires_at <= now) return 'missing';
      return latest.status === 'pending' || latest.status === 'approved' ? latest.status : 'missing';
    };
    return {
      consent: await state('consent'),
      fourEyes: await state('four_eyes'),
      breakGlassAllowed: needed.includes('consent') && ctx.user.role === 'superadmin',
    };
  }

  /**
   * The start's check, inside its transaction: spends one approval of each kind needed, or
   * refuses. Break-glass replaces consent for a superadmin, and tells every superadmin and the
   * user at once. Answers what the start's audit event records.
   */
  async admit(
    trx: Tx,
    ctx: AuthedContext,
    subject: User,
    input: {
      reason: string;
      durationMinutes: number;
      breakGlass?: boolean | undefined;
      impersonationId: string;
    },
  ): Promise<Record<string, unknown>> {
    const settings = await this.deps.settings.get(trx);
    const needed = await this.needed(trx, settings.approval, subject);
    const now = this.deps.clock.now();
    const used: string[] = [];
    let breakGlass = false;
    if (input.breakGlass === true) {
      const d = decideBreakGlass(ctx.user.role, input.reason);
      if (!d.allowed && d.reason === 'break_glass_not_allowed') {
        throw new AppError('break_glass_not_allowed', 'Only a superadmin may act without consent.');
      }
      if (!d.allowed) {
        throw new AppError('break_glass_reason_required', 'Acting without consent needs a reason.', {
          fieldErrors: [{ field: 'reason', message: 'is required', kind: 'required' }],
        });
      }
      breakGlass = needed.includes('consent');
    }
    for (const kind of needed) {
      if (kind === 'consent' && breakGlass) continue;
      const q = { actorId: ctx.user.id, subjectId: subject.id, kind, minutes: input.durationMinutes, now };
      let spent: string | null = null;
      for (const a of await usableApprovals(trx, q)) {
        if (await consumeApproval(trx, a.id, input.impersonationId)) {
          spent = a.id;
          break;
        }
      }
      if (spent === null) throw required(kind);
      used.push(spent);
    }
    if (breakGlass) await this.breakGlass(trx, ctx, subject, input, now);
    if (needed.length === 0 && !breakGlass) return {};
    return { approvalIds: used, breakGlass };
  }

  private async breakGlass(
    trx: Tx,
    ctx: AuthedContext,
    subject: User,
    input: { reason: string; durationMinutes: number },
    now: number,
  ): Promise<void> {
    const variables = {
      subject: displayName(subject),
      actor: ctx.user.displayName,
      reason: input.reason,
      plannedDuration: input.durationMinutes,
      startedAt: now,
    };
    const told = new Set([subject.id, ...(await superadminIds(trx))]);
    told.delete(ctx.user.id);
    for (const userId of told) {
      await this.deps.notify(trx, { userId, type: 'impersonation.break_glass', variables });
    }
  }

  /** Four eyes: could this administrator act as the user themselves (approvers.ts)? */
  private mayActAs(ctx: AuthedContext, subjectId: string): Promise<boolean> {
    return couldActAs(this.deps, this.deps.database.db, ctx.user, ctx.impersonationId !== null, subjectId);
  }

  private async audit(
    trx: Tx,
    ctx: AuthedContext,
    row: ApprovalRow,
    action: string,
    details: Record<string, unknown>,
  ): Promise<void> {
    await recordAudit(trx, this.deps.clock, ctx, {
      action,
      target: { type: 'user', id: row.subject_id, label: row.subject_label },
      details: {
        approvalId: row.id,
        kind: row.kind,
        actorId: row.actor_id,
        reason: row.reason,
        plannedMinutes: row.planned_minutes,
        ...details,
      },
    });
  }
}

function toView(r: ApprovalRow, now: number): ApprovalView {
  const expired = (r.status === 'pending' || r.status === 'approved') && r.expires_at <= now;
  return {
    id: r.id,
    kind: r.kind as ApprovalKind,
    actor: { id: r.actor_id, displayName: r.actor_label },
    subject: { id: r.subject_id, displayName: r.subject_label },
    reason: r.reason,
    plannedMinutes: r.planned_minutes,
    status: expired ? 'expired' : r.status,
    createdAt: r.created_at,
    expiresAt: r.expires_at,
  };
}

function notFound(): AppError {
  return new AppError('approval_not_found', 'There is no such request, or it is not yours to decide.');
}

function required(kind: ApprovalKind): AppError {
  return kind === 'consent'
    ? new AppError('consent_required', "Acting as this user needs the user's consent first.")
    : new AppError('approval_required', "Acting as this user needs a second administrator's approval first.");
}

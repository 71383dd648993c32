import type { Database, Tx } from '../db/database.ts';
import type { Clock } from '../shared/clock.ts';
import { systemContext, type RequestContext } from '../shared/request-context.ts';
import { recordAudit } from '../audit/audit.ts';
import type { ImpersonationPorts } from './ports.ts';
import type { EndReason } from './messages.ts';
import {
  deleteHandoffsOf,
  deleteImpersonationPreferences,
  dueImpersonations,
  findImpersonation,
  markEnded,
} from './impersonation.store.ts';

// R-IMP-10: every way an impersonation ends — back, expiry, logout, deactivation, deletion,
// demotion, terms revocation, an administrator's "end now" — goes through endImpersonation:
// one transaction marks it ended, removes what it left behind, writes the audit event and
// queues the end notification, so no end goes unrecorded or unannounced.

export interface Ender {
  database: Database;
  clock: Clock;
  ports: ImpersonationPorts;
}

/**
 * Ends an impersonation inside the caller's transaction. Idempotent: ending one that has
 * ended already does nothing and returns false.
 */
export async function endImpersonation(
  e: Ender,
  trx: Tx,
  ctx: RequestContext,
  impersonationId: string,
  reason: EndReason,
): Promise<boolean> {
  const now = e.clock.now();
  const imp = await findImpersonation(trx, impersonationId);
  if (!imp || !(await markEnded(trx, impersonationId, now, reason))) return false;
  await deleteHandoffsOf(trx, impersonationId);
  // Issue 9: every app that got tokens while acting is told, with the end (back-channel logout).
  await e.ports.logoutApps(trx, { impersonationId }, reason);
  // R-IMP-13: preferences changed while acting are not kept.
  await deleteImpersonationPreferences(trx, impersonationId);
  // The impersonation session row stays (it no longer authenticates: its impersonation has
  // ended), so that the actor's browser can still go back to the actor's own session.
  const auditCtx: RequestContext = {
    ...ctx,
    impersonationId,
    impersonation: ctx.impersonation ?? null,
  };
  await recordAudit(trx, e.clock, auditCtx, {
    action: 'impersonation.ended',
    target: { type: 'user', id: imp.subject_id, label: imp.subject_label },
    impersonationReason: imp.reason,
    details: {
      reason,
      actorId: imp.actor_id,
      actor: imp.actor_label,
      subjectId: imp.subject_id,
      subject: imp.subject_label,
      startedAt: new Date(imp.started_at).toISOString(),
      endedAt: new Date(now).toISOString(),
      impersonationReason: imp.reason,
    },
  });
  // Issue 10 #3, R-IMP-09: the subject was told of the start when the session opened; one never
  // opened (superseded, revoked or expired before its handoff) was never announced, and its end
  // is not either. The audit trail has both.
  if (imp.handed_off_at === null) return true;
  await e.ports.notify(trx, {
    userId: imp.subject_id,
    type: 'impersonation.ended',
    impersonationId,
    variables: {
      subject: imp.subject_label,
      actor: imp.actor_label,
      reason: imp.reason,
      plannedDuration: String(imp.planned_minutes),
      startedAt: new Date(imp.started_at).toISOString(),
      endedAt: new Date(now).toISOString(),
      endReason: reason,
    },
  });
  // Issue 12: the user ended it; the actor learns it from Behalf, not from a dead tab.
  if (reason === 'ended_by_subject') {
    await e.ports.notify(trx, {
      userId: imp.actor_id,
      type: 'impersonation.ended_by_subject',
      impersonationId,
      variables: {
        subject: imp.subject_label,
        actor: imp.actor_label,
        reason: imp.reason,
        startedAt: new Date(imp.started_at).toISOString(),
        endedAt: new Date(now).toISOString(),
      },
    });
  }
  return true;
}

/** Ends one impersonation in a transaction of its own. */
export async function endInOwnTransaction(
  e: Ender,
  ctx: RequestContext,
  impersonationId: string,
  reason: EndReason,
): Promise<boolean> {
  return e.database.transaction((trx) => endImpersonation(e, trx, ctx, impersonationId, reason));
}

/**
 * The expiry job's work: ends every impersonation past its end time, and (issue 10 #3) every one
 * whose handoff link was not opened within its lifetime (`not_opened`). Returns how many.
 */
export async function expireDue(e: Ender, handoffTtlMs: number, batch = 100): Promise<number> {
  let ended = 0;
  for (;;) {
    const now = e.clock.now();
    const due = await dueImpersonations(e.database.db, now, now - handoffTtlMs, batch);
    for (const { id, expires_at } of due) {
      const reason = expires_at <= now ? 'expired' : 'not_opened';
      if (await endInOwnTransaction(e, systemContext(`expiry:${id}`), id, reason)) ended++;
    }
    if (due.length < batch) return ended;
  }
}

import type { Db, Tx } from '../db/database.ts';
import type { NotifyInput } from '../notifications/notifications.service.ts';
import { findUser } from '../users/users.store.ts';
import type { User } from '../users/user.ts';
import { decideImpersonation } from './rule.ts';
import { impersonationFacts, needsReach, type ReachFacts } from './facts.ts';
import { approverCandidates, type ApprovalRow } from './approvals.store.ts';

// Issue 12 #4: who may decide a four-eyes request, and telling them when one is made. One test
// for both, so that the console's list (approvals.service.ts, pendingFourEyes and decide) and
// the notification never disagree: an approver could act as the user themselves.

export type Notify = (trx: Tx, input: NotifyInput) => Promise<unknown>;

type Approver = Pick<User, 'id' | 'role' | 'systemPermissions' | 'generalPermissions'>;

export interface ApproverDeps {
  notify: Notify;
  /** Power users' reach over one subject, one round trip for all (orgs/reach.store.ts). */
  reachesOf: (db: Db, powerUserIds: readonly string[], subjectId: string) => Promise<Map<string, ReachFacts>>;
}

/**
 * Could this administrator act as the user (the impersonation rule)? `db` is the caller's
 * transaction where there is one: the outer handle waits for it (issue 7 #17).
 */
export async function couldActAs(
  deps: ApproverDeps,
  db: Db,
  approver: Approver,
  impersonating: boolean,
  subjectId: string,
): Promise<boolean> {
  const subject = await findUser(db, subjectId);
  if (!subject) return false;
  const reach = needsReach(approver)
    ? ((await deps.reachesOf(db, [approver.id], subjectId)).get(approver.id) ?? null)
    : null;
  return mayActAs(approver, impersonating, subject, reach);
}

/**
 * Those of the candidates (approvals.store.ts) who could act as the user, but not the user nor
 * the requester: the user once, and the reach of every power user among them in one query, so
 * that a request costs the same few queries however many administrators there are.
 */
export async function approversOf(deps: ApproverDeps, db: Db, row: ApprovalRow): Promise<Approver[]> {
  const subject = await findUser(db, row.subject_id);
  if (!subject) return [];
  const candidates = (await approverCandidates(db)).filter(
    (c) => c.id !== row.actor_id && c.id !== row.subject_id,
  );
  const powerUsers = candidates.filter((c) => needsReach(c)).map((c) => c.id);
  const reaches = await deps.reachesOf(db, powerUsers, subject.id);
  return candidates.filter((c) =>
    mayActAs(c, false, subject, needsReach(c) ? (reaches.get(c.id) ?? null) : null),
  );
}

/**
 * A four-eyes request reaches those who may decide it, not only the console's list. Inside the
 * request's transaction.
 */
export async function notifyApprovers(deps: ApproverDeps, trx: Tx, row: ApprovalRow): Promise<void> {
  for (const approver of await approversOf(deps, trx, row)) {
    await deps.notify(trx, {
      userId: approver.id,
      type: 'impersonation.approval_requested',
      variables: {
        subject: row.subject_label,
        actor: row.actor_label,
        reason: row.reason,
        plannedDuration: row.planned_minutes,
      },
    });
  }
}

function mayActAs(
  approver: Approver,
  impersonating: boolean,
  subject: User,
  reach: ReachFacts | null,
): boolean {
  // A power user with domains approves for users of their domains only: the subject's own
  // domain is the one the approver would act in.
  const f = impersonationFacts({
    actor: approver,
    impersonating,
    subject,
    reach,
    domainId: reach?.subjectDomainId ?? null,
    notificationsEnabled: true,
    termsPending: false,
    acceptTermsOnBehalf: false,
  });
  return decideImpersonation(f.actor, f.subject, f.context).allowed;
}

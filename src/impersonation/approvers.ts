import type { Db, Tx } from '../db/database.ts';
import type { NotifyInput } from '../notifications/notifications.service.ts';
import { findUser } from '../users/users.store.ts';
import type { User } from '../users/user.ts';
import { decideImpersonation } from './rule.ts';
import { impersonationFacts, needsReach } from './facts.ts';
import type { ImpersonationPorts } from './ports.ts';
import { approverCandidates, type ApprovalRow } from './approvals.store.ts';

// Issue 12 #4: who may decide a four-eyes request, and telling them when one is made. One test
// for both, so that the console's list (approvals.service.ts, pendingFourEyes and decide) and
// the notification never disagree: an approver could act as the user themselves.

export type Notify = (trx: Tx, input: NotifyInput) => Promise<unknown>;

export interface ApproverDeps {
  notify: Notify;
  reachOf: ImpersonationPorts['reachOf'];
}

/**
 * Could this administrator act as the user (the impersonation rule)? `db` is the caller's
 * transaction where there is one: the outer handle waits for it (issue 7 #17).
 */
export async function couldActAs(
  deps: ApproverDeps,
  db: Db,
  approver: Pick<User, 'id' | 'role' | 'systemPermissions' | 'generalPermissions'>,
  impersonating: boolean,
  subjectId: string,
): Promise<boolean> {
  const subject = await findUser(db, subjectId);
  if (!subject) return false;
  const reach = needsReach(approver) ? await deps.reachOf(db, approver.id, subjectId) : null;
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

/**
 * A four-eyes request reaches those who may decide it (the same test as the console's list:
 * they could act as the user themselves), not only the console's list. Neither the requester
 * nor the user is one of them. Inside the request's transaction.
 */
export async function notifyApprovers(deps: ApproverDeps, trx: Tx, row: ApprovalRow): Promise<void> {
  for (const candidate of await approverCandidates(trx)) {
    if (candidate.id === row.actor_id || candidate.id === row.subject_id) continue;
    if (!(await couldActAs(deps, trx, candidate, false, row.subject_id))) continue;
    await deps.notify(trx, {
      userId: candidate.id,
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

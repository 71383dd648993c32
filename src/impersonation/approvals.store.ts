import type { Selectable } from 'kysely';
import type { Db } from '../db/database.ts';
import type { ImpersonationApprovalsTable } from '../db/schema.ts';
import type { ApprovalKind } from './approval-rule.ts';
import type { User } from '../users/user.ts';
import { toUser } from '../users/users.store.ts';

// Issue 12 #3, #4: SQL for consent and four-eyes requests. Status changes are conditional
// updates (WHERE status = ...), so two deciders, or two starts sharing one approval, never both win.

export type ApprovalRow = Selectable<ImpersonationApprovalsTable>;

export async function insertApproval(db: Db, row: ImpersonationApprovalsTable): Promise<void> {
  await db.insertInto('impersonation_approvals').values(row).execute();
}

export async function findApproval(db: Db, id: string): Promise<ApprovalRow | undefined> {
  return db.selectFrom('impersonation_approvals').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findApprovalByTokenHash(db: Db, tokenHash: string): Promise<ApprovalRow | undefined> {
  return db
    .selectFrom('impersonation_approvals')
    .selectAll()
    .where('token_hash', '=', tokenHash)
    .executeTakeFirst();
}

/** A new request replaces the actor's pending one for the same user and kind. */
export async function withdrawPending(
  db: Db,
  pair: { actorId: string; subjectId: string; kind: ApprovalKind },
  now: number,
): Promise<void> {
  await db
    .updateTable('impersonation_approvals')
    .set({ status: 'withdrawn', decided_at: now, token_hash: null })
    .where('actor_id', '=', pair.actorId)
    .where('subject_id', '=', pair.subjectId)
    .where('kind', '=', pair.kind)
    .where('status', '=', 'pending')
    .execute();
}

/**
 * Decides a pending, unexpired request. False when it was decided, withdrawn or expired first.
 * The token goes with the decision: a mail link works once.
 */
export async function decideApproval(
  db: Db,
  id: string,
  change: { status: 'approved' | 'declined'; decidedBy: string; now: number; usableUntil: number },
): Promise<boolean> {
  const result = await db
    .updateTable('impersonation_approvals')
    .set({
      status: change.status,
      decided_by: change.decidedBy,
      decided_at: change.now,
      expires_at: change.status === 'approved' ? change.usableUntil : change.now,
      token_hash: null,
    })
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .where('expires_at', '>', change.now)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** The approved, unused, unexpired approvals that would let this actor start as this user. */
export async function usableApprovals(
  db: Db,
  q: { actorId: string; subjectId: string; kind: ApprovalKind; minutes: number; now: number },
): Promise<ApprovalRow[]> {
  return db
    .selectFrom('impersonation_approvals')
    .selectAll()
    .where('actor_id', '=', q.actorId)
    .where('subject_id', '=', q.subjectId)
    .where('kind', '=', q.kind)
    .where('status', '=', 'approved')
    .where('expires_at', '>', q.now)
    .where('planned_minutes', '>=', q.minutes)
    .orderBy('expires_at')
    .execute();
}

/** Uses an approval for one start; false when another start used it first. */
export async function consumeApproval(db: Db, id: string, impersonationId: string): Promise<boolean> {
  const result = await db
    .updateTable('impersonation_approvals')
    .set({ status: 'used', used_by_impersonation: impersonationId })
    .where('id', '=', id)
    .where('status', '=', 'approved')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** The newest request of this actor for this user and kind, whatever its status. */
export async function latestRequest(
  db: Db,
  q: { actorId: string; subjectId: string; kind: ApprovalKind },
): Promise<ApprovalRow | undefined> {
  return db
    .selectFrom('impersonation_approvals')
    .selectAll()
    .where('actor_id', '=', q.actorId)
    .where('subject_id', '=', q.subjectId)
    .where('kind', '=', q.kind)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .executeTakeFirst();
}

/** Pending, unexpired requests: a user's consent requests, or every four-eyes request. */
export async function pendingRequests(
  db: Db,
  q: { kind: ApprovalKind; subjectId?: string; now: number; limit: number },
): Promise<ApprovalRow[]> {
  let query = db
    .selectFrom('impersonation_approvals')
    .selectAll()
    .where('kind', '=', q.kind)
    .where('status', '=', 'pending')
    .where('expires_at', '>', q.now);
  if (q.subjectId !== undefined) query = query.where('subject_id', '=', q.subjectId);
  return query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(q.limit).execute();
}

export async function isGroupMember(db: Db, groupId: string, userId: string): Promise<boolean> {
  const row = await db
    .selectFrom('group_members')
    .select('user_id')
    .where('group_id', '=', groupId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return row !== undefined;
}

/** Break-glass (issue 12 #3): every superadmin is told. */
export async function superadminIds(db: Db): Promise<string[]> {
  const rows = await db
    .selectFrom('users')
    .select('id')
    .where('role', '=', 'superadmin')
    .where('active', '=', true)
    .execute();
  return rows.map((r) => r.id);
}

/**
 * Four eyes (issue 12 #4): the active users who might approve a request, before the
 * impersonation rule picks those who may act as its user: superadmins, power users and holders
 * of `users.impersonate`. A narrow set, so the rule runs for few users.
 */
export async function approverCandidates(db: Db): Promise<User[]> {
  const rows = await db
    .selectFrom('users')
    .selectAll()
    .where('active', '=', true)
    .where((eb) =>
      eb.or([
        eb('role', 'in', ['superadmin', 'power-user']),
        eb('system_permissions', 'like', '%"users.impersonate"%'),
      ]),
    )
    .orderBy('id')
    .execute();
  return rows.map(toUser);
}

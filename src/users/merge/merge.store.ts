import type { Db } from '../../db/database.ts';
import { findUser, listEmails } from '../users.store.ts';
import type { MergePlan, MergeSide } from './merge-plan.ts';

// SQL for connecting profiles (R-ADM-10): reading what a profile holds, and moving or
// dropping it as the plan says. Functions take the transaction first; the service decides.

/** Everything of one profile the merge plans with; undefined when the user does not exist. */
export async function readSide(db: Db, userId: string): Promise<MergeSide | undefined> {
  const user = await findUser(db, userId);
  if (!user) return undefined;
  const ids = async <T extends { id: string }>(rows: Promise<T[]>) => (await rows).map((r) => r.id);
  const count = async (
    table: 'sessions' | 'login_challenges' | 'email_verifications' | 'totp_enrolments',
  ) => {
    const row = await db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('user_id', '=', userId)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  };
  const open = await db
    .selectFrom('impersonations')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('ended_at', 'is', null)
    .where((eb) => eb.or([eb('actor_id', '=', userId), eb('subject_id', '=', userId)]))
    .executeTakeFirstOrThrow();
  const resources = await db
    .selectFrom('power_user_resources')
    .select(['kind', 'resource_id'])
    .where('power_user_id', '=', userId)
    .execute();
  const assignedTo = await db
    .selectFrom('power_user_resources')
    .select('power_user_id')
    .where('kind', '=', 'user')
    .where('resource_id', '=', userId)
    .execute();
  const acceptances = await db
    .selectFrom('policy_acceptances')
    .select(['id', 'policy_version_id', 'accepted_at', 'revoked_at'])
    .where('user_id', '=', userId)
    .execute();
  return {
    user,
    emails: await listEmails(db, userId),
    linkedAccounts: await ids(
      db.selectFrom('linked_accounts').select('id').where('user_id', '=', userId).execute(),
    ),
    groups: (
      await db.selectFrom('group_members').select('group_id').where('user_id', '=', userId).execute()
    ).map((r) => r.group_id),
    resources: resources.map((r) => `${r.kind}:${r.resource_id}`),
    assignedTo: assignedTo.map((r) => r.power_user_id),
    acceptances: acceptances.map((a) => ({
      id: a.id,
      policyVersionId: a.policy_version_id,
      acceptedAt: a.accepted_at,
      revoked: a.revoked_at !== null,
    })),
    notifications: await ids(
      db.selectFrom('notifications').select('id').where('user_id', '=', userId).execute(),
    ),
    preferences: (
      await db.selectFrom('user_preferences').select('key').where('user_id', '=', userId).execute()
    ).map((r) => r.key),
    sessions: await count('sessions'),
    loginChallenges: await count('login_challenges'),
    emailVerifications: await count('email_verifications'),
    totpEnrolments: await count('totp_enrolments'),
    appGrants: (
      await db.selectFrom('oidc_grant_links').select('grant_id').where('user_id', '=', userId).execute()
    ).map((r) => r.grant_id),
    openImpersonations: Number(open.n),
  };
}

/**
 * Claims both rows for this merge: bumps each version if it is still the one the preview
 * showed, in ID order so that two merges of one pair (either direction) queue on the same
 * first row instead of deadlocking. False when either changed or is gone.
 */
export async function claimBoth(db: Db, rows: Array<{ id: string; version: number }>): Promise<boolean> {
  for (const { id, version } of [...rows].sort((a, b) => (a.id < b.id ? -1 : 1))) {
    const r = await db
      .updateTable('users')
      .set({ version: version + 1 })
      .where('id', '=', id)
      .where('version', '=', version)
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1) return false;
  }
  return true;
}

/** Moves and drops the absorbed profile's rows as planned (the user rows are the caller's). */
export async function applyPlan(db: Db, plan: MergePlan, now: number): Promise<void> {
  const { survivorId: to, absorbedId: from } = plan;
  const inIds = <T>(list: T[]) => list.length > 0;

  // Drop duplicates first: a verified address is unique, so the absorbed copy must be gone
  // before the survivor's copy becomes verified.
  if (inIds(plan.emails.drop))
    await db
      .deleteFrom('user_emails')
      .where(
        'id',
        'in',
        plan.emails.drop.map((e) => e.id),
      )
      .execute();
  for (const e of plan.emails.verify) {
    await db
      .updateTable('user_emails')
      .set({ verified: true, verified_at: now })
      .where('id', '=', e.id)
      .execute();
  }
  // The absorbed primary arrives as a secondary: the survivor keeps its own primary.
  if (inIds(plan.emails.move))
    await db
      .updateTable('user_emails')
      .set({ user_id: to, is_primary: false })
      .where(
        'id',
        'in',
        plan.emails.move.map((e) => e.id),
      )
      .execute();

  if (inIds(plan.linkedAccounts))
    await db
      .updateTable('linked_accounts')
      .set({ user_id: to, linked_via: 'merge' })
      .where('id', 'in', plan.linkedAccounts)
      .execute();

  if (inIds(plan.groups.move))
    await db
      .updateTable('group_members')
      .set({ user_id: to })
      .where('user_id', '=', from)
      .where('group_id', 'in', plan.groups.move)
      .execute();

  for (const r of plan.resources.move) {
    const [kind, resourceId] = splitResource(r);
    await db
      .updateTable('power_user_resources')
      .set({ power_user_id: to })
      .where('power_user_id', '=', from)
      .where('kind', '=', kind)
      .where('resource_id', '=', resourceId)
      .execute();
  }
  await db
    .deleteFrom('power_user_resources')
    .where('kind', '=', 'user')
    .where('resource_id', '=', from)
    .execute();

  const droppedAcceptances = plan.acceptances.drop.map((a) => a.id);
  if (inIds(droppedAcceptances))
    await db.deleteFrom('policy_acceptances').where('id', 'in', droppedAcceptances).execute();
  if (inIds(plan.acceptances.move))
    await db
      .updateTable('policy_acceptances')
      .set({ user_id: to })
      .where('id', 'in', plan.acceptances.move)
      .execute();

  await db.updateTable('notifications').set({ user_id: to }).where('user_id', '=', from).execute();

  if (inIds(plan.preferences.move))
    await db
      .updateTable('user_preferences')
      .set({ user_id: to })
      .where('user_id', '=', from)
      .where('key', 'in', plan.preferences.move)
      .execute();

  // The apps the absorbed profile signed in to lose their grants: their tokens named a user
  // that no longer exists.
  const grants = await db
    .selectFrom('oidc_grant_links')
    .select('grant_id')
    .where('user_id', '=', from)
    .execute();
  for (const g of grants) await db.deleteFrom('oidc_payloads').where('grant_id', '=', g.grant_id).execute();
  await db.deleteFrom('oidc_grant_links').where('user_id', '=', from).execute();

  // Issue 12 #3, #4: consent and four-eyes requests name one person. Those still open for the
  // absorbed profile (pending, or approved and not used) are withdrawn rather than inherited by
  // the survivor; decided and used ones stay as history.
  await db
    .updateTable('impersonation_approvals')
    .set({ status: 'withdrawn' })
    .where('status', 'in', ['pending', 'approved'])
    .where((eb) => eb.or([eb('actor_id', '=', from), eb('subject_id', '=', from)]))
    .execute();

  // Everything else of the absorbed profile (sessions, sign-ins in progress, codes, duplicate
  // memberships, resources without the role, preferences the survivor has) goes with its row
  // (ON DELETE CASCADE), which the caller deletes; the plan has counted it as dropped.
}

function splitResource(r: string): ['user' | 'group' | 'domain', string] {
  const at = r.indexOf(':');
  return [r.slice(0, at) as 'user' | 'group' | 'domain', r.slice(at + 1)];
}

/** Records that `absorbedId` now is `survivorId`, and repoints IDs absorbed into it earlier. */
export async function recordMerge(
  db: Db,
  row: { absorbed_id: string; survivor_id: string; absorbed_label: string; merged_at: number },
): Promise<void> {
  await db
    .updateTable('user_merges')
    .set({ survivor_id: row.survivor_id })
    .where('survivor_id', '=', row.absorbed_id)
    .execute();
  await db.insertInto('user_merges').values(row).execute();
}

/** The profile an absorbed ID was connected into, or undefined for an ID never absorbed. */
export async function survivorOf(db: Db, absorbedId: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('user_merges')
    .select('survivor_id')
    .where('absorbed_id', '=', absorbedId)
    .executeTakeFirst();
  return row?.survivor_id;
}

/** The IDs absorbed into this profile (directly or through earlier merges). */
export async function absorbedInto(db: Db, survivorId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('user_merges')
    .select('absorbed_id')
    .where('survivor_id', '=', survivorId)
    .orderBy('absorbed_id')
    .execute();
  return rows.map((r) => r.absorbed_id);
}

/**
 * Profiles in which an unverified address of this user is verified: the candidates for
 * connecting (R-ADM-10). Uses the partial unique index on verified addresses.
 */
export async function verifiedElsewhere(
  db: Db,
  userId: string,
): Promise<Array<{ emailId: string; address: string; userId: string }>> {
  const rows = await db
    .selectFrom('user_emails as mine')
    .innerJoin('user_emails as theirs', 'theirs.address_lower', 'mine.address_lower')
    .select(['mine.id as email_id', 'mine.address', 'theirs.user_id'])
    .where('mine.user_id', '=', userId)
    .where('mine.verified', '=', false)
    .where('theirs.verified', '=', true)
    .where('theirs.user_id', '!=', userId)
    .execute();
  return rows.map((r) => ({ emailId: r.email_id, address: r.address, userId: r.user_id }));
}

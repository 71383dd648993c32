import { AppError, type FieldError } from '../../shared/errors.ts';
import type { GeneralPermission, Role, SystemPermission } from '../../permissions/catalogue.ts';
import { isPowerUser } from '../../permissions/can.ts';
import type { User, UserEmail } from '../user.ts';

// R-ADM-10, connect profiles: the pure rules. From what the two profiles hold, decide what the
// merge does with every kind of data: what moves to the surviving profile, what the survivor
// keeps, and what is dropped (and so must be shown in the preview). No I/O: the service reads
// the facts inside its transaction, asks this module, and writes exactly the plan.

/** What one profile holds, as far as the merge needs to know. Rows are named by their keys. */
export interface MergeSide {
  user: User;
  emails: UserEmail[];
  linkedAccounts: string[];
  /** Group ids the user is a member of. */
  groups: string[];
  /** What the user may act on as a power user (R-IMP-02), as `kind:resourceId`. */
  resources: string[];
  /** Power users who may act on this user directly (their rows name the user as a resource). */
  assignedTo: string[];
  acceptances: Array<{ id: string; policyVersionId: string; acceptedAt: number; revoked: boolean }>;
  notifications: string[];
  /** Preference keys. */
  preferences: string[];
  sessions: number;
  loginChallenges: number;
  emailVerifications: number;
  totpEnrolments: number;
  /** OpenID Connect grants (apps signed in to through Behalf) issued to the user. */
  appGrants: string[];
  /** Impersonations not yet ended in which the user acts or is acted as. */
  openImpersonations: number;
}

export type PermissionsChoice = 'survivor' | 'union' | 'absorbed';
export type DomainChoice = 'survivor' | 'absorbed';
export interface MergeChoices {
  permissions?: PermissionsChoice | undefined;
  domain?: DomainChoice | undefined;
}

export interface Rights {
  role: Role;
  system: SystemPermission[];
  general: GeneralPermission[];
}

/**
 * Counts per table: rows of the absorbed profile that move and that are dropped (together, all
 * of its rows), and rows of the survivor replaced by an absorbed one (an earlier acceptance).
 */
export interface TableOutcome {
  moved: number;
  dropped: number;
  replaced: number;
}

export interface MergePlan {
  survivorId: string;
  absorbedId: string;
  /** Addresses unverified in one profile and verified in the other: why the two may be connected. */
  connectingAddresses: string[];
  /** Differences the administrator must decide; null when both sides agree. */
  rightsDifference: { survivor: Rights; absorbed: Rights; union: Rights } | null;
  domainDifference: { survivor: string | null; absorbed: string | null } | null;
  /** The survivor's rights and domain after the merge, per the choices (survivor's when undecided). */
  result: { rights: Rights; domainId: string | null };
  emails: {
    /** Absorbed addresses that move (the absorbed primary arrives as a secondary). */
    move: Array<{ id: string; address: string; verified: boolean }>;
    /** Absorbed copies of addresses the survivor has already. */
    drop: Array<{ id: string; address: string }>;
    /** Survivor addresses that become verified because the absorbed copy was verified. */
    verify: Array<{ id: string; address: string }>;
  };
  linkedAccounts: string[];
  groups: { move: string[]; drop: string[] };
  resources: { move: string[]; drop: string[] };
  assignments: { drop: string[] };
  acceptances: { move: string[]; drop: Array<{ id: string; side: 'survivor' | 'absorbed' }> };
  notifications: string[];
  preferences: { move: string[]; drop: string[] };
  /** The absorbed profile's own data the survivor does not take over (the survivor's stays). */
  droppedProfile: string[];
  tables: Record<MergedTable, TableOutcome>;
}

/**
 * Every column that names a user, and what the merge does with it. The test
 * (merge.test.ts) lists the user-id columns of the schema and of the database's foreign keys
 * and fails when one is missing here: a new table must decide its fate before merges run.
 */
export const userReferences = {
  'users.id': 'the survivor row stays; the absorbed row is deleted and its ID resolves to the survivor',
  'user_emails.user_id': 'moved; duplicates dropped (a verified copy verifies the survivor’s)',
  'sessions.user_id': 'the absorbed profile’s sessions end',
  'sessions.actor_id': 'refused while an impersonation by either profile runs',
  'impersonations.actor_id': 'history, kept (refused while one is open)',
  'impersonations.subject_id': 'history, kept (refused while one is open)',
  'impersonation_approvals.actor_id':
    'open requests (pending, approved and unused) withdrawn; decided ones kept as history',
  'impersonation_approvals.subject_id':
    'open requests (pending, approved and unused) withdrawn; decided ones kept as history',
  'impersonation_approvals.decided_by': 'history, kept',
  'user_preferences.user_id': 'moved when the survivor has no value for the key; else dropped',
  'login_challenges.user_id': 'dropped (sign-ins in progress)',
  'audit_events.user_id': 'kept; the audit filter finds them under the survivor',
  'audit_events.actor_id': 'kept; the audit filter finds them under the survivor',
  'audit_events.target_id': 'kept; the audit filter finds them under the survivor',
  'notifications.user_id': 'moved',
  'policy_acceptances.user_id': 'moved; of two for one version, the earlier standing one is kept',
  'policy_acceptances.accepted_on_behalf_by': 'history, kept',
  'group_members.user_id': 'moved; memberships the survivor has already are dropped',
  'power_user_resources.power_user_id': 'moved when the result is a power user; else dropped',
  'power_user_resources.resource_id': 'assignments naming the absorbed profile are dropped',
  'email_verifications.user_id': 'dropped (codes in flight)',
  'totp_enrolments.user_id': 'dropped (enrolment in progress)',
  'oidc_grant_links.user_id': 'dropped with the grants (apps must sign in again)',
  'linked_accounts.user_id': 'moved (unique pairs cannot clash)',
  'user_merges.absorbed_id': 'written by the merge: the absorbed ID resolves to the survivor',
  'user_merges.survivor_id': 'repointed to the new survivor when a survivor is absorbed later',
} as const;

export type UserReference = keyof typeof userReferences;

export const mergedTables = [
  'user_emails',
  'linked_accounts',
  'group_members',
  'power_user_resources',
  'policy_acceptances',
  'notifications',
  'user_preferences',
  'sessions',
  'login_challenges',
  'email_verifications',
  'totp_enrolments',
  'oidc_grant_links',
] as const;
export type MergedTable = (typeof mergedTables)[number];

const roleRank: Record<Role, number> = { user: 0, 'power-user': 1, superadmin: 2 };

const rightsOf = (u: User): Rights => ({
  role: u.role,
  system: [...u.systemPermissions].sort(),
  general: [...u.generalPermissions].sort(),
});

const sameRights = (a: Rights, b: Rights) =>
  a.role === b.role && a.system.join() === b.system.join() && a.general.join() === b.general.join();

const union = <T extends string>(a: readonly T[], b: readonly T[]) => [...new Set([...a, ...b])].sort();

/**
 * The addresses that connect the two profiles: unverified in one, verified in the other
 * (R-ADM-10 is the way to bring such profiles together). Lower-cased.
 */
export function connectingAddresses(a: readonly UserEmail[], b: readonly UserEmail[]): string[] {
  const verified = (list: readonly UserEmail[]) =>
    new Set(list.filter((e) => e.verified).map((e) => e.address.toLowerCase()));
  const va = verified(a);
  const vb = verified(b);
  const found = new Set<string>();
  for (const e of a) if (!e.verified && vb.has(e.address.toLowerCase())) found.add(e.address.toLowerCase());
  for (const e of b) if (!e.verified && va.has(e.address.toLowerCase())) found.add(e.address.toLowerCase());
  return [...found].sort();
}

/** The profile that survives unless the administrator picks the other: the verified holder. */
export function defaultSurvivor(a: MergeSide, b: MergeSide): string {
  const [address] = connectingAddresses(a.emails, b.emails);
  const holdsVerified = (s: MergeSide) =>
    s.emails.some((e) => e.verified && e.address.toLowerCase() === address);
  return holdsVerified(a) ? a.user.id : b.user.id;
}

/** Refusals that no choice can lift, in the order an administrator should learn them. */
export function checkPreconditions(survivor: MergeSide, absorbed: MergeSide): string[] {
  if (survivor.user.id === absorbed.user.id) {
    throw new AppError('merge_same_profile', 'A profile cannot be connected with itself.');
  }
  const addresses = connectingAddresses(survivor.emails, absorbed.emails);
  if (addresses.length === 0) {
    throw new AppError(
      'merge_not_connected',
      'Profiles can be connected only when an unverified address of one is verified in the other.',
    );
  }
  if (absorbed.user.role === 'superadmin') {
    throw new AppError(
      'merge_absorbs_superadmin',
      'A superadmin cannot be absorbed; let the superadmin profile survive instead.',
    );
  }
  if (survivor.openImpersonations > 0 || absorbed.openImpersonations > 0) {
    throw new AppError(
      'merge_impersonating',
      'One of the profiles acts as someone or is being acted as; connect them after that ends.',
    );
  }
  return addresses;
}

function decideRights(survivor: User, absorbed: User, choice: PermissionsChoice | undefined) {
  const s = rightsOf(survivor);
  const a = rightsOf(absorbed);
  const u: Rights = {
    role: roleRank[s.role] >= roleRank[a.role] ? s.role : a.role,
    system: union(s.system, a.system),
    general: union(s.general, a.general),
  };
  const difference = sameRights(s, a) ? null : { survivor: s, absorbed: a, union: u };
  const chosen =
    difference === null || choice === undefined || choice === 'survivor' ? s : choice === 'union' ? u : a;
  return { difference, chosen };
}

/**
 * The plan. With `strict`, a difference left undecided is refused (422), as the merge itself
 * must; the preview (not strict) shows the differences and plans with the survivor's side.
 */
export function planMerge(
  survivor: MergeSide,
  absorbed: MergeSide,
  choices: MergeChoices,
  strict: boolean,
): MergePlan {
  const addresses = checkPreconditions(survivor, absorbed);
  const rights = decideRights(survivor.user, absorbed.user, choices.permissions);
  const sameDomain = survivor.user.domainId === absorbed.user.domainId;
  const domainDifference = sameDomain
    ? null
    : { survivor: survivor.user.domainId, absorbed: absorbed.user.domainId };
  if (strict) requireChoices(rights.difference !== null, domainDifference !== null, choices);
  const domainId =
    domainDifference && choices.domain === 'absorbed' ? absorbed.user.domainId : survivor.user.domainId;

  const emails = planEmails(survivor.emails, absorbed.emails);
  const groups = split(absorbed.groups, new Set(survivor.groups));
  // A power user's reach comes with the role: without it the absorbed resources mean nothing.
  // A power user never has themselves in reach: rows naming either profile as a user go.
  const selfRows = new Set([`user:${survivor.user.id}`, `user:${absorbed.user.id}`, ...survivor.resources]);
  const resources = isPowerUser(rights.chosen)
    ? split(absorbed.resources, selfRows)
    : { move: [], drop: [...absorbed.resources] };
  // Power users assigned to the absorbed profile would reach the survivor's data if repointed,
  // which nobody decided: their assignments end (and are listed).
  const assignments = { drop: [...absorbed.assignedTo] };
  const acceptances = planAcceptances(survivor.acceptances, absorbed.acceptances);
  const preferences = split(absorbed.preferences, new Set(survivor.preferences));

  return {
    survivorId: survivor.user.id,
    absorbedId: absorbed.user.id,
    connectingAddresses: addresses,
    rightsDifference: rights.difference,
    domainDifference,
    result: { rights: rights.chosen, domainId },
    emails,
    linkedAccounts: [...absorbed.linkedAccounts],
    groups,
    resources,
    assignments,
    acceptances,
    notifications: [...absorbed.notifications],
    preferences,
    droppedProfile: droppedProfileFields(absorbed.user),
    tables: {
      user_emails: { moved: emails.move.length, dropped: emails.drop.length, replaced: 0 },
      linked_accounts: { moved: absorbed.linkedAccounts.length, dropped: 0, replaced: 0 },
      group_members: { moved: groups.move.length, dropped: groups.drop.length, replaced: 0 },
      power_user_resources: {
        moved: resources.move.length,
        dropped: resources.drop.length + assignments.drop.length,
        replaced: 0,
      },
      policy_acceptances: {
        moved: acceptances.move.length,
        dropped: acceptances.drop.filter((a) => a.side === 'absorbed').length,
        replaced: acceptances.drop.filter((a) => a.side === 'survivor').length,
      },
      notifications: { moved: absorbed.notifications.length, dropped: 0, replaced: 0 },
      user_preferences: { moved: preferences.move.length, dropped: preferences.drop.length, replaced: 0 },
      sessions: { moved: 0, dropped: absorbed.sessions, replaced: 0 },
      login_challenges: { moved: 0, dropped: absorbed.loginChallenges, replaced: 0 },
      email_verifications: { moved: 0, dropped: absorbed.emailVerifications, replaced: 0 },
      totp_enrolments: { moved: 0, dropped: absorbed.totpEnrolments, replaced: 0 },
      oidc_grant_links: { moved: 0, dropped: absorbed.appGrants.length, replaced: 0 },
    },
  };
}

function requireChoices(rightsDiffer: boolean, domainsDiffer: boolean, choices: MergeChoices): void {
  const missing: FieldError[] = [];
  if (rightsDiffer && choices.permissions === undefined) {
    missing.push({
      field: 'choices.permissions',
      message: 'the profiles hold different rights: choose survivor, union or absorbed',
      kind: 'required',
    });
  }
  if (domainsDiffer && choices.domain === undefined) {
    missing.push({
      field: 'choices.domain',
      message: 'the profiles belong to different domains: choose survivor or absorbed',
      kind: 'required',
    });
  }
  if (missing.length > 0) {
    throw new AppError('validation_failed', 'The profiles differ; say which side to keep.', {
      fieldErrors: missing,
    });
  }
}

function split(items: readonly string[], existing: ReadonlySet<string>) {
  return { move: items.filter((i) => !existing.has(i)), drop: items.filter((i) => existing.has(i)) };
}

function planEmails(survivor: readonly UserEmail[], absorbed: readonly UserEmail[]): MergePlan['emails'] {
  const byAddress = new Map(survivor.map((e) => [e.address.toLowerCase(), e]));
  const plan: MergePlan['emails'] = { move: [], drop: [], verify: [] };
  for (const e of absorbed) {
    const twin = byAddress.get(e.address.toLowerCase());
    if (!twin) {
      plan.move.push({ id: e.id, address: e.address, verified: e.verified });
      continue;
    }
    // Verified wins: the survivor's copy inherits the verification, the absorbed copy goes.
    if (e.verified && !twin.verified) plan.verify.push({ id: twin.id, address: twin.address });
    plan.drop.push({ id: e.id, address: e.address });
  }
  return plan;
}

/**
 * Revoked acceptances are history and always move. Of two standing acceptances of one version
 * (only one may stand per user), the earlier is kept and the later dropped.
 */
function planAcceptances(
  survivor: MergeSide['acceptances'],
  absorbed: MergeSide['acceptances'],
): MergePlan['acceptances'] {
  const standing = new Map(survivor.filter((a) => !a.revoked).map((a) => [a.policyVersionId, a]));
  const plan: MergePlan['acceptances'] = { move: [], drop: [] };
  for (const a of absorbed) {
    const twin = a.revoked ? undefined : standing.get(a.policyVersionId);
    if (!twin) {
      plan.move.push(a.id);
    } else if (a.acceptedAt < twin.acceptedAt) {
      plan.move.push(a.id);
      plan.drop.push({ id: twin.id, side: 'survivor' });
    } else {
      plan.drop.push({ id: a.id, side: 'absorbed' });
    }
  }
  return plan;
}

/** The absorbed profile's own settings the survivor does not take over (listed in the preview). */
function droppedProfileFields(u: User): string[] {
  const fields = ['firstName', 'lastName', 'gender', 'language'];
  if (u.username !== null) fields.push('username');
  if (u.hasPassword) fields.push('password');
  if (u.twoFactorMethod !== 'none') fields.push('twoFactorMethod');
  if (!u.active) fields.push('inactive');
  if (u.lockedUntil !== null) fields.push('lock');
  return fields;
}

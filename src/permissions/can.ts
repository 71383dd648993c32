import type { GeneralPermission, Role, SystemPermission } from './catalogue.ts';

// The one place that decides who may do what to whom. Pure: no I/O, tested by a table
// (can.test.ts). Every admin handler asks it first; a denial carries a stable reason, which
// becomes the problem JSON's `code`.

export interface Actor {
  id: string;
  role: Role;
  systemPermissions: readonly SystemPermission[];
  /** Support and help (R-ADM-07): rights too, so no-escalation compares them (issue 7 #5). */
  generalPermissions: readonly GeneralPermission[];
  /**
   * True while this request runs inside an impersonation. The fields above are then the
   * subject's (R-IMP-03, issue 10 #4): the console works with the subject's rights and reach,
   * and never the actor's, whose rights simply are not in this request.
   */
  impersonating: boolean;
  /** While impersonating: the person really acting, who administers their own account nowhere. */
  impersonatorId?: string | null;
}

export interface TargetUser {
  id: string;
  role: Role;
  systemPermissions: readonly SystemPermission[];
  generalPermissions: readonly GeneralPermission[];
  /**
   * For a power user acting: the target is among the users assigned to them, directly, through
   * a group or through a domain (R-IMP-02). Computed by the caller (services.orgs); absent
   * means not in reach.
   */
  inReach?: boolean;
}

export type Action =
  | 'users.read'
  | 'users.create'
  | 'users.update'
  | 'users.activate'
  | 'users.credentials'
  | 'users.permissions'
  | 'users.delete'
  | 'settings.read'
  | 'settings.manage'
  | 'audit.read'
  | 'impersonations.manage'
  | 'notifications.manage'
  | 'users.role'
  | 'users.resources'
  | 'groups.read'
  | 'groups.manage'
  | 'domains.read'
  | 'domains.manage'
  | 'apps.manage';

export type Denial = 'missing_permission' | 'self_administration' | 'target_is_superadmin' | 'escalation';

export type Decision = { allowed: true } | { allowed: false; reason: Denial };

const allow: Decision = { allowed: true };
const deny = (reason: Denial): Decision => ({ allowed: false, reason });

/**
 * The system permission each action needs from a non-superadmin; 'superadmin' for what no
 * permission grants: roles and power users' resources decide who administers whom, so only
 * superadmins set them (R-IMP-02).
 */
const required: Record<Action, SystemPermission | 'superadmin'> = {
  'users.read': 'users.read',
  'users.create': 'users.create',
  'users.update': 'users.update',
  'users.activate': 'users.update',
  'users.credentials': 'users.credentials',
  'users.permissions': 'users.permissions',
  'users.delete': 'users.delete',
  'settings.read': 'settings.read',
  'settings.manage': 'settings.manage',
  'audit.read': 'audit.read',
  // Seeing and ending others' impersonations belongs with the right to impersonate.
  'impersonations.manage': 'users.impersonate',
  'notifications.manage': 'notifications.manage',
  'users.role': 'superadmin',
  'users.resources': 'superadmin',
  // Groups and domains name users; whoever may read users may read them.
  'groups.read': 'users.read',
  'groups.manage': 'groups.manage',
  'domains.read': 'users.read',
  'domains.manage': 'domains.manage',
  // The platform's apps signing in through Behalf (issue 9): reading them shows their URIs.
  'apps.manage': 'apps.manage',
};

/** Actions on a user that R-ADM-08 forbids on oneself. Reading oneself is fine. */
const selfForbidden = new Set<Action>([
  'users.update',
  'users.activate',
  'users.credentials',
  'users.permissions',
  'users.delete',
  'users.role',
  'users.resources',
]);

export function hasSystemPermission(actor: Actor, permission: SystemPermission): boolean {
  return actor.role === 'superadmin' || actor.systemPermissions.includes(permission);
}

/** A scoped administrator (R-IMP-02): reads and acts on the users assigned to them only. */
export function isPowerUser(actor: { readonly role: string }): boolean {
  return actor.role === 'power-user';
}

/**
 * R-IMP-02: who reads users by reach (the users assigned to them) instead of by `users.read`: a
 * power user, unless granted `users.read` outright.
 */
export function readsByReach(actor: Actor): boolean {
  return isPowerUser(actor) && !hasSystemPermission(actor, 'users.read');
}

export function isAdministrator(actor: Pick<Actor, 'role' | 'systemPermissions'>): boolean {
  return actor.role === 'superadmin' || actor.systemPermissions.length > 0;
}

export function can(actor: Actor, action: Action, target?: TargetUser): Decision {
  // R-IMP-03, issue 10 #4: an impersonation session decides with the subject's rights (the
  // `actor` here is the subject). Those never exceed the real actor's own (R-IMP-02: no
  // escalation; only superadmins act as power users), so acting adds no right.
  const needed = required[action];
  const holds = needed === 'superadmin' ? actor.role === 'superadmin' : hasSystemPermission(actor, needed);
  if (!holds) {
    // R-IMP-02: a power user administers nothing, but reads the users within their reach.
    if (isPowerUser(actor) && action === 'users.read' && target?.inReach === true) return allow;
    return deny('missing_permission');
  }
  // R-IMP-09: power users neither see nor configure notification templates, whatever else
  // they hold: the texts tell users about impersonations, which power users perform.
  if (action === 'notifications.manage' && isPowerUser(actor)) return deny('missing_permission');
  if (!target) return allow;
  // One thing acting must not add: administering one's own account through someone else (R-ADM-08).
  if (actor.impersonating && target.id === actor.impersonatorId && action !== 'users.read') {
    return deny('self_administration');
  }
  if (target.id === actor.id) {
    return selfForbidden.has(action) ? deny('self_administration') : allow;
  }
  if (action === 'users.read') return allow;
  if (actor.role === 'superadmin') return allow;
  // Only superadmins administer superadmins.
  if (target.role === 'superadmin') return deny('target_is_superadmin');
  // No escalation: a system administrator administers only users whose rights, system and
  // general, are a subset of their own, otherwise they could reset the password of someone
  // mightier (or of a supporter, without support themselves) and become them.
  if (!holdsAll(actor, target.systemPermissions, target.generalPermissions)) return deny('escalation');
  return allow;
}

/**
 * May `actor` give `target` exactly these system and general permissions? Granting is bounded by
 * what the actor holds themselves (superadmins hold everything): otherwise an administrator
 * could grant "support" to an account whose password they set, and sign in as it.
 */
export function canGrant(
  actor: Actor,
  target: TargetUser,
  nextSystem: readonly SystemPermission[],
  nextGeneral: readonly GeneralPermission[],
): Decision {
  const base = can(actor, 'users.permissions', target);
  if (!base.allowed) return base;
  if (actor.role !== 'superadmin' && !holdsAll(actor, nextSystem, nextGeneral)) return deny('escalation');
  return allow;
}

function holdsAll(
  actor: Actor,
  system: readonly SystemPermission[],
  general: readonly GeneralPermission[],
): boolean {
  return isSubset(system, actor.systemPermissions) && isSubset(general, actor.generalPermissions);
}

function isSubset(a: readonly string[], b: readonly string[]): boolean {
  return a.every((x) => b.includes(x));
}

import type { GeneralPermission, Role, SystemPermission } from '../permissions/catalogue.ts';
import { isPowerUser } from '../permissions/can.ts';

// R-IMP-02, R-IMP-03, R-ADM-08, R-IMP-09, R-IMP-12: who may act as whom. Pure, and the only
// place that decides; rule.test.ts covers every pair of actor and subject kinds by table.

export interface ImpersonationActor {
  id: string;
  role: Role;
  systemPermissions: readonly SystemPermission[];
  generalPermissions: readonly GeneralPermission[];
  /** The request itself runs inside an impersonation (no nesting). */
  impersonating: boolean;
}

export interface ImpersonationSubject {
  id: string;
  role: Role;
  systemPermissions: readonly SystemPermission[];
  generalPermissions: readonly GeneralPermission[];
  active: boolean;
}

export interface ImpersonationContext {
  notificationsEnabled: boolean;
  /** Current policy versions the subject has not accepted (R-IMP-12). */
  termsPending: boolean;
  acceptTermsOnBehalf: boolean;
  /** For power users: is the subject within their assigned users, groups or domains? */
  assigned: boolean;
  /**
   * The power user is assigned at least one domain: then they act only in an assigned domain the
   * subject belongs to (seed 002). Domains that exist elsewhere restrict nobody (issue 10 #1).
   */
  restrictedToDomains: boolean;
  /** The subject's domain is one of the power user's assigned domains (and the chosen one). */
  inAssignedDomain: boolean;
}

export type DenialReason =
  | 'nested_impersonation'
  | 'self'
  | 'subject_inactive'
  | 'notifications_disabled'
  | 'missing_permission'
  | 'subject_is_superadmin'
  | 'subject_is_power_user'
  | 'not_assigned'
  | 'outside_domain'
  | 'escalation'
  | 'terms_not_accepted';

export type ImpersonationDecision =
  { allowed: true; acceptsTermsOnBehalf: boolean } | { allowed: false; reason: DenialReason };

const deny = (reason: DenialReason): ImpersonationDecision => ({ allowed: false, reason });

/**
 * R-IMP-02: whether this actor may start impersonations at all, before any subject or input is
 * looked at (a start or preview answers this 401/403 before reading its body): power users act
 * on their reach, superadmins and holders of `users.impersonate` on the system path.
 */
export function mayImpersonateAtAll(
  actor: Pick<ImpersonationActor, 'role' | 'systemPermissions' | 'impersonating'>,
): 'nested_impersonation' | 'missing_permission' | null {
  if (actor.impersonating) return 'nested_impersonation';
  if (isPowerUser(actor) || actor.role === 'superadmin') return null;
  return actor.systemPermissions.includes('users.impersonate') ? null : 'missing_permission';
}

export function decideImpersonation(
  actor: ImpersonationActor,
  subject: ImpersonationSubject,
  ctx: ImpersonationContext,
): ImpersonationDecision {
  if (actor.impersonating) return deny('nested_impersonation');
  if (actor.id === subject.id) return deny('self');
  const kindDenial = denialByKind(actor, subject, ctx);
  if (kindDenial) return deny(kindDenial);
  if (!subject.active) return deny('subject_inactive');
  if (!ctx.notificationsEnabled) return deny('notifications_disabled');
  if (ctx.termsPending) {
    // Only a superadmin may accept on the subject's behalf; everyone else is refused.
    if (actor.role !== 'superadmin' || !ctx.acceptTermsOnBehalf) return deny('terms_not_accepted');
    return { allowed: true, acceptsTermsOnBehalf: true };
  }
  return { allowed: true, acceptsTermsOnBehalf: false };
}

/**
 * The part of the rule that depends on what kind of administrator acts on what kind of user.
 * An actor may hold two administrator roles at once: the power-user role (reach over assigned
 * resources) and system permissions. Each role is a path of its own, and the actor may act as
 * whom either path allows (the union), never more: both paths refuse escalation.
 */
function denialByKind(
  actor: ImpersonationActor,
  subject: ImpersonationSubject,
  ctx: ImpersonationContext,
): DenialReason | null {
  if (actor.role === 'superadmin') {
    return subject.role === 'superadmin' ? 'subject_is_superadmin' : null;
  }
  const bySystem = actor.systemPermissions.length > 0 ? systemPath(actor, subject) : 'missing_permission';
  if (bySystem === null || !isPowerUser(actor)) return bySystem;
  const byResources = resourcePath(actor, subject, ctx);
  if (byResources === null) return null;
  // A power user without `users.impersonate` never meant to use the system path: tell them why
  // their own path refuses (e.g. not_assigned), not that they lack a permission they need not hold.
  return bySystem === 'missing_permission' ? byResources : bySystem;
}

/** R-IMP-02: a system administrator, with the impersonate permission, within their own rights. */
function systemPath(actor: ImpersonationActor, subject: ImpersonationSubject): DenialReason | null {
  if (!actor.systemPermissions.includes('users.impersonate')) return 'missing_permission';
  if (subject.role === 'superadmin') return 'subject_is_superadmin';
  // A power user's reach is a right the system path does not confer.
  if (isPowerUser(subject)) return 'escalation';
  return rightsWithin(subject, actor) ? null : 'escalation';
}

/** R-IMP-02: a power user, on the users assigned to them (in the chosen domain, if they have domains). */
function resourcePath(
  actor: ImpersonationActor,
  subject: ImpersonationSubject,
  ctx: ImpersonationContext,
): DenialReason | null {
  if (subject.role === 'superadmin') return 'subject_is_superadmin';
  if (isPowerUser(subject)) return 'subject_is_power_user';
  // Assignment is not a grant of rights: acting as an assigned user who holds a system or general
  // permission the power user lacks would hand them that permission.
  if (!rightsWithin(subject, actor)) return 'escalation';
  if (ctx.restrictedToDomains) return ctx.inAssignedDomain ? null : 'outside_domain';
  return ctx.assigned ? null : 'not_assigned';
}

/**
 * No escalation (R-IMP-02): every right the subject holds, the actor holds too. Rights are the
 * system permissions and the general permissions (support, help); the roles are handled by the
 * paths above (superadmins are never subjects of non-superadmins, power users only of
 * superadmins). A right added to the user model must be added here.
 */
export function rightsWithin(
  subject: Pick<ImpersonationSubject, 'systemPermissions' | 'generalPermissions'>,
  actor: Pick<ImpersonationActor, 'systemPermissions' | 'generalPermissions'>,
): boolean {
  return (
    subject.systemPermissions.every((p) => actor.systemPermissions.includes(p)) &&
    subject.generalPermissions.every((p) => actor.generalPermissions.includes(p))
  );
}

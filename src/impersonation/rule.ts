import type { Role, SystemPermission } from '../permissions/catalogue.ts';

// R-IMP-02, R-IMP-03, R-ADM-08, R-IMP-09, R-IMP-12: who may act as whom. Pure, and the only
// place that decides; rule.test.ts covers every pair of actor and subject kinds by table.

export interface ImpersonationActor {
  id: string;
  role: Role;
  systemPermissions: readonly SystemPermission[];
  /** The request itself runs inside an impersonation (no nesting). */
  impersonating: boolean;
}

export interface ImpersonationSubject {
  id: string;
  role: Role;
  systemPermissions: readonly SystemPermission[];
  active: boolean;
}

export interface ImpersonationContext {
  notificationsEnabled: boolean;
  /** Current policy versions the subject has not accepted (R-IMP-12). */
  termsPending: boolean;
  acceptTermsOnBehalf: boolean;
  /** For power users: is the subject within their assigned users, groups or domains? */
  assigned: boolean;
  /** With domains in use, a power user acts only in an assigned domain the subject belongs to. */
  domainsInUse: boolean;
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

/** The part of the rule that depends on what kind of administrator acts on what kind of user. */
function denialByKind(
  actor: ImpersonationActor,
  subject: ImpersonationSubject,
  ctx: ImpersonationContext,
): DenialReason | null {
  if (actor.role === 'superadmin') {
    return subject.role === 'superadmin' ? 'subject_is_superadmin' : null;
  }
  if (actor.role === 'power-user' && actor.systemPermissions.length === 0) {
    if (subject.role === 'superadmin') return 'subject_is_superadmin';
    if (subject.role === 'power-user') return 'subject_is_power_user';
    // A system administrator's rights are beyond any power user's.
    if (subject.systemPermissions.length > 0) return 'escalation';
    if (ctx.domainsInUse) return ctx.inAssignedDomain ? null : 'outside_domain';
    return ctx.assigned ? null : 'not_assigned';
  }
  if (actor.systemPermissions.length > 0) {
    if (!actor.systemPermissions.includes('users.impersonate')) return 'missing_permission';
    if (subject.role === 'superadmin') return 'subject_is_superadmin';
    // A power user's reach is a right the system administrator does not have.
    if (subject.role === 'power-user') return 'escalation';
    const subset = subject.systemPermissions.every((p) => actor.systemPermissions.includes(p));
    return subset ? null : 'escalation';
  }
  return 'missing_permission';
}

import type { DenialReason } from './rule.ts';

/** Readable explanations of each denial; the `code` of the answer is the reason itself. */
export const denialMessages: Record<DenialReason, string> = {
  nested_impersonation: 'You are acting as another user already; go back to your account first.',
  self: 'You cannot act as yourself.',
  subject_inactive: 'This user is inactive.',
  notifications_disabled: 'Impersonation needs the platform notifications switched on.',
  missing_permission: 'You do not have the permission to act as other users.',
  subject_is_superadmin: 'Nobody can act as a superadmin.',
  subject_is_power_user: 'Power users cannot act as other power users.',
  not_assigned: 'This user is not assigned to you.',
  outside_domain: 'This user is not in a domain assigned to you (or not in the domain you picked).',
  escalation: 'This user has rights you do not have.',
  terms_not_accepted:
    'This user has not accepted the current terms; only a superadmin can accept them on their behalf.',
};

/** Why an impersonation ended, as stored and as the end notification names it. */
export const endReasons = [
  'back',
  'expired',
  'logout',
  'subject_deactivated',
  'subject_deleted',
  'actor_demoted',
  'terms_revoked',
  'revoked',
  'superseded',
  /** Issue 10 #3: the handoff link was not opened within its 60 s; nobody acted, nobody is told. */
  'not_opened',
  /** Issue 12: the user ended it from "who acted as me"; the actor is told. */
  'ended_by_subject',
] as const;
export type EndReason = (typeof endReasons)[number];

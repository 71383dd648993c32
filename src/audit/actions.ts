// The audit actions this server writes, as one list: the console offers them as a filter of
// words (issue 10 #11) and the API names them (GET /api/v1/admin/audit-events/actions).
// src/audit/actions.test.ts scans the server's code and fails when an action is missing here.

export const auditActions = [
  'account.email_added',
  'account.email_primary_set',
  'account.email_removed',
  'account.email_verification_sent',
  'account.email_verified',
  'account.linked_account_removed',
  'account.other_sessions_ended',
  'account.password_changed',
  'account.profile_updated',
  'account.session_ended',
  'account.totp_enrolment_started',
  'account.two_factor_changed',
  'account.wrong_password',
  'app.created',
  'app.deleted',
  'app.secret_rotated',
  'app.signed_in_while_acting',
  'app.token_issued',
  'app.updated',
  'auth.locked',
  'auth.login',
  'auth.login_failed',
  'auth.logout',
  'auth.second_factor_failed',
  'auth.step_up',
  'auth.step_up_failed',
  'domain.created',
  'domain.deleted',
  'domain.updated',
  'group.created',
  'group.deleted',
  'group.members_changed',
  'group.updated',
  'impersonation.approval_decided',
  'impersonation.approval_requested',
  'impersonation.ended',
  'impersonation.opened',
  'impersonation.started',
  'linked_account.link_failed',
  'linked_account.linked',
  'login_service.created',
  'login_service.deleted',
  'login_service.updated',
  'notification_template.updated',
  'operator.audit_exported',
  'operator.audit_verified',
  'operator.backup_created',
  'operator.oidc_keys_rotated',
  'policy.archived',
  'policy.created',
  'policy.version_added',
  'policy.version_published',
  'settings.updated',
  'terms.accepted',
  'terms.accepted_on_behalf',
  'terms.revoked',
  'user.activated',
  'user.created',
  'user.deactivated',
  'user.deleted',
  'user.email_added',
  'user.email_primary_set',
  'user.email_removed',
  'user.email_verified',
  'user.linked_account_added',
  'user.linked_account_removed',
  'user.login_attempts_reset',
  'user.merged',
  'user.password_set',
  'user.permissions_changed',
  'user.power_user_resources_changed',
  'user.role_changed',
  'user.two_factor_changed',
  'user.updated',
] as const;

export type AuditAction = (typeof auditActions)[number];

/**
 * The shape of an action code. The filter accepts any code of this shape, not only the list
 * above: events of an action this build no longer writes stay findable.
 */
export const actionCodeShape = /^[a-z][a-z_]*(\.[a-z][a-z_]*)+$/;

/** Pure: `user.created,user.deleted` -> the codes, or null when one is not an action code. */
export function parseActionList(value: string): string[] | null {
  const codes = value
    .split(',')
    .map((c) => c.trim())
    .filter((c) => c !== '');
  if (codes.length === 0 || codes.length > auditActions.length) return null;
  return codes.every((c) => actionCodeShape.test(c)) ? [...new Set(codes)] : null;
}

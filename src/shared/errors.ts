// One error type for everything a client can cause or must be told. Services throw these;
// the HTTP edge (src/http/problem.ts) maps them once to RFC 9457 problem JSON. The codes are a
// stable, documented contract (docs/errors.md): clients branch on them, so never rename one.

export const errorStatus = {
  // 400
  bad_request: 400,
  invalid_cursor: 400,
  invalid_encoding: 400,
  json_too_deep: 400,
  // 401
  not_authenticated: 401,
  invalid_credentials: 401,
  invalid_second_factor: 401,
  // Login services (issue 8): the provider's answer did not verify, or was a refusal.
  login_service_failed: 401,
  login_service_denied: 401,
  linked_account_unknown: 401,
  // 403
  forbidden: 403,
  missing_permission: 403,
  self_administration: 403,
  target_is_superadmin: 403,
  escalation: 403,
  csrf_rejected: 403,
  admin_unavailable_while_impersonating: 403,
  blocked_during_impersonation: 403,
  // Issue 12 #2: a read-only impersonation changes nothing; some actors may only look.
  read_only_impersonation: 403,
  act_not_allowed: 403,
  // Issue 12 #3, #4: consent and four eyes before acting (src/impersonation/approval-rule.ts).
  consent_required: 403,
  approval_required: 403,
  break_glass_not_allowed: 403,
  self_approval: 403,
  // Issue 12 #5: the actor must prove their password or code again before starting.
  step_up_required: 403,
  // Impersonation refusals (src/impersonation/rule.ts): the reason is the code.
  nested_impersonation: 403,
  self: 403,
  subject_inactive: 403,
  notifications_disabled: 403,
  subject_is_superadmin: 403,
  subject_is_power_user: 403,
  not_assigned: 403,
  outside_domain: 403,
  terms_not_accepted: 403,
  handoff_not_yours: 403,
  handoff_wrong_host: 403,
  login_service_disabled: 403,
  login_service_wrong_domain: 403,
  account_inactive: 403,
  // 404
  not_found: 404,
  user_not_found: 404,
  // R-ADM-10: the ID was absorbed by connecting profiles; `survivorId` names the profile now.
  user_merged: 404,
  email_not_found: 404,
  impersonation_not_found: 404,
  notification_not_found: 404,
  template_not_found: 404,
  policy_not_found: 404,
  acceptance_not_found: 404,
  group_not_found: 404,
  domain_not_found: 404,
  session_not_found: 404,
  login_service_not_found: 404,
  linked_account_not_found: 404,
  approval_not_found: 404,
  // 405, 406, 409
  method_not_allowed: 405,
  username_taken: 409,
  email_taken: 409,
  email_exists: 409,
  conflict: 409,
  not_impersonating: 409,
  last_superadmin: 409,
  impersonation_ended: 409,
  policy_archived: 409,
  policy_version_superseded: 409,
  group_name_taken: 409,
  domain_name_taken: 409,
  host_name_taken: 409,
  domain_in_use: 409,
  no_pending_enrolment: 409,
  login_service_in_use: 409,
  linked_account_taken: 409,
  // Linked accounts and the login page (issue 8: R-ADM-11, R-ADM-16, R-ADM-17).
  last_sign_in_method: 409,
  password_login_needs_service: 409,
  password_login_needs_own_link: 409,
  // Connecting profiles (R-ADM-10, src/users/merge/merge-plan.ts).
  merge_not_connected: 409,
  merge_absorbs_superadmin: 409,
  merge_impersonating: 409,
  // Issue 10 #14: codes by e-mail need a mail transport that delivers them.
  mail_transport_missing: 409,
  approval_decided: 409,
  approval_not_needed: 409,
  handoff_invalid: 410,
  // 412, 413, 415
  precondition_failed: 412,
  payload_too_large: 413,
  unsupported_media_type: 415,
  // 422
  validation_failed: 422,
  confirmation_required: 422,
  password_policy: 422,
  totp_requires_enrolment: 422,
  last_email: 422,
  primary_email: 422,
  username_admin_immutable: 422,
  unknown_permission: 422,
  unknown_capability: 422,
  reason_required: 422,
  duration_too_long: 422,
  break_glass_reason_required: 422,
  domain_required: 422,
  unknown_domain: 422,
  invalid_policy_parent: 422,
  policy_version_not_current: 422,
  not_a_power_user: 422,
  wrong_password: 422,
  invalid_code: 422,
  email_not_verified: 422,
  merge_same_profile: 422,
  // Input that looks like something else or cannot be delivered (issue 7 #19).
  username_invalid: 422,
  username_mixed_scripts: 422,
  email_too_long: 422,
  control_characters: 422,
  // 428
  precondition_required: 428,
  // 429
  too_many_requests: 429,
  account_locked: 429,
  rate_limited: 429,
  // 5xx
  internal_error: 500,
  login_service_unavailable: 502,
  service_unavailable: 503,
} as const;

export type ErrorCode = keyof typeof errorStatus;

/**
 * What is wrong with one field, as a stable machine word (issue 10 #8): clients show their own
 * text for it in their language (the web app's `errors.fields.<kind>`), so `message` is only
 * the English text for API users. The first group are zod's issue codes, which the request
 * schemas produce; the rest are the services' own checks. Never rename one.
 */
export const fieldErrorKinds = [
  // zod (src/http/problem.ts passes the code and its parameters through)
  'invalid_type',
  'too_small',
  'too_big',
  'invalid_format',
  'not_multiple_of',
  'unrecognized_keys',
  'invalid_union',
  'invalid_key',
  'invalid_element',
  'invalid_value',
  'custom',
  // refinements that name their own code (src/shared/text-fields.ts, src/http/text-guard.ts)
  'username_invalid',
  'username_mixed_scripts',
  'email_too_long',
  'control_characters',
  'broken_text',
  // the services' own checks
  'required',
  'taken',
  'already_an_address',
  'verified_elsewhere',
  'admin_immutable',
  'not_confirmed',
  'wrong_password',
  'invalid_code',
  'needs_email',
  'not_found',
  'current_session',
  'unknown_permission',
  'unknown_capability',
  'too_many_additions',
  'invalid_host_name',
  'insecure_issuer',
  'invalid_scopes',
  'invalid_uri',
  'unknown_variable',
  'invalid_parent',
  'not_current',
  'outside_service_domain',
  'password_too_short',
  'password_too_long',
  'password_needs_lowercase',
  'password_needs_uppercase',
  'password_needs_digit',
  'password_needs_symbol',
] as const;

export type FieldErrorKind = (typeof fieldErrorKinds)[number];

export interface FieldError {
  /** Dotted path of the offending field, e.g. `email` or `emails.0.address`. */
  field: string;
  /** English, for API users reading the answer; clients translate `kind` instead. */
  message: string;
  kind: FieldErrorKind;
  /**
   * Where the field was sent, for schema errors: the query string or the body (issue 10 #17),
   * so `?limit=0` is not mistaken for a body member named `limit`.
   */
  in?: 'query' | 'body';
  /** Values the text needs, e.g. `{ minimum: 8 }` for too_small; names as in zod's issues. */
  params?: Record<string, unknown>;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly fieldErrors: FieldError[] | undefined;
  /** Extra members for the problem document (never secrets). */
  readonly extra: Record<string, unknown> | undefined;
  /** Seconds, for 429/503 answers. */
  readonly retryAfter: number | undefined;

  constructor(
    code: ErrorCode,
    detail: string,
    options: { fieldErrors?: FieldError[]; extra?: Record<string, unknown>; retryAfter?: number } = {},
  ) {
    super(detail);
    this.name = 'AppError';
    this.code = code;
    this.status = errorStatus[code];
    this.fieldErrors = options.fieldErrors;
    this.extra = options.extra;
    this.retryAfter = options.retryAfter;
  }
}

export function isAppError(value: unknown): value is AppError {
  return value instanceof AppError;
}

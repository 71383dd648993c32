import type { Generated } from 'kysely';

// The tables as Kysely sees them. Timestamps are integer milliseconds since the epoch in both
// dialects (BIGINT in PostgreSQL, INTEGER in SQLite) so that no mapper guesses time zones.
// Booleans come back as true/false from PostgreSQL and 1/0 from SQLite: store modules read them
// with Boolean(), never with === true.
// JSON columns are TEXT in both dialects, parsed by the store that owns them.

export type DbBool = boolean | number;

export interface UsersTable {
  id: string;
  username: string | null;
  username_lower: string | null;
  /** The PRECIS comparison key of the username (src/users/username.ts), unique (0014). */
  username_key: string | null;
  first_name: string;
  last_name: string;
  gender: string;
  language: string;
  /** Copy of the primary address, kept by the e-mail store in the same transaction: the
   * user list sorts and filters by it at a million rows, which a join cannot do fast. */
  primary_email: string | null;
  role: string;
  general_permissions: string;
  system_permissions: string;
  active: DbBool;
  password_hash: string | null;
  password_changed_at: number | null;
  two_factor_method: string;
  totp_secret: string | null;
  failed_logins: number;
  locked_until: number | null;
  /** 1 when the last attempt found the account locked (0010; see src/auth/attempts.store.ts). */
  last_attempt_refused?: number;
  /** Lower-cased names, username, id and addresses: what the admin search matches. */
  search_text: string;
  created_at: number;
  updated_at: number;
  version: number;
  /** The domain (sub-tenant) the user belongs to, or none (0006). Optional here so that
   * writers that predate domains insert users without naming it (the column defaults to null). */
  domain_id?: string | null;
}

export interface UserEmailsTable {
  id: string;
  user_id: string;
  address: string;
  address_lower: string;
  verified: DbBool;
  verified_at: number | null;
  is_primary: DbBool;
  created_at: number;
}

export interface SessionsTable {
  id: string;
  token_hash: string;
  user_id: string;
  created_at: number;
  last_seen_at: number;
  absolute_expires_at: number;
  ip: string | null;
  user_agent: string | null;
  /** Set on an impersonation session: the impersonation it belongs to, and who really acts. */
  impersonation_id: string | null;
  actor_id: string | null;
  /** Set on an actor's own session while an impersonation stands in for it. */
  suspended_by: string | null;
  /** The user's rights changed: the next request swaps this session's token (issue 7 #14). */
  rotate_required: DbBool;
  /** The token a rotation replaced, and when: still accepted for a few seconds (in flight). */
  previous_token_hash: string | null;
  rotated_at: number | null;
  /** When the owner last proved a credential on the server: sign-in or step-up (0023, issue 12 #5). */
  proven_at?: number | null;
}

export interface ImpersonationsTable {
  id: string;
  actor_id: string;
  actor_label: string;
  actor_session_id: string;
  subject_id: string;
  subject_label: string;
  reason: string;
  origin: string;
  domain_id: string | null;
  planned_minutes: number;
  terms_accepted_on_behalf: DbBool;
  started_at: number;
  expires_at: number;
  handed_off_at: number | null;
  ended_at: number | null;
  end_reason: string | null;
  /** Issue 12 #2: 'act' or 'read-only' (0018). */
  mode: string;
}

/** Issue 12 #3, #4: consent and four-eyes requests before a start (0020). */
export interface ImpersonationApprovalsTable {
  id: string;
  /** 'consent' | 'four_eyes' */
  kind: string;
  actor_id: string;
  actor_label: string;
  subject_id: string;
  subject_label: string;
  reason: string;
  planned_minutes: number;
  /** 'pending' | 'approved' | 'declined' | 'used' | 'expired' | 'withdrawn' */
  status: string;
  decided_by: string | null;
  decided_at: number | null;
  /** Pending: until when it may be decided; approved: until when it may be used. */
  expires_at: number;
  /** SHA-256 of the mail link's token (consent only); null once decided. */
  token_hash: string | null;
  used_by_impersonation: string | null;
  created_at: number;
}

export interface ImpersonationHandoffsTable {
  token_hash: string;
  impersonation_id: string;
  actor_session_id: string;
  expires_at: number;
  used_at: number | null;
  /** The host[:port] the handoff must be opened on (a domain's host name); null: the platform's. */
  host: string | null;
}

export interface UserPreferencesTable {
  user_id: string;
  key: string;
  value: string;
  updated_at: number;
}

export interface ImpersonationPreferencesTable {
  impersonation_id: string;
  key: string;
  value: string;
  updated_at: number;
}

export interface LoginChallengesTable {
  id: string;
  token_hash: string;
  user_id: string;
  method: string;
  code_hash: string | null;
  attempts: number;
  created_at: number;
  expires_at: number;
}

export interface SettingsTable {
  id: number;
  document: string;
  version: number;
  updated_at: number;
}

export interface AuditEventsTable {
  seq: Generated<number>;
  id: string;
  occurred_at: number;
  request_id: string | null;
  action: string;
  /** Whose account the action was done as (the subject while impersonating). */
  user_id: string | null;
  user_label: string | null;
  /** The person who really acted; equals user_id unless impersonating. */
  actor_id: string | null;
  actor_label: string | null;
  impersonation_id: string | null;
  /** The reason the actor gave for the impersonation this happened in. */
  impersonation_reason: string | null;
  target_type: string;
  target_id: string | null;
  /** A readable name of the target, kept so the trail stays readable after a deletion. */
  target_label: string | null;
  changes: string | null;
  details: string | null;
  ip: string | null;
  /** The hash chain (audit/chain.ts): the previous event's hash and this one's. */
  prev_hash: string;
  hash: string;
  /** 1: written before keying (unkeyed chain only); 2: position and mac are set (audit/chain.ts). */
  chain_version: Generated<number>;
  /** The event's place in the chain, dense (previous + 1); null for version 1 events. */
  position: number | null;
  /** HMAC-SHA-256 of `hash` with the server's audit key (not in the database); null for version 1. */
  mac: string | null;
}

/** Signed statements "the chain had this head hash at this position" (audit/checkpoint.ts). */
export interface AuditCheckpointsTable {
  id: string;
  position: number;
  head_hash: string;
  created_at: number;
  key_id: string;
  /** Ed25519 signature (base64) of checkpointMessage(). */
  signature: string;
}

export interface OutboxTable {
  id: string;
  kind: string;
  recipient: string;
  subject: string;
  body_text: string;
  created_at: number;
  available_at: number;
  attempts: number;
  last_error: string | null;
  sent_at: number | null;
  /** pending | sent | logged | failed (0004); see mail/mail-worker.ts. Defaults to pending. */
  status: Generated<string>;
  /** While a worker holds the row (0004): no other worker claims it before this time. */
  lease_until: number | null;
  lease_owner: string | null;
  /** The Message-ID the mail went out with, derived from `id` (0004). */
  message_id: string | null;
}

export interface NotificationsTable {
  id: string;
  user_id: string;
  type: string;
  title: string;
  body: string;
  impersonation_id: string | null;
  created_at: number;
  read_at: number | null;
}

/** Templates an administrator changed; the others are built-in defaults (0004). */
export interface NotificationTemplatesTable {
  type: string;
  language: string;
  subject: string;
  body: string;
  enabled: DbBool;
  updated_at: number;
  version: number;
}

export interface PoliciesTable {
  id: string;
  kind: string;
  parent_id: string | null;
  title: string;
  created_at: number;
  archived_at: number | null;
}

export interface PolicyVersionsTable {
  id: string;
  policy_id: string;
  number: number;
  body: string;
  created_at: number;
  published_at: number | null;
}

export interface PolicyAcceptancesTable {
  id: string;
  user_id: string;
  policy_version_id: string;
  accepted_at: number;
  /** The person who accepted for the user (R-IMP-12), or null when the user did. */
  accepted_on_behalf_by: string | null;
  impersonation_id: string | null;
  revoked_at: number | null;
}

/** Sub-tenants (0006). `name_lower` carries the case-insensitive unique index. */
export interface DomainsTable {
  id: string;
  name: string;
  name_lower: string;
  /** Lower-cased DNS host name, unique; null when the domain has none. */
  host_name: string | null;
  created_at: number;
  version: number;
}

export interface GroupsTable {
  id: string;
  name: string;
  name_lower: string;
  created_at: number;
  version: number;
}

export interface GroupMembersTable {
  group_id: string;
  user_id: string;
}

/** What a power user may act on (R-IMP-02): `resource_id` names a user, group or domain. */
export interface PowerUserResourcesTable {
  power_user_id: string;
  kind: 'user' | 'group' | 'domain';
  resource_id: string;
}

/** A code that verifies an address the user added in My Profile; only its hash is stored. */
export interface EmailVerificationsTable {
  email_id: string;
  user_id: string;
  code_hash: string;
  attempts: Generated<number>;
  created_at: number;
  expires_at: number;
}

/** An authenticator app being enrolled, until a code from it confirms the secret. */
export interface TotpEnrolmentsTable {
  user_id: string;
  secret: string;
  attempts: Generated<number>;
  created_at: number;
  expires_at: number;
}

/** One row that unknown logins update as a wrong password updates its user (issue 7 #13). */
export interface LoginDecoysTable {
  id: number;
  failed_logins: number;
  locked_until: number | null;
  last_attempt_refused: number;
}

/** oidc-provider's stored models (issue 9, src/oidc/adapter.ts). */
export interface OidcPayloadsTable {
  model: string;
  id: string;
  payload: string;
  grant_id: string | null;
  uid: string | null;
  user_code: string | null;
  expires_at: number | null;
  consumed_at: number | null;
}

export interface OidcKeysTable {
  kid: string;
  jwk: string;
  created_at: number;
}

export interface OidcAppsTable {
  id: string;
  name: string;
  type: string;
  first_party: DbBool;
  redirect_uris: string;
  post_logout_redirect_uris: string;
  backchannel_logout_uri: string | null;
  scopes: string;
  secret_ciphertext: string | null;
  created_at: number;
  updated_at: number;
}

export interface OidcGrantLinksTable {
  grant_id: string;
  user_id: string;
  session_id: string;
  impersonation_id: string | null;
  created_at: number;
  /** The app (0017); null on links written before it. */
  client_id: Generated<string | null>;
  /** The provider's session id for this app (0017), from the grant's first code. */
  sid: Generated<string | null>;
  /** When the grant's Behalf session or impersonation ended (0017): tokens refused, app told once. */
  ended_at: Generated<number | null>;
}

/** Back-channel logout tokens to send (0017, src/oidc/logout-worker.ts). */
export interface OidcLogoutDeliveriesTable {
  id: string;
  client_id: string;
  sub: string;
  sid: string | null;
  /** Why: an impersonation's end reason, 'logout' or 'rp_logout'. */
  cause: string;
  /** pending | delivered | failed */
  status: Generated<string>;
  created_at: number;
  available_at: number;
  attempts: Generated<number>;
  last_error: string | null;
  lease_owner: string | null;
  lease_until: number | null;
  delivered_at: number | null;
}

/** External login services (issue 8): one OpenID Connect provider per row (0016). */
export interface LoginServicesTable {
  id: string;
  display_name: string;
  display_name_de: string | null;
  issuer: string;
  client_id: string;
  /** Sealed with src/shared/secret-box.ts; never answered. */
  secret_ciphertext: string;
  /** JSON array of scope names. */
  scopes: string;
  show_on_sign_in: DbBool;
  allow_linking: DbBool;
  link_by_verified_email: DbBool;
  trust_provider_mfa: DbBool;
  /** Only users of this domain may sign in or be linked through the service; null: everyone. */
  domain_id: string | null;
  created_at: number;
  updated_at: number;
  version: number;
}

/** A user's account at a login service (R-ADM-11); (service_id, subject) is unique (0016). */
export interface LinkedAccountsTable {
  id: string;
  user_id: string;
  service_id: string;
  subject: string;
  /** The e-mail address the provider gave, as it gave it; informative only. */
  email: string | null;
  /** 'profile' (the user signed in at the service from My Profile), 'admin' (the wizard),
   * 'email' (linked at sign-in by a verified address, where the service allows it), 'merge'. */
  linked_via: string;
  linked_at: number;
  last_used_at: number | null;
}

/** A started authorization request at a login service, consumed once by its callback (0016). */
export interface LoginServiceFlowsTable {
  /** SHA-256 of the `state` parameter: the row alone cannot finish a flow. */
  state_hash: string;
  service_id: string;
  /** 'sign-in' or 'link'. */
  purpose: string;
  /** For 'link': the Behalf session the flow is bound to. */
  session_id: string | null;
  nonce: string;
  code_verifier: string;
  return_to: string;
  created_at: number;
  expires_at: number;
}

/** R-ADM-10: an absorbed profile's ID and the profile it was connected into (0019). */
export interface UserMergesTable {
  absorbed_id: string;
  survivor_id: string;
  /** The absorbed profile's display name at the merge, for readable history. */
  absorbed_label: string;
  merged_at: number;
}

export interface Schema {
  user_merges: UserMergesTable;
  login_services: LoginServicesTable;
  linked_accounts: LinkedAccountsTable;
  login_service_flows: LoginServiceFlowsTable;
  oidc_payloads: OidcPayloadsTable;
  oidc_keys: OidcKeysTable;
  oidc_apps: OidcAppsTable;
  oidc_grant_links: OidcGrantLinksTable;
  oidc_logout_deliveries: OidcLogoutDeliveriesTable;
  impersonations: ImpersonationsTable;
  impersonation_approvals: ImpersonationApprovalsTable;
  impersonation_handoffs: ImpersonationHandoffsTable;
  user_preferences: UserPreferencesTable;
  impersonation_preferences: ImpersonationPreferencesTable;
  users: UsersTable;
  user_emails: UserEmailsTable;
  sessions: SessionsTable;
  login_challenges: LoginChallengesTable;
  settings: SettingsTable;
  audit_events: AuditEventsTable;
  audit_checkpoints: AuditCheckpointsTable;
  outbox: OutboxTable;
  domains: DomainsTable;
  groups: GroupsTable;
  group_members: GroupMembersTable;
  power_user_resources: PowerUserResourcesTable;
  notifications: NotificationsTable;
  notification_templates: NotificationTemplatesTable;
  policies: PoliciesTable;
  policy_versions: PolicyVersionsTable;
  policy_acceptances: PolicyAcceptancesTable;
  email_verifications: EmailVerificationsTable;
  totp_enrolments: TotpEnrolmentsTable;
  login_decoys: LoginDecoysTable;
}

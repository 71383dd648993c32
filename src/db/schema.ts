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
  /** Lower-cased names, username, id and addresses: what the admin search matches. */
  search_text: string;
  created_at: number;
  updated_at: number;
  version: number;
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
}

export interface Schema {
  users: UsersTable;
  user_emails: UserEmailsTable;
  sessions: SessionsTable;
  login_challenges: LoginChallengesTable;
  settings: SettingsTable;
  audit_events: AuditEventsTable;
  outbox: OutboxTable;
}

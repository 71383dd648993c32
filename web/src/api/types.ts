// Shapes of the server's answers, as documented in GET /api/v1/openapi.json. Only what the web
// app reads is spelled out; add fields here when a page needs them.

export type Role = 'user' | 'power-user' | 'superadmin';
export type Language = 'de' | 'en';
export type Tag =
  'active' | 'inactive' | 'system-administrator' | 'superadmin' | 'power-user' | 'locked' | 'cannot-log-in';

export interface Principal {
  id: string;
  displayName: string;
  username: string | null;
  primaryEmail: string | null;
  language: string;
  role: Role;
}

export interface PendingTerm {
  versionId: string;
  policyId: string;
  kind: 'privacy' | 'terms';
  title: string;
}

export interface Impersonation {
  id: string;
  /** `language`: the actor's, in which the banner speaks to them (issue 10 #6). */
  actor: { id: string; displayName: string; language: string };
  startedAt: string;
  expiresAt: string;
  reason: string;
  /** Where "back to your account" returns: the user list or the power-user page. */
  origin: string;
  /** Issue 12 #2: "read-only" sessions look and change nothing. */
  mode: 'act' | 'read-only';
}

export interface Session {
  user: Principal;
  permissions: { general: string[]; system: string[] };
  impersonation: Impersonation | null;
  blockedCapabilities: string[];
  pendingTerms: PendingTerm[];
  /** Only on the answer that gave this browser its own session back after an impersonation ended. */
  resumedAfter?: EndedImpersonation | null;
}

/** An impersonation that ended while the administrator was away (issue 10 #5). */
export interface EndedImpersonation {
  impersonationId: string;
  subject: string;
  endReason: string;
  endedAt: string;
  origin: 'users' | 'power-users';
}

export interface LoginAnswer {
  user?: Principal;
  secondFactorRequired: boolean;
  method?: 'email' | 'totp';
  pendingTerms?: PendingTerm[];
}

export interface UserListItem {
  id: string;
  username: string | null;
  firstName: string;
  lastName: string;
  displayName: string;
  primaryEmail: string | null;
  active: boolean;
  role: Role;
  createdAt: string;
  tags: Tag[];
  domainId: string | null;
}

export interface UserListPage {
  items: UserListItem[];
  nextCursor: string | null;
  /** `capped`: more may match; shown as "1000+". */
  total: { count: number; capped: boolean };
}

export interface Notification {
  id: string;
  type: string;
  read: boolean;
  title: string;
  body: string;
  createdAt: string;
}

export interface NotificationPage {
  items: Notification[];
  unreadCount: number;
  nextCursor: string | null;
}

export interface AccountTerms {
  pending: {
    versionId: string;
    policyId: string;
    parentId: string | null;
    kind: 'privacy' | 'terms';
    title: string;
    number: number;
    publishedAt: string;
    body: string;
  }[];
  accepted: {
    policyId: string;
    versionId: string;
    kind: 'privacy' | 'terms';
    title: string;
    number: number;
    acceptedAt: string;
    onBehalf: boolean;
  }[];
}

export interface ImpersonationStarted {
  impersonationId: string;
  handoffUrl: string;
  expiresAt: string;
}

export type Gender = 'female' | 'male' | 'diverse' | 'unspecified';
export type TwoFactorMethod = 'none' | 'email' | 'totp';

export interface UserEmail {
  id: string;
  address: string;
  verified: boolean;
  verifiedAt: string | null;
  primary: boolean;
}

/** GET /api/v1/admin/users/{id} (R-ADM-03): the user page's data; its ETag travels beside it. */
export interface UserDetail {
  id: string;
  username: string | null;
  firstName: string;
  lastName: string;
  displayName: string;
  gender: Gender;
  language: Language;
  primaryEmail: string | null;
  emails: UserEmail[];
  active: boolean;
  role: Role;
  permissions: { general: string[]; system: string[] };
  hasPassword: boolean;
  twoFactorMethod: TwoFactorMethod;
  failedLogins: number;
  lockedUntil: string | null;
  createdAt: string;
  updatedAt: string;
  domainId: string | null;
  tags: Tag[];
}

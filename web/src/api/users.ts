import type { ApprovalsPreview } from './approvals.ts';
import { api } from './client.ts';
import type { ImpersonationStarted, UserListItem, UserListPage } from './types.ts';
import type { StepUpStatus } from './step-up.ts';

export interface UserListQuery {
  q?: string;
  limit?: number;
  cursor?: string | null;
  sort?: UserSort;
  status?: string | null;
  role?: string | null;
  tag?: string | null;
  domain?: string | null;
}

/** The orders GET /api/v1/admin/users sorts by; a leading `-` is descending. */
export type UserSort =
  '-createdAt' | 'createdAt' | 'lastName' | '-lastName' | 'email' | '-email' | 'username';

export const listUsers = (query: UserListQuery, signal?: AbortSignal) =>
  api.get<UserListPage>('/api/v1/admin/users', { query: { ...query }, signal });

/** The exact number of users a search and its filters find, up to 100,000 (issue 10 #17). */
export const countUsers = (query: Omit<UserListQuery, 'limit' | 'cursor' | 'sort'>) =>
  api.get<UserListPage['total']>('/api/v1/admin/users/count', { query: { ...query } });

export interface StartImpersonation {
  reason: string;
  durationMinutes: number;
  origin?: 'users' | 'power-users';
  domainId?: string;
  acceptTermsOnBehalf?: boolean;
  /** Issue 12 #2: "read-only" looks only. */
  mode?: 'act' | 'read-only';
  /** Issue 12 #3: a superadmin acts without the user's consent. */
  breakGlass?: boolean;
}

export const startImpersonation = (userId: string, input: StartImpersonation) =>
  api.post<ImpersonationStarted>(`/api/v1/admin/users/${encodeURIComponent(userId)}/impersonation`, input);

/** The part of the application settings the admin pages read (needs settings.read). */
export interface ImpersonationSettings {
  reasonRequired: boolean;
  maxDurationMinutes: number;
  blockedCapabilities: string[];
}

export const getSettings = () =>
  api.get<{ impersonation: ImpersonationSettings } & Record<string, unknown>>('/api/v1/admin/settings');

/** POST /api/v1/admin/users (R-ADM-01): the minimal profile; the address starts unverified. */
export interface CreateUserInput {
  email: string;
  username?: string;
  firstName: string;
  lastName: string;
  gender: 'female' | 'male' | 'diverse' | 'unspecified';
  language: 'de' | 'en';
  domainId?: string | null;
}

export const createUser = (input: CreateUserInput) =>
  api.post<UserListItem & { id: string }>('/api/v1/admin/users', input);

/** GET /api/v1/admin/users/{id}/impersonation/preview: may I act as this user, and what to ask. */
export interface ImpersonationPreview {
  allowed: boolean;
  /** The refusal code a start would answer (`subject_is_power_user`, `not_assigned`, ...). */
  code: string | null;
  message: string | null;
  /** A superadmin must accept pending terms on the user's behalf. */
  needsTermsAcceptance: boolean;
  domainRequired: boolean;
  domains: { id: string; name: string; hostName: string | null }[];
  reasonRequired: boolean;
  maxDurationMinutes: number;
  /** Issue 12 #2: the mode to preselect, and whether "act" may be picked at all. */
  defaultMode: 'act' | 'read-only';
  actAllowed: boolean;
  /** Issue 12 #3, #4: consent and four eyes this start needs. */
  approvals: ApprovalsPreview;
  /** Issue 12 #5: prove the password or code again before starting, when `required`. */
  stepUp: StepUpStatus;
}

export const previewImpersonation = (userId: string, signal?: AbortSignal) =>
  api.get<ImpersonationPreview>(`/api/v1/admin/users/${encodeURIComponent(userId)}/impersonation/preview`, {
    signal,
  });

export interface DomainSummary {
  id: string;
  name: string;
  hostName: string | null;
  createdAt: string;
}

/** All domains, by name (needs users.read). */
export const listDomains = () => api.get<{ items: DomainSummary[] }>('/api/v1/admin/domains');

/** The signed-in person's interface preferences (R-IMP-13: while acting, the server keeps changes apart). */
export const getPreferences = () =>
  api.get<{ preferences: Record<string, unknown> }>('/api/v1/account/preferences');

export const setPreference = (key: string, value: unknown) =>
  api.put<void>(`/api/v1/account/preferences/${encodeURIComponent(key)}`, { value });

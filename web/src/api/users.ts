import { api } from './client.ts';
import type { ImpersonationStarted, UserListPage } from './types.ts';

export interface UserListQuery {
  q?: string;
  limit?: number;
  cursor?: string | null;
  sort?: string;
  status?: string;
  role?: string;
  tag?: string;
}

export const listUsers = (query: UserListQuery, signal?: AbortSignal) =>
  api.get<UserListPage>('/api/v1/admin/users', { query: { ...query }, signal });

export interface StartImpersonation {
  reason: string;
  durationMinutes: number;
  origin?: 'users' | 'power-users';
  domainId?: string;
  acceptTermsOnBehalf?: boolean;
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

import { api } from './client.ts';
import type { NotificationPage } from './types.ts';

export const listNotifications = (cursor?: string | null, limit = 20) =>
  api.get<NotificationPage>('/api/v1/account/notifications', { query: { cursor, limit } });

export const markNotificationRead = (id: string) =>
  api.post<void>(`/api/v1/account/notifications/${encodeURIComponent(id)}/read`);

// --- My Profile (R-ADM-16) ---

export type Gender = 'female' | 'male' | 'diverse' | 'unspecified';
export type TwoFactorMethod = 'none' | 'email' | 'totp';

export interface OwnEmail {
  id: string;
  address: string;
  verified: boolean;
  verifiedAt: string | null;
  primary: boolean;
  /** A code was mailed and still works. */
  verificationPending: boolean;
}

export interface Profile {
  id: string;
  username: string | null;
  firstName: string;
  lastName: string;
  displayName: string;
  gender: Gender;
  language: 'de' | 'en';
  primaryEmail: string | null;
  emails: OwnEmail[];
  hasPassword: boolean;
  twoFactorMethod: TwoFactorMethod;
  createdAt: string;
}

export interface ProfilePatch {
  firstName?: string;
  lastName?: string;
  gender?: Gender;
  language?: 'de' | 'en';
  username?: string;
}

export interface OwnSession {
  id: string;
  current: boolean;
  createdAt: string;
  lastSeenAt: string;
  ip: string | null;
  userAgent: string | null;
}

export interface TotpEnrolment {
  manualEntryKey: string;
  uri: string;
  expiresAt: string;
}

export interface AccountTerms {
  pending: Array<{ versionId: string; policyId: string; kind: string; title: string; number: number }>;
  accepted: Array<{
    policyId: string;
    versionId: string;
    kind: 'privacy' | 'terms';
    title: string;
    number: number;
    acceptedAt: string;
    onBehalf: boolean;
  }>;
}

export const getProfile = () => api.get<Profile>('/api/v1/account/profile');
export const updateProfile = (patch: ProfilePatch) => api.patch<Profile>('/api/v1/account/profile', patch);

export const addEmail = (address: string) => api.post<Profile>('/api/v1/account/emails', { address });
export const resendEmailCode = (id: string) =>
  api.post<Profile>(`/api/v1/account/emails/${encodeURIComponent(id)}/verification`);
export const verifyEmail = (id: string, code: string) =>
  api.post<Profile>(`/api/v1/account/emails/${encodeURIComponent(id)}/verify`, { code });
export const makeEmailPrimary = (id: string) =>
  api.put<Profile>(`/api/v1/account/emails/${encodeURIComponent(id)}/primary`);
export const removeEmail = (id: string) =>
  api.delete<Profile>(`/api/v1/account/emails/${encodeURIComponent(id)}`);

export const changePassword = (currentPassword: string, newPassword: string) =>
  api.put<void>('/api/v1/account/password', { currentPassword, newPassword });

export const startTotpEnrolment = () => api.post<TotpEnrolment>('/api/v1/account/two-factor/totp');
export const confirmTotp = (code: string) =>
  api.post<Profile>('/api/v1/account/two-factor/totp/confirm', { code });
export const setTwoFactorMethod = (method: 'none' | 'email', password?: string) =>
  api.put<Profile>('/api/v1/account/two-factor', { method, password });

export const listOwnSessions = () => api.get<{ items: OwnSession[] }>('/api/v1/account/sessions');
export const endOwnSession = (id: string) =>
  api.delete<void>(`/api/v1/account/sessions/${encodeURIComponent(id)}`);
export const endOtherSessions = () => api.delete<{ ended: number }>('/api/v1/account/sessions');

export const getAccountTerms = () => api.get<AccountTerms>('/api/v1/account/terms');
export const revokeTerms = (policyId: string) =>
  api.delete<void>(`/api/v1/account/terms/${encodeURIComponent(policyId)}`);

import { api, versioned } from './client.ts';

// Linked accounts at login services (R-ADM-11, R-ADM-16): My Profile and the admin user page.

export interface LinkedAccount {
  id: string;
  serviceId: string;
  serviceName: string;
  serviceNameDe: string | null;
  subject: string;
  email: string | null;
  linkedVia: 'profile' | 'admin' | 'email' | 'merge';
  linkedAt: string;
  lastUsedAt: string | null;
  /** The service is shown on the sign-in page, so this link is a way to sign in. */
  usableForSignIn: boolean;
}

export interface LinkableService {
  id: string;
  displayName: string;
  displayNameDe: string | null;
}

export const listOwnLinks = () =>
  api.get<{ items: LinkedAccount[]; linkable: LinkableService[] }>('/api/v1/account/linked-accounts');
export const removeOwnLink = (id: string) =>
  api.delete<void>(`/api/v1/account/linked-accounts/${encodeURIComponent(id)}`);
/** Where My Profile's "link" button goes: the login service's sign-in, bound to this session. */
export const linkStartUrl = (serviceId: string) =>
  `/api/v1/account/linked-accounts/link/${encodeURIComponent(serviceId)}?returnTo=${encodeURIComponent('/profile')}`;

const userLinks = (userId: string) => `/api/v1/admin/users/${encodeURIComponent(userId)}/linked-accounts`;

/** The user's links, and every login service (for the wizard). */
export const listUserLinks = (userId: string) =>
  api.get<{ items: LinkedAccount[]; services: LinkableService[] }>(userLinks(userId));
export const linkUserAccount = (userId: string, etag: string, serviceId: string, subject: string) =>
  versioned<LinkedAccount>('POST', userLinks(userId), { body: { serviceId, subject }, etag });
export const removeUserLink = (userId: string, etag: string, linkId: string) =>
  versioned<void>('DELETE', `${userLinks(userId)}/${encodeURIComponent(linkId)}`, { etag });

/** The service's name in the interface's language. */
export const serviceName = (s: { serviceName: string; serviceNameDe: string | null }, language: string) =>
  language === 'de' && s.serviceNameDe ? s.serviceNameDe : s.serviceName;

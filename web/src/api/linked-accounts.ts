import { call, callVersioned, client, ifMatch } from './client.ts';
import type { Schemas } from './types.ts';

// Linked accounts at login services (R-ADM-11, R-ADM-16): My Profile and the admin user page.

export type LinkedAccount = Schemas['LinkedAccount'];
export type LinkableService = Schemas['LinkableService'];

export const listOwnLinks = () => call(client.GET('/api/v1/account/linked-accounts'));
export const removeOwnLink = (linkId: string) =>
  call(client.DELETE('/api/v1/account/linked-accounts/{linkId}', { params: { path: { linkId } } }));
/** Where My Profile's "link" button goes: the login service's sign-in, bound to this session. */
export const linkStartUrl = (serviceId: string) =>
  `/api/v1/account/linked-accounts/link/${encodeURIComponent(serviceId)}?returnTo=${encodeURIComponent('/profile')}`;

/** The user's links, and every login service (for the wizard). */
export const listUserLinks = (userId: string) =>
  call(client.GET('/api/v1/admin/users/{id}/linked-accounts', { params: { path: { id: userId } } }));
export const linkUserAccount = (userId: string, etag: string, serviceId: string, subject: string) =>
  callVersioned(
    client.POST('/api/v1/admin/users/{id}/linked-accounts', {
      params: { path: { id: userId } },
      body: { serviceId, subject },
      headers: ifMatch(etag),
    }),
  );
export const removeUserLink = (userId: string, etag: string, linkId: string) =>
  callVersioned(
    client.DELETE('/api/v1/admin/users/{id}/linked-accounts/{linkId}', {
      params: { path: { id: userId, linkId } },
      headers: ifMatch(etag),
    }),
  );

/** The service's name in the interface's language. */
export const serviceName = (s: { serviceName: string; serviceNameDe: string | null }, language: string) =>
  language === 'de' && s.serviceNameDe ? s.serviceNameDe : s.serviceName;

import { api } from './client.ts';

// External login services (issue 8): the console's administration (settings.manage) and the
// buttons of the sign-in pages. The client secret is write-only: answers only say it is set.

const id = encodeURIComponent;

export interface LoginService {
  id: string;
  displayName: string;
  displayNameDe: string | null;
  issuer: string;
  clientId: string;
  clientSecretSet: true;
  scopes: string[];
  showOnSignIn: boolean;
  allowLinking: boolean;
  linkByVerifiedEmail: boolean;
  trustProviderMfa: boolean;
  domainId: string | null;
  redirectUri: string;
  createdAt: string;
  updatedAt: string;
}

export interface LoginServiceInput {
  displayName: string;
  displayNameDe: string | null;
  issuer: string;
  clientId: string;
  /** Only when set or replaced. */
  clientSecret?: string;
  scopes: string[];
  showOnSignIn: boolean;
  allowLinking: boolean;
  linkByVerifiedEmail: boolean;
  trustProviderMfa: boolean;
  domainId: string | null;
}

export interface ShownLoginService {
  id: string;
  displayName: string;
  displayNameDe: string | null;
}

export const listLoginServices = () => api.get<{ items: LoginService[] }>('/api/v1/admin/login-services');
export const createLoginService = (input: LoginServiceInput) =>
  api.post<LoginService>('/api/v1/admin/login-services', input);
export const updateLoginService = (serviceId: string, input: Partial<LoginServiceInput>) =>
  api.patch<LoginService>(`/api/v1/admin/login-services/${id(serviceId)}`, input);
export const deleteLoginService = (serviceId: string, force: boolean) =>
  api.delete<void>(
    `/api/v1/admin/login-services/${id(serviceId)}`,
    force ? { query: { force: 'true' } } : {},
  );
export const checkLoginService = (serviceId: string) =>
  api.post<{ issuer: string; authorizationEndpoint: string; tokenEndpoint: string }>(
    `/api/v1/admin/login-services/${id(serviceId)}/check`,
  );

/** The services with a button on the sign-in pages (no session needed). */
export const shownLoginServices = () => api.get<ShownLoginService[]>('/api/v1/auth/login-services');

/** Where a sign-in button leads: a plain navigation (the server redirects to the provider). */
export const loginServiceStartUrl = (serviceId: string, returnTo: string) =>
  `/api/v1/auth/login-services/${id(serviceId)}/start?returnTo=${encodeURIComponent(returnTo)}`;

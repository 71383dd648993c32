import { call, client } from './client.ts';
import type { Schemas } from './types.ts';

// External login services (issue 8): the console's administration (settings.manage) and the
// buttons of the sign-in pages. The client secret is write-only: answers only say it is set.

export type LoginService = Schemas['LoginService'];
/** `clientSecret` only when set or replaced. */
export type LoginServiceInput = Omit<Schemas['CreateLoginServiceInput'], 'clientSecret'> & {
  clientSecret?: string;
};
export type ShownLoginService = Schemas['ShownLoginServices'][number];

const byId = (id: string) => ({ params: { path: { id } } });

export const listLoginServices = () => call(client.GET('/api/v1/admin/login-services'));
export const createLoginService = (input: LoginServiceInput) =>
  // Without a secret the server answers a field error, which the form shows at the field.
  call(client.POST('/api/v1/admin/login-services', { body: input as Schemas['CreateLoginServiceInput'] }));
export const updateLoginService = (serviceId: string, input: Partial<LoginServiceInput>) =>
  call(client.PATCH('/api/v1/admin/login-services/{id}', { ...byId(serviceId), body: input }));
export const deleteLoginService = (serviceId: string, force: boolean) =>
  call(
    client.DELETE('/api/v1/admin/login-services/{id}', {
      params: { path: { id: serviceId }, query: force ? { force: 'true' } : {} },
    }),
  );
export const checkLoginService = (serviceId: string) =>
  call(client.POST('/api/v1/admin/login-services/{id}/check', byId(serviceId)));

/** The services with a button on the sign-in pages (no session needed). */
export const shownLoginServices = () => call(client.GET('/api/v1/auth/login-services'));

/** Where a sign-in button leads: a plain navigation (the server redirects to the provider). */
export const loginServiceStartUrl = (serviceId: string, returnTo: string) =>
  `/api/v1/auth/login-services/${encodeURIComponent(serviceId)}/start?returnTo=${encodeURIComponent(returnTo)}`;

import { call, client } from './client.ts';
import type { Schemas } from './types.ts';

// The platform's apps that sign in through Behalf (issue 9, `apps.manage`). A confidential
// app's secret is answered only by create and rotate, once.

export type PlatformApp = Schemas['App'];
export type AppType = PlatformApp['type'];
export const appScopes = ['openid', 'profile', 'email', 'offline_access'] as const;

export type AppFields = Pick<
  PlatformApp,
  'name' | 'redirectUris' | 'postLogoutRedirectUris' | 'backchannelLogoutUri' | 'firstParty' | 'scopes'
>;

const byId = (id: string) => ({ params: { path: { id } } });

type AppScope = (typeof appScopes)[number];
// The form's multi-select holds plain strings; it offers only appScopes, and the server
// answers a field error for any other.
const body = <F extends { scopes: string[] }>(fields: F) => ({
  ...fields,
  scopes: fields.scopes as AppScope[],
});

export const listApps = () => call(client.GET('/api/v1/admin/apps'));
export const createApp = (fields: AppFields & { type: AppType }) =>
  call(client.POST('/api/v1/admin/apps', { body: body(fields) }));
export const updateApp = (appId: string, fields: AppFields) =>
  call(client.PATCH('/api/v1/admin/apps/{id}', { ...byId(appId), body: body(fields) }));
export const rotateAppSecret = (appId: string) =>
  call(client.POST('/api/v1/admin/apps/{id}/secret', byId(appId)));
export const deleteApp = (appId: string) => call(client.DELETE('/api/v1/admin/apps/{id}', byId(appId)));

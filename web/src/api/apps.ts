import { api } from './client.ts';

// The platform's apps that sign in through Behalf (issue 9, `apps.manage`). A confidential
// app's secret is answered only by create and rotate, once.

const id = encodeURIComponent;

export type AppType = 'confidential' | 'public';
export const appScopes = ['openid', 'profile', 'email', 'offline_access'] as const;

export interface PlatformApp {
  id: string;
  clientId: string;
  name: string;
  type: AppType;
  firstParty: boolean;
  redirectUris: string[];
  postLogoutRedirectUris: string[];
  backchannelLogoutUri: string | null;
  scopes: string[];
  createdAt: string;
  updatedAt: string;
}

export interface AppFields {
  name: string;
  redirectUris: string[];
  postLogoutRedirectUris: string[];
  backchannelLogoutUri: string | null;
  firstParty: boolean;
  scopes: string[];
}

export const listApps = () => api.get<{ items: PlatformApp[] }>('/api/v1/admin/apps');
export const createApp = (fields: AppFields & { type: AppType }) =>
  api.post<{ clientId: string; clientSecret?: string; app: PlatformApp }>('/api/v1/admin/apps', fields);
export const updateApp = (appId: string, fields: AppFields) =>
  api.patch<PlatformApp>(`/api/v1/admin/apps/${id(appId)}`, fields);
export const rotateAppSecret = (appId: string) =>
  api.post<{ clientId: string; clientSecret: string }>(`/api/v1/admin/apps/${id(appId)}/secret`);
export const deleteApp = (appId: string) => api.delete<void>(`/api/v1/admin/apps/${id(appId)}`);

import { call, client } from './client.ts';

/**
 * `acting`: this page shows an impersonation; after its end the server answers 401 (the page
 * shows the end and the way back) instead of resuming the administrator's own session.
 */
export const getSession = (signal?: AbortSignal, acting = false) =>
  call(
    client.GET('/api/v1/session', { params: { query: acting ? { acting: 'true' as const } : {} }, signal }),
  );

export const login = (login: string, password: string) =>
  call(client.POST('/api/v1/auth/login', { body: { login, password } }));

export const completeSecondFactor = (code: string) =>
  call(client.POST('/api/v1/auth/login/second-factor', { body: { code } }));

export const logout = () => call(client.POST('/api/v1/auth/logout'));

export const getAccountTerms = () => call(client.GET('/api/v1/account/terms'));

export const acceptTerms = (versionIds: string[]) =>
  call(client.POST('/api/v1/account/terms/accept', { body: { versionIds } }));

import { api } from './client.ts';
import type { AccountTerms, LoginAnswer, Session } from './types.ts';

/**
 * `acting`: this page shows an impersonation; after its end the server answers 401 (the page
 * shows the end and the way back) instead of resuming the administrator's own session.
 */
export const getSession = (signal?: AbortSignal, acting = false) =>
  api.get<Session>(acting ? '/api/v1/session?acting=true' : '/api/v1/session', { signal });

export const login = (login: string, password: string) =>
  api.post<LoginAnswer>('/api/v1/auth/login', { login, password });

export const completeSecondFactor = (code: string) =>
  api.post<LoginAnswer>('/api/v1/auth/login/second-factor', { code });

export const logout = () => api.post<void>('/api/v1/auth/logout');

export const getAccountTerms = () => api.get<AccountTerms>('/api/v1/account/terms');

export const acceptTerms = (versionIds: string[]) =>
  api.post<void>('/api/v1/account/terms/accept', { versionIds });

import { api } from './client.ts';
import type { AccountTerms, LoginAnswer, Session } from './types.ts';

export const getSession = (signal?: AbortSignal) => api.get<Session>('/api/v1/session', { signal });

export const login = (login: string, password: string) =>
  api.post<LoginAnswer>('/api/v1/auth/login', { login, password });

export const completeSecondFactor = (code: string) =>
  api.post<LoginAnswer>('/api/v1/auth/login/second-factor', { code });

export const logout = () => api.post<void>('/api/v1/auth/logout');

export const getAccountTerms = () => api.get<AccountTerms>('/api/v1/account/terms');

export const acceptTerms = (versionIds: string[]) =>
  api.post<void>('/api/v1/account/terms/accept', { versionIds });

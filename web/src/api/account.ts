import { call, client } from './client.ts';
import type { Schemas } from './types.ts';

const byId = (id: string) => ({ params: { path: { id } } });
const byEmail = (emailId: string) => ({ params: { path: { emailId } } });

export const listNotifications = (cursor?: string | null, limit = 20) =>
  call(
    client.GET('/api/v1/account/notifications', {
      params: { query: { cursor: cursor ?? undefined, limit } },
    }),
  );

export const markNotificationRead = (id: string) =>
  call(client.POST('/api/v1/account/notifications/{id}/read', byId(id)));

// --- My Profile (R-ADM-16) ---

export type Gender = Schemas['Profile']['gender'];
export type TwoFactorMethod = Schemas['Profile']['twoFactorMethod'];
export type OwnEmail = Schemas['OwnEmail'];
export type Profile = Schemas['Profile'];
export type ProfilePatch = Schemas['ProfilePatchInput'];
export type OwnSession = Schemas['OwnSession'];
export type TotpEnrolment = Schemas['TotpEnrolment'];
export type AccountTerms = Schemas['AccountTerms'];

export const getProfile = () => call(client.GET('/api/v1/account/profile'));
export const updateProfile = (patch: ProfilePatch) =>
  call(client.PATCH('/api/v1/account/profile', { body: patch }));

export const addEmail = (address: string) =>
  call(client.POST('/api/v1/account/emails', { body: { address } }));
export const resendEmailCode = (id: string) =>
  call(client.POST('/api/v1/account/emails/{emailId}/verification', byEmail(id)));
export const verifyEmail = (id: string, code: string) =>
  call(client.POST('/api/v1/account/emails/{emailId}/verify', { ...byEmail(id), body: { code } }));
export const makeEmailPrimary = (id: string) =>
  call(client.PUT('/api/v1/account/emails/{emailId}/primary', byEmail(id)));
export const removeEmail = (id: string) =>
  call(client.DELETE('/api/v1/account/emails/{emailId}', byEmail(id)));

export const changePassword = (currentPassword: string, newPassword: string) =>
  call(client.PUT('/api/v1/account/password', { body: { currentPassword, newPassword } }));

export const startTotpEnrolment = () => call(client.POST('/api/v1/account/two-factor/totp'));
export const confirmTotp = (code: string) =>
  call(client.POST('/api/v1/account/two-factor/totp/confirm', { body: { code } }));
export const setTwoFactorMethod = (method: 'none' | 'email', password?: string) =>
  call(client.PUT('/api/v1/account/two-factor', { body: { method, password } }));

export const listOwnSessions = () => call(client.GET('/api/v1/account/sessions'));
export const endOwnSession = (id: string) => call(client.DELETE('/api/v1/account/sessions/{id}', byId(id)));
export const endOtherSessions = () => call(client.DELETE('/api/v1/account/sessions'));

export const getAccountTerms = () => call(client.GET('/api/v1/account/terms'));
export const revokeTerms = (policyId: string) =>
  call(client.DELETE('/api/v1/account/terms/{policyId}', { params: { path: { policyId } } }));

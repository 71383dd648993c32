import { call, callVersioned, client, ifMatch } from './client.ts';
import type { Role, Schemas, TwoFactorMethod, UserDetail } from './types.ts';

// The user page (R-ADM-02..15): one user, read with its ETag, and every edit sent with
// If-Match so that a change made meanwhile by someone else answers 412 and changes nothing.

/** A user as read or as an edit left it, with the ETag the next edit must send. */
export interface Versioned {
  user: UserDetail;
  etag: string;
}

/** Keeps the answer's user and ETag. */
async function userCall(pending: Parameters<typeof callVersioned<UserDetail>>[0]): Promise<Versioned> {
  const { data, etag } = await callVersioned(pending);
  return { user: data, etag: etag ?? '' };
}

const byId = (id: string) => ({ params: { path: { id } } });
const byEmail = (id: string, emailId: string) => ({ params: { path: { id, emailId } } });

export const getUser = (id: string, signal?: AbortSignal) =>
  userCall(client.GET('/api/v1/admin/users/{id}', { ...byId(id), signal }));

export type ProfileChanges = Schemas['UpdateUserInput'];

export const updateUser = (id: string, etag: string, changes: ProfileChanges) =>
  userCall(client.PATCH('/api/v1/admin/users/{id}', { ...byId(id), body: changes, headers: ifMatch(etag) }));

export const setPermissions = (
  id: string,
  etag: string,
  permissions: { general: string[]; system: string[] },
) =>
  userCall(
    client.PUT('/api/v1/admin/users/{id}/permissions', {
      ...byId(id),
      body: permissions,
      headers: ifMatch(etag),
    }),
  );

export const setRole = (id: string, etag: string, role: Role) =>
  userCall(
    client.PUT('/api/v1/admin/users/{id}/role', { ...byId(id), body: { role }, headers: ifMatch(etag) }),
  );

export const addEmail = (id: string, etag: string, address: string, verified: boolean) =>
  userCall(
    client.POST('/api/v1/admin/users/{id}/emails', {
      ...byId(id),
      body: { address, verified },
      headers: ifMatch(etag),
    }),
  );

export const makePrimary = (id: string, etag: string, emailId: string) =>
  userCall(
    client.POST('/api/v1/admin/users/{id}/emails/{emailId}/primary', {
      ...byEmail(id, emailId),
      headers: ifMatch(etag),
    }),
  );

export const verifyEmail = (id: string, etag: string, emailId: string) =>
  userCall(
    client.POST('/api/v1/admin/users/{id}/emails/{emailId}/verify', {
      ...byEmail(id, emailId),
      headers: ifMatch(etag),
    }),
  );

export const removeEmail = (id: string, etag: string, emailId: string) =>
  userCall(
    client.DELETE('/api/v1/admin/users/{id}/emails/{emailId}', {
      ...byEmail(id, emailId),
      headers: ifMatch(etag),
    }),
  );

/** R-ADM-12: a policy-conforming password; nothing is stored until setPassword. */
export const generatePassword = (id: string) =>
  call(client.POST('/api/v1/admin/users/{id}/password/generate', byId(id)));

/** Answers 204 without the user: read it again for the next ETag. */
export const setPassword = (id: string, etag: string, password: string) =>
  call(
    client.PUT('/api/v1/admin/users/{id}/password', {
      ...byId(id),
      body: { password },
      headers: ifMatch(etag),
    }),
  );

export const setTwoFactor = (id: string, etag: string, method: TwoFactorMethod) =>
  userCall(
    client.PUT('/api/v1/admin/users/{id}/two-factor', {
      ...byId(id),
      body: { method },
      headers: ifMatch(etag),
    }),
  );

/** R-ADM-14; answers 204: read the user again. */
export const resetLoginAttempts = (id: string, etag: string) =>
  call(client.DELETE('/api/v1/admin/users/{id}/login-attempts', { ...byId(id), headers: ifMatch(etag) }));

/** R-ADM-15: `confirm` is the user's ID as typed. */
export const deleteUser = (id: string, etag: string, confirm: string) =>
  call(
    client.DELETE('/api/v1/admin/users/{id}', {
      params: { path: { id }, query: { confirm } },
      headers: ifMatch(etag),
    }),
  );

/** The user's recent history: events by, as or to them (needs audit.read; issue 10 #11). */
export const userHistory = (id: string, limit = 10) =>
  call(client.GET('/api/v1/admin/audit-events', { params: { query: { personId: id, limit } } }));

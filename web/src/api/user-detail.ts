import { api, versioned, type RequestOptions } from './client.ts';
import type { AuditPage } from './audit.ts';
import type { Gender, Language, Role, TwoFactorMethod, UserDetail } from './types.ts';

// The user page (R-ADM-02..15): one user, read with its ETag, and every edit sent with
// If-Match so that a change made meanwhile by someone else answers 412 and changes nothing.

/** A user as read or as an edit left it, with the ETag the next edit must send. */
export interface Versioned {
  user: UserDetail;
  etag: string;
}

const base = (id: string) => `/api/v1/admin/users/${encodeURIComponent(id)}`;

/** Sends a call that answers with the user, keeping the answer's ETag (`etag` goes as If-Match). */
async function userCall(
  method: string,
  path: string,
  options: RequestOptions & { etag?: string } = {},
): Promise<Versioned> {
  const { data, etag } = await versioned<UserDetail>(method, path, options);
  return { user: data, etag: etag ?? '' };
}

const ifMatch = (etag: string): RequestOptions => ({ headers: { 'if-match': etag } });

export const getUser = (id: string, signal?: AbortSignal) => userCall('GET', base(id), { signal });

export interface ProfileChanges {
  firstName?: string;
  lastName?: string;
  gender?: Gender;
  language?: Language;
  active?: boolean;
  domainId?: string | null;
}

export const updateUser = (id: string, etag: string, changes: ProfileChanges) =>
  userCall('PATCH', base(id), { body: changes, etag });

export const setPermissions = (
  id: string,
  etag: string,
  permissions: { general: string[]; system: string[] },
) => userCall('PUT', `${base(id)}/permissions`, { body: permissions, etag });

export const setRole = (id: string, etag: string, role: Role) =>
  userCall('PUT', `${base(id)}/role`, { body: { role }, etag });

export const addEmail = (id: string, etag: string, address: string, verified: boolean) =>
  userCall('POST', `${base(id)}/emails`, { body: { address, verified }, etag });

export const makePrimary = (id: string, etag: string, emailId: string) =>
  userCall('POST', `${base(id)}/emails/${encodeURIComponent(emailId)}/primary`, { body: {}, etag });

export const verifyEmail = (id: string, etag: string, emailId: string) =>
  userCall('POST', `${base(id)}/emails/${encodeURIComponent(emailId)}/verify`, { body: {}, etag });

export const removeEmail = (id: string, etag: string, emailId: string) =>
  userCall('DELETE', `${base(id)}/emails/${encodeURIComponent(emailId)}`, { etag });

/** R-ADM-12: a policy-conforming password; nothing is stored until setPassword. */
export const generatePassword = (id: string) =>
  api.post<{ password: string }>(`${base(id)}/password/generate`, {});

/** Answers 204 without the user: read it again for the next ETag. */
export const setPassword = (id: string, etag: string, password: string) =>
  api.put<void>(`${base(id)}/password`, { password }, ifMatch(etag));

export const setTwoFactor = (id: string, etag: string, method: TwoFactorMethod) =>
  userCall('PUT', `${base(id)}/two-factor`, { body: { method }, etag });

/** R-ADM-14; answers 204: read the user again. */
export const resetLoginAttempts = (id: string, etag: string) =>
  api.delete<void>(`${base(id)}/login-attempts`, ifMatch(etag));

/** R-ADM-15: `confirm` is the user's ID as typed. */
export const deleteUser = (id: string, etag: string, confirm: string) =>
  api.delete<void>(base(id), { ...ifMatch(etag), query: { confirm } });

/** The user's recent history: events by, as or to them (needs audit.read; issue 10 #11). */
export const userHistory = (id: string, limit = 10) =>
  api.get<AuditPage>('/api/v1/admin/audit-events', { query: { personId: id, limit } });

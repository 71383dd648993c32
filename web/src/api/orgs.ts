import { api, versioned } from './client.ts';
import type { Role, UserListItem, UserListPage } from './types.ts';

// Groups, domains and power users (R-IMP-02). Writes to them carry the version the page saw
// (If-Match with the ETag of the read), so a change made meanwhile by someone else answers 412
// instead of being overwritten (`versioned` in client.ts).

const id = encodeURIComponent;

// Users, for pickers and the power-user list.

export const searchUsers = (q: string, query: { role?: Role; limit?: number } = {}) =>
  api.get<UserListPage>('/api/v1/admin/users', { query: { q, limit: 20, ...query } });

export const listPowerUsers = (cursor: string | null) =>
  api.get<UserListPage>('/api/v1/admin/users', {
    query: { role: 'power-user', limit: 100, sort: 'lastName', cursor },
  });

export const setRole = (userId: string, role: Role) =>
  api.put<UserListItem>(`/api/v1/admin/users/${id(userId)}/role`, { role });

// Groups.

export interface Group {
  id: string;
  name: string;
  memberCount: number;
  createdAt: string;
}

export interface Member {
  id: string;
  displayName: string;
  primaryEmail: string | null;
}

export const listGroups = () => api.get<{ items: Group[] }>('/api/v1/admin/groups');
export const getGroup = (groupId: string) => versioned<Group>('GET', `/api/v1/admin/groups/${id(groupId)}`);
export const createGroup = (name: string) => api.post<Group>('/api/v1/admin/groups', { name });
export const renameGroup = (groupId: string, name: string, etag: string | null) =>
  versioned<Group>('PATCH', `/api/v1/admin/groups/${id(groupId)}`, { body: { name }, etag });
export const deleteGroup = (groupId: string, etag: string | null) =>
  versioned<void>('DELETE', `/api/v1/admin/groups/${id(groupId)}`, { etag });
export const getMembers = (groupId: string) =>
  versioned<{ users: Member[] }>('GET', `/api/v1/admin/groups/${id(groupId)}/members`);
export const setMembers = (groupId: string, users: string[], etag: string | null) =>
  versioned<{ users: Member[] }>('PUT', `/api/v1/admin/groups/${id(groupId)}/members`, {
    body: { users },
    etag,
  });

// Domains.

export interface Domain {
  id: string;
  name: string;
  hostName: string | null;
  createdAt: string;
}

export const listDomains = () => api.get<{ items: Domain[] }>('/api/v1/admin/domains');
export const getDomain = (domainId: string) =>
  versioned<Domain>('GET', `/api/v1/admin/domains/${id(domainId)}`);
export const createDomain = (name: string, hostName: string | null) =>
  api.post<Domain>('/api/v1/admin/domains', { name, hostName });
export const updateDomain = (
  domainId: string,
  change: { name?: string; hostName?: string | null },
  etag: string | null,
) => versioned<Domain>('PATCH', `/api/v1/admin/domains/${id(domainId)}`, { body: change, etag });
export const deleteDomain = (domainId: string, etag: string | null) =>
  versioned<void>('DELETE', `/api/v1/admin/domains/${id(domainId)}`, { etag });

// A power user's resources.

export interface PowerUserResources {
  users: Member[];
  groups: { id: string; name: string }[];
  domains: { id: string; name: string; hostName: string | null }[];
}

export const getResources = (userId: string) =>
  versioned<PowerUserResources>('GET', `/api/v1/admin/users/${id(userId)}/power-user-resources`);
export const setResources = (
  userId: string,
  resources: { users: string[]; groups: string[]; domains: string[] },
  etag: string | null,
) =>
  versioned<PowerUserResources>('PUT', `/api/v1/admin/users/${id(userId)}/power-user-resources`, {
    body: resources,
    etag,
  });

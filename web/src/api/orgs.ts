import { call, callVersioned, client, ifMatch } from './client.ts';
import type { Role, Schemas } from './types.ts';

// Groups, domains and power users (R-IMP-02). Writes to them carry the version the page saw
// (If-Match with the ETag of the read), so a change made meanwhile by someone else answers 412
// instead of being overwritten (`callVersioned` and `ifMatch` in client.ts).

const byId = (id: string) => ({ params: { path: { id } } });

// Users, for pickers and the power-user list.

export const searchUsers = (q: string, query: { role?: Role; limit?: number } = {}) =>
  call(client.GET('/api/v1/admin/users', { params: { query: { q, limit: 20, ...query } } }));

export const listPowerUsers = (cursor: string | null) =>
  call(
    client.GET('/api/v1/admin/users', {
      params: { query: { role: 'power-user', limit: 100, sort: 'lastName', cursor: cursor ?? undefined } },
    }),
  );

export const setRole = (userId: string, role: Role) =>
  call(client.PUT('/api/v1/admin/users/{id}/role', { ...byId(userId), body: { role } }));

// Groups.

export type Group = Schemas['Group'];
export type Member = Schemas['GroupMembers']['users'][number];

export const listGroups = () => call(client.GET('/api/v1/admin/groups'));
export const getGroup = (groupId: string) =>
  callVersioned(client.GET('/api/v1/admin/groups/{id}', byId(groupId)));
export const createGroup = (name: string) => call(client.POST('/api/v1/admin/groups', { body: { name } }));
export const renameGroup = (groupId: string, name: string, etag: string | null) =>
  callVersioned(
    client.PATCH('/api/v1/admin/groups/{id}', { ...byId(groupId), body: { name }, headers: ifMatch(etag) }),
  );
export const deleteGroup = (groupId: string, etag: string | null) =>
  callVersioned(client.DELETE('/api/v1/admin/groups/{id}', { ...byId(groupId), headers: ifMatch(etag) }));
export const getMembers = (groupId: string) =>
  callVersioned(client.GET('/api/v1/admin/groups/{id}/members', byId(groupId)));
export const setMembers = (groupId: string, users: string[], etag: string | null) =>
  callVersioned(
    client.PUT('/api/v1/admin/groups/{id}/members', {
      ...byId(groupId),
      body: { users },
      headers: ifMatch(etag),
    }),
  );

// Domains.

export type Domain = Schemas['Domain'];

export const listDomains = () => call(client.GET('/api/v1/admin/domains'));
export const getDomain = (domainId: string) =>
  callVersioned(client.GET('/api/v1/admin/domains/{id}', byId(domainId)));
export const createDomain = (name: string, hostName: string | null) =>
  call(client.POST('/api/v1/admin/domains', { body: { name, hostName } }));
export const updateDomain = (
  domainId: string,
  change: { name?: string; hostName?: string | null },
  etag: string | null,
) =>
  callVersioned(
    client.PATCH('/api/v1/admin/domains/{id}', { ...byId(domainId), body: change, headers: ifMatch(etag) }),
  );
export const deleteDomain = (domainId: string, etag: string | null) =>
  callVersioned(client.DELETE('/api/v1/admin/domains/{id}', { ...byId(domainId), headers: ifMatch(etag) }));

// A power user's resources.

export type PowerUserResources = Schemas['PowerUserResources'];

export const getResources = (userId: string) =>
  callVersioned(client.GET('/api/v1/admin/users/{id}/power-user-resources', byId(userId)));
export const setResources = (
  userId: string,
  resources: { users: string[]; groups: string[]; domains: string[] },
  etag: string | null,
) =>
  callVersioned(
    client.PUT('/api/v1/admin/users/{id}/power-user-resources', {
      ...byId(userId),
      body: resources,
      headers: ifMatch(etag),
    }),
  );

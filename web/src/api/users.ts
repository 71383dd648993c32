import { call, client } from './client.ts';
import type { paths } from './schema';
import type { Schemas } from './types.ts';

type ListQuery = NonNullable<paths['/api/v1/admin/users']['get']['parameters']['query']>;

/** The orders GET /api/v1/admin/users sorts by; a leading `-` is descending. */
export type UserSort = NonNullable<ListQuery['sort']>;

export interface UserListQuery {
  q?: string;
  limit?: number;
  cursor?: string | null;
  sort?: UserSort;
  status?: string | null;
  role?: string | null;
  tag?: string | null;
  domain?: string | null;
}

const byId = (id: string) => ({ params: { path: { id } } });

/**
 * The page's filters as the query the server reads: an empty filter (null) is left out; the
 * select boxes offer only the values the schema names.
 */
const listQuery = (query: Partial<UserListQuery>) =>
  Object.fromEntries(Object.entries(query).filter(([, v]) => v !== null && v !== undefined)) as ListQuery;

export const listUsers = (query: UserListQuery, signal?: AbortSignal) =>
  call(client.GET('/api/v1/admin/users', { params: { query: listQuery(query) }, signal }));

/** The exact number of users a search and its filters find, up to 100,000 (issue 10 #17). */
export const countUsers = (query: Omit<UserListQuery, 'limit' | 'cursor' | 'sort'>) =>
  call(client.GET('/api/v1/admin/users/count', { params: { query: listQuery(query) } }));

export type StartImpersonation = NonNullable<
  paths['/api/v1/admin/users/{id}/impersonation']['post']['requestBody']
>['content']['application/json'];

export const startImpersonation = (userId: string, input: StartImpersonation) =>
  call(client.POST('/api/v1/admin/users/{id}/impersonation', { ...byId(userId), body: input }));

/** The part of the application settings the admin pages read (needs settings.read). */
export type ImpersonationSettings = Schemas['Settings']['impersonation'];

export const getSettings = () => call(client.GET('/api/v1/admin/settings'));

/** POST /api/v1/admin/users (R-ADM-01): the minimal profile; the address starts unverified. */
export type CreateUserInput = Schemas['CreateUserInput'];

export const createUser = (input: CreateUserInput) =>
  call(client.POST('/api/v1/admin/users', { body: input }));

/** GET /api/v1/admin/users/{id}/impersonation/preview: may I act as this user, and what to ask. */
export type ImpersonationPreview = Schemas['ImpersonationPreview'];

export const previewImpersonation = (userId: string, signal?: AbortSignal) =>
  call(client.GET('/api/v1/admin/users/{id}/impersonation/preview', { ...byId(userId), signal }));

export type DomainSummary = Schemas['Domain'];

/** All domains, by name (needs users.read). */
export const listDomains = () => call(client.GET('/api/v1/admin/domains'));

/** The signed-in person's interface preferences (R-IMP-13: while acting, the server keeps changes apart). */
export const getPreferences = () => call(client.GET('/api/v1/account/preferences'));

// Any JSON value; the generated type of the route's recursive JSON schema is too narrow to say so.
export const setPreference = (key: string, value: unknown) =>
  call(
    client.PUT('/api/v1/account/preferences/{key}', {
      params: { path: { key } },
      body: { value: value as never },
    }),
  );

import { call, client } from './client.ts';
import type { Schemas } from './types.ts';

// Running (and ended) impersonations, for holders of users.impersonate.

export type ImpersonationRecord = Schemas['Impersonation'];

export const listImpersonations = (active: boolean, signal?: AbortSignal) =>
  call(
    client.GET('/api/v1/admin/impersonations', {
      params: { query: { active: active ? 'true' : 'false', limit: 200 } },
      signal,
    }),
  );

export const endImpersonation = (id: string) =>
  call(client.DELETE('/api/v1/admin/impersonations/{id}', { params: { path: { id } } }));

import { call, client } from './client.ts';
import type { Schemas } from './types.ts';

// Issue 12, "who acted as me": the impersonations of the signed-in user's account.

export type ImpersonationOfMe = Schemas['ImpersonationOfMe'];
export type DoneWhileActing = Schemas['DoneWhileActing'];

const byId = (id: string) => ({ params: { path: { id } } });

export const listImpersonationsOfMe = (cursor?: string) =>
  call(client.GET('/api/v1/account/impersonations', { params: { query: { cursor } } }));
export const getImpersonationOfMe = (id: string) =>
  call(client.GET('/api/v1/account/impersonations/{id}', byId(id)));
export const endImpersonationOfMe = (id: string) =>
  call(client.DELETE('/api/v1/account/impersonations/{id}', byId(id)));

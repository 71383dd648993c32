import { api } from './client.ts';

// Issue 12, "who acted as me": the impersonations of the signed-in user's account.

export interface ImpersonationOfMe {
  id: string;
  actor: { displayName: string };
  reason: string;
  startedAt: string;
  expiresAt: string;
  openedAt: string | null;
  endedAt: string | null;
  endReason: string | null;
  active: boolean;
}

export interface DoneWhileActing {
  at: string;
  action: string;
  targetType: string;
  targetLabel: string | null;
  fields: string[];
}

export const listImpersonationsOfMe = (cursor?: string) =>
  api.get<{ items: ImpersonationOfMe[]; nextCursor: string | null }>(
    `/api/v1/account/impersonations${cursor ? `?cursor=${encodeURIComponent(cursor)}` : ''}`,
  );
export const getImpersonationOfMe = (id: string) =>
  api.get<ImpersonationOfMe & { done: DoneWhileActing[] }>(
    `/api/v1/account/impersonations/${encodeURIComponent(id)}`,
  );
export const endImpersonationOfMe = (id: string) =>
  api.delete<void>(`/api/v1/account/impersonations/${encodeURIComponent(id)}`);

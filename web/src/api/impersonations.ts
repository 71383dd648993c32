import { api } from './client.ts';

// Running (and ended) impersonations, for holders of users.impersonate.

export interface ImpersonationRecord {
  id: string;
  actor: { id: string; displayName: string };
  subject: { id: string; displayName: string };
  reason: string;
  origin: string;
  domainId: string | null;
  startedAt: string;
  expiresAt: string;
  /** When the new tab took the session over; null while not opened yet. */
  openedAt: string | null;
  endedAt: string | null;
  endReason: string | null;
  termsAcceptedOnBehalf: boolean;
}

export const listImpersonations = (active: boolean, signal?: AbortSignal) =>
  api.get<{ items: ImpersonationRecord[] }>('/api/v1/admin/impersonations', {
    query: { active: String(active), limit: 200 },
    signal,
  });

export const endImpersonation = (id: string) =>
  api.delete<void>(`/api/v1/admin/impersonations/${encodeURIComponent(id)}`);

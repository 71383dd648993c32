import { call, client } from './client.ts';
import type { paths } from './schema';
import type { Schemas } from './types.ts';

type AuditList = paths['/api/v1/admin/audit-events']['get']['responses'][200]['content']['application/json'];

// The audit trail (R-IMP-08): audit.read.

export type AuditEvent = Schemas['AuditEvent'];
export type AuditParty = AuditEvent['user'];
export type AuditPage = AuditList;

export interface AuditQuery {
  /** One action code or several, separated by commas. */
  action?: string;
  /** Events by, as or to this person (issue 10 #11). */
  personId?: string;
  actorId?: string;
  userId?: string;
  targetId?: string;
  impersonationId?: string;
  /** ISO 8601 with offset. */
  from?: string;
  to?: string;
  limit?: number;
  cursor?: string | null;
}

export type ChainCheck = Schemas['AuditVerifyReport'];

export const listAuditEvents = (query: AuditQuery, signal?: AbortSignal) =>
  call(
    client.GET('/api/v1/admin/audit-events', {
      params: { query: { ...query, cursor: query.cursor ?? undefined } },
      signal,
    }),
  );

/** The actions the server writes, for the filter (shown as words, never as codes). */
export const listAuditActions = () =>
  call(client.GET('/api/v1/admin/audit-events/actions')).then((r) => r.items);

export const verifyAuditChain = () => call(client.GET('/api/v1/admin/audit-events/verify'));

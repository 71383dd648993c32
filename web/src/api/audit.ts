import { api } from './client.ts';

// The audit trail (R-IMP-08): audit.read.

export interface AuditParty {
  id: string | null;
  label: string | null;
}

export interface AuditEvent {
  id: string;
  occurredAt: string;
  requestId: string | null;
  action: string;
  /** Whose account it was done as. */
  user: AuditParty;
  /** Who really did it (differs from `user` during an impersonation). */
  actor: AuditParty;
  impersonationId: string | null;
  impersonationReason: string | null;
  target: { type: string; id: string | null; label: string | null };
  changes: Record<string, { before: unknown; after: unknown }> | null;
  details: Record<string, unknown> | null;
  ip: string | null;
}

export interface AuditPage {
  items: AuditEvent[];
  nextCursor: string | null;
}

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

export interface ChainCheck {
  ok: boolean;
  events: number;
  checked: number;
  unkeyed: number;
  macChecked: boolean;
  firstBroken: {
    seq: number;
    id: string;
    position: number;
    reason:
      | 'hash_mismatch'
      | 'link_mismatch'
      | 'bad_mac'
      | 'gap'
      | 'out_of_order'
      | 'unkeyed_after_keyed'
      | 'unknown_version';
  } | null;
  checkpoints: number;
  lastCheckpoint: { id: string; position: number; headHash: string; createdAt: string; keyId: string } | null;
  badCheckpoint: {
    id: string;
    position: number;
    reason: 'bad_signature' | 'unknown_key' | 'head_mismatch';
  } | null;
  truncated: { checkpointPosition: number; chainEnd: number } | null;
}

export const listAuditEvents = (query: AuditQuery, signal?: AbortSignal) =>
  api.get<AuditPage>('/api/v1/admin/audit-events', { query: { ...query }, signal });

/** The actions the server writes, for the filter (shown as words, never as codes). */
export const listAuditActions = () =>
  api.get<{ items: string[] }>('/api/v1/admin/audit-events/actions').then((r) => r.items);

export const verifyAuditChain = () => api.get<ChainCheck>('/api/v1/admin/audit-events/verify');

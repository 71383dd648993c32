import { createHash } from 'node:crypto';
import type { AuditRow } from './audit.store.ts';

// The audit trail is tamper-evident (R-IMP-08): each event carries a SHA-256 over its own
// content and the previous event's hash. Changing, inserting or deleting any event breaks every
// link after it, which `npm run audit:verify` and GET /api/v1/admin/audit-events/verify find.

export const genesisHash = '0'.repeat(64);

/** Pure: the hash of an event given its predecessor's. Field order is fixed forever. */
export function chainHash(prevHash: string, e: Omit<AuditRow, 'hash' | 'prev_hash'>): string {
  const content = JSON.stringify([
    e.id,
    e.occurred_at,
    e.request_id,
    e.action,
    e.user_id,
    e.user_label,
    e.actor_id,
    e.actor_label,
    e.impersonation_id,
    e.impersonation_reason,
    e.target_type,
    e.target_id,
    e.target_label,
    e.changes,
    e.details,
    e.ip,
  ]);
  return createHash('sha256').update(prevHash).update('\n').update(content).digest('hex');
}

export interface ChainReport {
  ok: boolean;
  checked: number;
  firstBroken: { seq: number; id: string; reason: 'hash_mismatch' | 'link_mismatch' } | null;
}

/** Pure: checks a run of events in sequence order, continuing from `prevHash`. */
export function checkRun(
  prevHash: string,
  rows: ReadonlyArray<AuditRow & { seq: number }>,
): { lastHash: string; broken: ChainReport['firstBroken'] } {
  let prev = prevHash;
  for (const row of rows) {
    if (row.prev_hash !== prev)
      return { lastHash: prev, broken: { seq: row.seq, id: row.id, reason: 'link_mismatch' } };
    if (chainHash(prev, row) !== row.hash) {
      return { lastHash: prev, broken: { seq: row.seq, id: row.id, reason: 'hash_mismatch' } };
    }
    prev = row.hash;
  }
  return { lastHash: prev, broken: null };
}

import { createHash, createHmac, sign, verify, type KeyObject } from 'node:crypto';
import type { AuditRow } from './audit.store.ts';

// The audit trail is tamper-evident (R-IMP-08): each event carries a SHA-256 over its own
// content and the previous event's hash. Changing, inserting or deleting any event breaks every
// link after it, which `npm run audit:verify` and GET /api/v1/admin/audit-events/verify find.
// That alone a database writer can recompute, so (issue 7 #9) events of chain version 2 also
// carry their dense position in the hash and a MAC with a key outside the database, and signed
// checkpoints pin the head (verifier.ts checks all of it).

export const genesisHash = '0'.repeat(64);

/** What an event's hash covers besides the link (and, from version 2, its position). */
export type EventContent = Pick<
  AuditRow,
  | 'id'
  | 'occurred_at'
  | 'request_id'
  | 'action'
  | 'user_id'
  | 'user_label'
  | 'actor_id'
  | 'actor_label'
  | 'impersonation_id'
  | 'impersonation_reason'
  | 'target_type'
  | 'target_id'
  | 'target_label'
  | 'changes'
  | 'details'
  | 'ip'
>;

/** An event's content in the order both versions hash it. Fixed forever. */
function contentFields(e: EventContent): unknown[] {
  return [
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
  ];
}

function linkHash(prevHash: string, content: unknown[]): string {
  return createHash('sha256').update(prevHash).update('\n').update(JSON.stringify(content)).digest('hex');
}

/** Pure: the hash of a version 1 event given its predecessor's. */
export function chainHash(prevHash: string, e: EventContent): string {
  return linkHash(prevHash, contentFields(e));
}

/** Pure: the hash of a version 2 event: version and position lead the content. */
export function chainHashV2(prevHash: string, e: EventContent & { position: number }): string {
  return linkHash(prevHash, [2, e.position, ...contentFields(e)]);
}

/** Pure: the MAC of a version 2 event. The hash covers the content and the link before it. */
export function eventMac(key: Buffer, hash: string): string {
  return createHmac('sha256', key).update('behalf-audit-event:v2\n').update(hash).digest('hex');
}

/** The chain's last event, as the next one links to it. */
export interface ChainHead {
  position: number;
  hash: string;
}

/** An event before it is linked into the chain. */
export type UnlinkedEvent = Omit<AuditRow, 'prev_hash' | 'hash' | 'chain_version' | 'position' | 'mac'>;

/** An event linked into the chain, as it is inserted. */
export type LinkedEvent = UnlinkedEvent & {
  prev_hash: string;
  hash: string;
  chain_version: 2;
  position: number;
  mac: string;
};

/**
 * Pure: the version 2 event that follows `head` (null: the chain's first): the next position,
 * the link to the head's hash, its own hash and its MAC. The caller holds the chain lock from
 * reading `head` to its commit, or two events take one position.
 */
export function linkToHead(row: UnlinkedEvent, head: ChainHead | null, macKey: Buffer): LinkedEvent {
  const prevHash = head?.hash ?? genesisHash;
  const position = (head?.position ?? 0) + 1;
  const hash = chainHashV2(prevHash, { ...row, position });
  return { ...row, prev_hash: prevHash, hash, chain_version: 2, position, mac: eventMac(macKey, hash) };
}

export interface CheckpointRecord {
  id: string;
  position: number;
  head_hash: string;
  created_at: number;
  key_id: string;
  /** Ed25519, base64. */
  signature: string;
}

/** Pure: the bytes a checkpoint's signature covers. Fixed forever. */
export function checkpointMessage(c: Omit<CheckpointRecord, 'signature'>): Buffer {
  return Buffer.from(
    `behalf-audit-checkpoint:v1\n${c.id}\n${c.position}\n${c.head_hash}\n${c.created_at}\n${c.key_id}`,
  );
}

export function signCheckpoint(c: Omit<CheckpointRecord, 'signature'>, key: KeyObject): CheckpointRecord {
  return { ...c, signature: sign(null, checkpointMessage(c), key).toString('base64') };
}

export function checkpointSignatureValid(c: CheckpointRecord, publicKey: KeyObject): boolean {
  try {
    return verify(null, checkpointMessage(c), publicKey, Buffer.from(c.signature, 'base64'));
  } catch {
    return false;
  }
}

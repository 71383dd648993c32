import { timingSafeEqual, type KeyObject } from 'node:crypto';
import {
  chainHash,
  chainHashV2,
  checkpointSignatureValid,
  eventMac,
  genesisHash,
  type CheckpointRecord,
} from './chain.ts';
import type { AuditRow } from './audit.store.ts';

// Pure verification of the audit trail (R-IMP-08, issue 7 #9): no I/O, fed the events in `seq`
// order in batches and the checkpoints up front, by the server (database), `npm run
// audit:verify` (database or an export file) alike. Without the MAC key (offline, from an export)
// it checks hashes, links, positions and signed checkpoints, and says it did not check MACs.

export type BrokenReason =
  | 'hash_mismatch'
  | 'link_mismatch'
  | 'bad_mac'
  /** The position skips ahead: events are missing before this one. */
  | 'gap'
  /** The position repeats or goes back: events are duplicated or reordered. */
  | 'out_of_order'
  /** An unkeyed (version 1) event after keyed ones: inserted to avoid the MAC. */
  | 'unkeyed_after_keyed'
  | 'unknown_version';

export type CheckpointProblem = 'bad_signature' | 'unknown_key' | 'head_mismatch';

export interface VerifyReport {
  ok: boolean;
  /** Events read. */
  events: number;
  /** Events found intact before the first broken one (all of them when none is). */
  checked: number;
  /** Events from before keying (chain version 1): checked by hash and link only. */
  unkeyed: number;
  /** Whether event MACs were checked (not without the MAC key, e.g. offline). */
  macChecked: boolean;
  firstBroken: { seq: number; id: string; position: number; reason: BrokenReason } | null;
  /** Checkpoints whose signature verified. */
  checkpoints: number;
  lastCheckpoint: { id: string; position: number; headHash: string; createdAt: number; keyId: string } | null;
  badCheckpoint: { id: string; position: number; reason: CheckpointProblem } | null;
  /** The chain ends before a signed checkpoint's position: events were cut off the end. */
  truncated: { checkpointPosition: number; chainEnd: number } | null;
}

export type VerifiableRow = Omit<AuditRow, 'chain_version'> & { seq: number; chain_version: number };

export interface VerifierKeys {
  /** Null: MACs are not checked (offline verification has only the public key). */
  macKey: Buffer | null;
  publicKey: KeyObject;
  keyId: string;
}

export class ChainVerifier {
  private readonly keys: VerifierKeys;
  private readonly valid: CheckpointRecord[] = [];
  private badCheckpoint: VerifyReport['badCheckpoint'] = null;
  /** The hash of the event at each valid checkpoint's position, once walked past. */
  private readonly hashAt = new Map<number, string>();
  private prevHash = genesisHash;
  private position = 0;
  private keyedSeen = false;
  private events = 0;
  private checked = 0;
  private unkeyed = 0;
  private firstBroken: VerifyReport['firstBroken'] = null;

  constructor(keys: VerifierKeys, checkpoints: readonly CheckpointRecord[]) {
    this.keys = keys;
    for (const c of [...checkpoints].sort((a, b) => a.position - b.position)) {
      const problem =
        c.key_id !== keys.keyId
          ? 'unknown_key'
          : checkpointSignatureValid(c, keys.publicKey)
            ? null
            : 'bad_signature';
      if (problem) this.badCheckpoint ??= { id: c.id, position: c.position, reason: problem };
      else this.valid.push(c);
    }
    for (const c of this.valid) this.hashAt.set(c.position, '');
  }

  add(rows: readonly VerifiableRow[]): void {
    for (const row of rows) this.one(row);
  }

  private one(row: VerifiableRow): void {
    this.events++;
    const expected = this.position + 1;
    let position = expected;
    let reason: BrokenReason | null = null;
    if (row.chain_version === 1) {
      if (this.keyedSeen) reason = 'unkeyed_after_keyed';
      else if (row.prev_hash !== this.prevHash) reason = 'link_mismatch';
      else if (chainHash(this.prevHash, row) !== row.hash) reason = 'hash_mismatch';
      else this.unkeyed++;
    } else if (row.chain_version === 2) {
      this.keyedSeen = true;
      position = Number.isSafeInteger(row.position) ? row.position! : expected;
      // Position first: a deleted event is best named as a gap, not as the link it broke.
      if (row.position !== expected) reason = (row.position ?? 0) > expected ? 'gap' : 'out_of_order';
      else if (row.prev_hash !== this.prevHash) reason = 'link_mismatch';
      else if (chainHashV2(this.prevHash, { ...row, position }) !== row.hash) reason = 'hash_mismatch';
      else if (this.keys.macKey && !sameHex(row.mac, eventMac(this.keys.macKey, row.hash)))
        reason = 'bad_mac';
    } else {
      reason = 'unknown_version';
    }
    if (reason) this.firstBroken ??= { seq: row.seq, id: row.id, position, reason };
    else if (!this.firstBroken) this.checked++;
    // Walk on after a break: checkpoints further on are still compared, and the end is known.
    if (this.hashAt.get(position) === '') this.hashAt.set(position, row.hash);
    this.prevHash = row.hash;
    this.position = position;
  }

  finish(): VerifyReport {
    let badCheckpoint = this.badCheckpoint;
    let truncated: VerifyReport['truncated'] = null;
    for (const c of this.valid) {
      // The last (highest) such checkpoint is the one reported: it shows how much is missing.
      if (c.position > this.position) {
        truncated = { checkpointPosition: c.position, chainEnd: this.position };
      } else if (this.hashAt.get(c.position) !== c.head_hash) {
        badCheckpoint ??= { id: c.id, position: c.position, reason: 'head_mismatch' };
      }
    }
    const last = this.valid.at(-1);
    return {
      ok: !this.firstBroken && !badCheckpoint && !truncated,
      events: this.events,
      checked: this.checked,
      unkeyed: this.unkeyed,
      macChecked: this.keys.macKey !== null,
      firstBroken: this.firstBroken,
      checkpoints: this.valid.length,
      lastCheckpoint: last
        ? {
            id: last.id,
            position: last.position,
            headHash: last.head_hash,
            createdAt: last.created_at,
            keyId: last.key_id,
          }
        : null,
      badCheckpoint,
      truncated,
    };
  }
}

function sameHex(a: string | null, b: string): boolean {
  if (a === null || a.length !== b.length) return false;
  return timingSafeEqual(Buffer.from(a), Buffer.from(b));
}

import { lockChain, type Database } from '../db/database.ts';
import type { Clock } from '../shared/clock.ts';
import { newId } from '../shared/ids.ts';
import { chainHead, insertCheckpoint, latestCheckpoint, newestKeyedEvent } from './audit.store.ts';
import { eventMac, signCheckpoint, type CheckpointRecord } from './chain.ts';
import type { AuditKeys } from './keys.ts';
import { verifyAuditChain } from './audit.ts';
import type { VerifyReport } from './verifier.ts';

// Checkpoints and verification of the audit trail (issue 7 #9). A checkpoint is a signed
// statement "at position P the chain's head hash was H": written by a periodic job, at graceful
// shutdown and on demand, stored and logged. Whoever holds the public key (and a copy of the
// checkpoints, from the log or an export) can then tell when events up to P were cut off or
// rewritten, without trusting the database or the server.

export interface CheckpointResult {
  checkpoint: CheckpointRecord;
  /** False when the newest checkpoint already covers the head: nothing new to sign. */
  created: boolean;
}

export class AuditIntegrity {
  private readonly database: Database;
  private readonly clock: Clock;
  readonly keys: AuditKeys;

  constructor(deps: { database: Database; clock: Clock; keys: AuditKeys }) {
    this.database = deps.database;
    this.clock = deps.clock;
    this.keys = deps.keys;
  }

  verify(): Promise<VerifyReport> {
    return verifyAuditChain(this.database.db, this.keys);
  }

  /**
   * Whether this process's MAC key is the one that MACed the newest keyed event (null: none yet).
   * Instances with different keys would each make the other's events look forged.
   */
  async macKeyMatchesTrail(): Promise<boolean | null> {
    const last = await newestKeyedEvent(this.database.db);
    if (!last) return null;
    return last.mac === eventMac(this.keys.macKey, last.hash);
  }

  /** Signs the current head, unless the newest checkpoint already does; null for an empty trail. */
  async checkpoint(): Promise<CheckpointResult | null> {
    return this.database.transaction(async (trx) => {
      // Under the chain lock the head cannot move between reading and signing it.
      await lockChain(trx, 'behalf:audit_chain');
      const head = await chainHead(trx);
      if (!head) return null;
      const latest = await latestCheckpoint(trx);
      if (latest && latest.position === head.position && latest.head_hash === head.hash) {
        return { checkpoint: latest, created: false };
      }
      const now = this.clock.now();
      const checkpoint = signCheckpoint(
        {
          id: newId(now),
          position: head.position,
          head_hash: head.hash,
          created_at: now,
          key_id: this.keys.keyId,
        },
        this.keys.signingKey,
      );
      await insertCheckpoint(trx, checkpoint);
      return { checkpoint, created: true };
    });
  }
}

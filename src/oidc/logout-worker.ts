import { randomUUID } from 'node:crypto';
import type { Database } from '../db/database.ts';
import type { Clock } from '../shared/clock.ts';
import { describeError } from '../mail/delivery.ts';
import {
  claimLogoutDelivery,
  dueLogoutIds,
  finishLogoutAttempt,
  type LogoutDelivery,
} from './logout.store.ts';

// Delivers back-channel logout tokens (OpenID Connect Back-Channel Logout 1.0, issue 9) from
// the queue logout.store.ts fills in the transaction of each end. At least once, with retries
// and exponential backoff; safe with several instances: a row is claimed with a lease by one
// conditional UPDATE, so two instances never send the same token at once, and a delivered row
// is never claimed again. Building, signing and posting the logout token is oidc-provider's
// (`client.backchannelLogout`), handed in by provider.ts as `send`.

export const logoutRetryBaseMs = 5_000;
export const logoutRetryCapMs = 15 * 60_000;
export const logoutMaxAttempts = 12;

/** Pure: what to do after the `attempts`-th failed attempt: 5 s, doubling, at most 15 min. */
export function afterLogoutFailure(attempts: number, now: number): { retryAt: number } | { giveUp: true } {
  const n = Math.max(1, Math.floor(attempts));
  if (n >= logoutMaxAttempts) return { giveUp: true };
  return { retryAt: now + Math.min(logoutRetryBaseMs * 2 ** Math.min(n - 1, 10), logoutRetryCapMs) };
}

/** Sends one logout token; 'gone' when the app no longer exists or has no logout URI. */
export type LogoutSender = (d: {
  clientId: string;
  sub: string;
  sid: string | null;
}) => Promise<'sent' | 'gone'>;

export interface LogoutLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

export interface LogoutReport {
  claimed: number;
  delivered: number;
  retrying: number;
  failed: number;
}

export class LogoutWorker {
  private readonly database: Database;
  private readonly clock: Clock;
  private readonly logger: LogoutLogger;
  /** Names this worker's leases; one per process (and per instance in tests). */
  private readonly owner = randomUUID();
  private sender: (() => Promise<LogoutSender>) | null = null;
  private inFlight: Promise<LogoutReport> | null = null;
  /** Longer than oidc-provider's 2.5 s request timeout by a wide margin. */
  private readonly leaseMs = 60_000;

  constructor(deps: { database: Database; clock: Clock; logger: LogoutLogger }) {
    this.database = deps.database;
    this.clock = deps.clock;
    this.logger = deps.logger;
  }

  /**
   * How to get the sender, set by oidc.routes.ts; until then nothing is sent. Asked only when a
   * logout is due: it builds the provider at its first use (issue 13).
   */
  attach(sender: () => Promise<LogoutSender>): void {
    this.sender = sender;
  }

  /** Delivers what is due now, one round. Concurrent calls share the round in progress. */
  runOnce(): Promise<LogoutReport> {
    this.inFlight ??= this.deliverDue().finally(() => {
      this.inFlight = null;
    });
    return this.inFlight;
  }

  private async deliverDue(): Promise<LogoutReport> {
    const report: LogoutReport = { claimed: 0, delivered: 0, retrying: 0, failed: 0 };
    if (!this.sender) return report;
    const db = this.database.db;
    const due = await dueLogoutIds(db, this.clock.now(), 50);
    if (due.length === 0) return report;
    const send = await this.sender();
    for (const id of due) {
      const now = this.clock.now();
      const row = await claimLogoutDelivery(db, id, this.owner, now, now + this.leaseMs);
      if (!row) continue; // another instance has it
      report.claimed++;
      report[await this.deliver(send, row)]++;
    }
    return report;
  }

  private async deliver(
    send: LogoutSender,
    row: LogoutDelivery,
  ): Promise<'delivered' | 'retrying' | 'failed'> {
    const db = this.database.db;
    const about = { deliveryId: row.id, clientId: row.client_id, cause: row.cause };
    let outcome: 'sent' | 'gone';
    try {
      outcome = await send({ clientId: row.client_id, sub: row.sub, sid: row.sid });
    } catch (error) {
      const attempts = row.attempts + 1;
      const next = afterLogoutFailure(attempts, this.clock.now());
      const reason = describeError(error);
      if ('giveUp' in next) {
        await finishLogoutAttempt(db, row.id, this.owner, { failed: reason });
        this.logger.warn({ ...about, attempts, error: reason }, 'back-channel logout failed for good');
        return 'failed';
      }
      await finishLogoutAttempt(db, row.id, this.owner, { retryAt: next.retryAt, error: reason });
      this.logger.warn({ ...about, attempts, error: reason }, 'back-channel logout failed, will retry');
      return 'retrying';
    }
    if (outcome === 'gone') {
      await finishLogoutAttempt(db, row.id, this.owner, { failed: 'the app or its logout URI is gone' });
      return 'failed';
    }
    await finishLogoutAttempt(db, row.id, this.owner, { delivered: this.clock.now() });
    this.logger.info(about, 'back-channel logout delivered');
    return 'delivered';
  }
}

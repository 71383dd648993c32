import { randomUUID } from 'node:crypto';
import type { Transporter } from 'nodemailer';
import type { Database } from '../db/database.ts';
import { detached } from '../db/transactions.ts';
import type { Clock } from '../shared/clock.ts';
import { afterFailure, describeError, messageIdFor, visibleContent } from './delivery.ts';
import {
  claimOutboxRow,
  claimOutboxRows,
  dueOutboxIds,
  markOutboxAttemptFailed,
  markOutboxDelivered,
  type OutboxRow,
} from './outbox.store.ts';

// Delivers the outbox. With SMTP_URL: over SMTP, at least once, with retries and exponential
// backoff. Without (the embedded default): each mail is written to the log and marked 'logged'.
//
// Safety across instances and restarts comes from the database, not from this process: a row is
// claimed with a lease by one conditional UPDATE (outbox.store.ts), so two workers never send it
// at once, and a row marked sent is never claimed again. The one window left is a crash after
// the SMTP server accepted a mail and before it was marked sent: that mail goes out again after
// the lease runs out, with the same Message-ID (at-least-once, as documented).

/** The part of a pino logger the worker uses (pino and Fastify's logger both fit). */
export interface MailLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

/** Sends one message; the SMTP transport in production, a fake one never (tests use real SMTP). */
interface Sender {
  send(message: {
    from: string;
    to: string;
    subject: string;
    text: string;
    messageId: string;
  }): Promise<void>;
  close(): void;
}

export interface MailWorkerOptions {
  database: Database;
  clock: Clock;
  logger: MailLogger;
  /** smtp://user:pass@host:port or smtps://...; null: log mails instead of sending them. */
  smtpUrl: string | null;
  /** Without smtpUrl: show login codes in the log (MAIL_LOG_CODES, development only). */
  logCodes?: boolean;
  from: string;
  /** How often start() looks for due mail. */
  pollIntervalMs?: number;
  /** Rows claimed per round. */
  batchSize?: number;
  /** How long a claim holds; must exceed the SMTP timeouts below by a wide margin. */
  leaseMs?: number;
  /** Failed attempts after which a mail is given up as 'failed'. */
  maxAttempts?: number;
}

export interface DeliveryReport {
  claimed: number;
  sent: number;
  logged: number;
  retrying: number;
  failed: number;
}

const smtpTimeouts = { connectionTimeout: 30_000, greetingTimeout: 30_000, socketTimeout: 60_000 };

export class MailWorker {
  private readonly options: Required<MailWorkerOptions>;
  private readonly sender: Sender | null;
  /** Names this worker's leases; a new one per process (and per instance in tests). */
  private readonly owner = randomUUID();
  private inFlight: Promise<DeliveryReport> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private running = false;
  private wakeRequested = false;

  constructor(options: MailWorkerOptions) {
    this.options = {
      logCodes: false,
      pollIntervalMs: 2_000,
      batchSize: 20,
      leaseMs: 5 * 60_000,
      maxAttempts: 10,
      ...options,
    };
    this.sender = options.smtpUrl ? smtpSender(options.smtpUrl) : null;
  }

  get mode(): 'smtp' | 'log' {
    return this.sender ? 'smtp' : 'log';
  }

  /** Delivers what is due now, one round. Concurrent calls share the round in progress. */
  runOnce(): Promise<DeliveryReport> {
    this.inFlight ??= this.deliverDue().finally(() => {
      this.inFlight = null;
    });
    return this.inFlight;
  }

  /** Polls in the background; the timer never keeps the process alive. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.schedule(0);
  }

  /** Asks for a round soon, e.g. after a mail was queued; a no-op unless started. */
  wake(): void {
    if (!this.running) return;
    if (this.inFlight) {
      this.wakeRequested = true;
      return;
    }
    // A short delay: the caller usually wakes from inside its transaction, whose row becomes
    // visible only at commit; a commit later than this is picked up by the next poll.
    this.schedule(50);
  }

  /** Stops polling and waits for a round in progress, so no send is cut off mid-way. */
  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.inFlight?.catch(() => {});
    this.sender?.close();
  }

  private schedule(delayMs: number): void {
    if (this.timer) clearTimeout(this.timer);
    // Detached: wake() is called from inside transactions, and the round must not count as
    // part of one (it uses the outer handle, possibly before that transaction commits).
    this.timer = detached(() => setTimeout(() => void this.tick(), delayMs));
    this.timer.unref();
  }

  private async tick(): Promise<void> {
    this.timer = null;
    let report: DeliveryReport | null = null;
    try {
      report = await this.runOnce();
    } catch (error) {
      // The database is away, say; the next poll tries again.
      this.options.logger.error({ err: error }, 'mail delivery round failed');
    }
    if (!this.running) return;
    const more = this.wakeRequested || (report !== null && report.claimed >= this.options.batchSize);
    this.wakeRequested = false;
    this.schedule(more ? 0 : this.options.pollIntervalMs);
  }

  private async deliverDue(): Promise<DeliveryReport> {
    const { database, clock, batchSize, leaseMs } = this.options;
    const report: DeliveryReport = { claimed: 0, sent: 0, logged: 0, retrying: 0, failed: 0 };
    const ids = await dueOutboxIds(database.db, clock.now(), batchSize);
    if (ids.length === 0) return report;
    if (!this.sender) {
      // Without SMTP the whole round is one transaction, so one commit (one fsync) for the batch
      // instead of two per mail (claim, then mark logged): this bookkeeping was two of the seven
      // fsyncs of an impersonation round trip (docs/benchmarks.md, issue 13). Nothing is lost by
      // it: the mails are written to the log before the commit, so a failed commit leaves them
      // pending and they are logged again (at least once, as with SMTP).
      await database.transaction(async (trx) => {
        const now = clock.now();
        for (const row of await claimOutboxRows(trx, ids, this.owner, now, now + leaseMs)) {
          report.claimed++;
          this.logMail(row);
          await markOutboxDelivered(trx, row.id, 'logged', now, messageIdFor(row.id, this.options.from));
          report.logged++;
        }
      });
      return report;
    }
    // Over SMTP each row is claimed on its own, just before its send: a lease taken for the whole
    // batch up front could run out while earlier mails wait for slow servers, and another worker
    // would then send the later ones a second time.
    for (const id of ids) {
      const now = clock.now();
      const row = await claimOutboxRow(database.db, id, this.owner, now, now + leaseMs);
      if (!row) continue; // another worker has it
      report.claimed++;
      const outcome = await this.deliver(row);
      report[outcome]++;
    }
    return report;
  }

  /**
   * The embedded default: the log is where the mail goes. A login code never enters it, unless
   * the operator said this log is a developer's mailbox (MAIL_LOG_CODES).
   */
  private logMail(row: OutboxRow): void {
    const shown = visibleContent(row.kind, row.subject, row.body_text);
    if (this.options.logCodes) {
      shown.subject = row.subject;
      shown.body = row.body_text;
    }
    this.options.logger.info(
      { outboxId: row.id, kind: row.kind, to: row.recipient, subject: shown.subject, body: shown.body },
      'mail (no SMTP_URL configured, logged instead of sent)',
    );
  }

  private async deliver(row: OutboxRow): Promise<'sent' | 'retrying' | 'failed'> {
    const { database, clock, logger, from, maxAttempts } = this.options;
    const sender = this.sender!;
    const messageId = messageIdFor(row.id, from);
    try {
      await sender.send({
        from,
        to: row.recipient,
        subject: row.subject,
        text: row.body_text,
        messageId,
      });
    } catch (error) {
      const attempts = row.attempts + 1;
      const next = afterFailure(attempts, maxAttempts, clock.now());
      const reason = describeError(error);
      await markOutboxAttemptFailed(database.db, row.id, this.owner, reason, next);
      const gaveUp = 'giveUp' in next;
      logger.warn(
        { outboxId: row.id, kind: row.kind, to: row.recipient, attempts, error: reason, gaveUp },
        gaveUp ? 'mail delivery failed for good' : 'mail delivery failed, will retry',
      );
      return gaveUp ? 'failed' : 'retrying';
    }
    await markOutboxDelivered(database.db, row.id, 'sent', clock.now(), messageId);
    logger.info({ outboxId: row.id, kind: row.kind, to: row.recipient, messageId }, 'mail sent');
    return 'sent';
  }
}

function smtpSender(url: string): Sender {
  // No pool: one connection per mail is plenty for notification volumes, and nothing lingers
  // open against a server that went away. nodemailer is loaded at the first delivery, not at
  // start: it costs about 20 MB resident, and most of a server's life sends no mail.
  let transport: Promise<Transporter> | undefined;
  let made: Transporter | undefined;
  const transporter = () =>
    (transport ??= import('nodemailer').then(({ createTransport }) => {
      made = createTransport({ url, ...smtpTimeouts });
      return made;
    }));
  return {
    async send(message) {
      await (
        await transporter()
      ).sendMail({
        ...message,
        // RFC 3834: an automatic message; auto-responders should not answer it.
        headers: { 'Auto-Submitted': 'auto-generated' },
      });
    },
    close: () => made?.close(),
  };
}

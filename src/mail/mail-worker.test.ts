// Mail delivery through a real SMTP server (smtp-server on a loopback port): delivery in the
// user's language, an outage with backoff and recovery, restarts and two workers on one database
// (R-IMP-09, R-IMP-10, R-OPS-03). Time moves by the injected clock only; nothing sleeps.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  adminEmail,
  adminPassword,
  dialect,
  startServer,
  strongPassword,
  type TestServer,
} from '../../test/harness.ts';
import { TestSmtpServer } from '../../test/smtp.ts';
import { openDatabase, type Database } from '../db/database.ts';
import { MailWorker, type MailLogger } from './mail-worker.ts';
import { claimOutboxRow, findOutboxRow } from './outbox.store.ts';
import { enqueueMail } from './mail.ts';

const quiet: MailLogger = { info() {}, warn() {}, error() {} };

function capturingLogger(): MailLogger & { lines: Array<{ obj: object; msg: string }> } {
  const lines: Array<{ obj: object; msg: string }> = [];
  const push = (obj: object, msg: string) => void lines.push({ obj, msg });
  return { lines, info: push, warn: push, error: push };
}

/** What the impersonation module hands over when it notifies a subject. */
function startedFacts(subject: string, startedAt: number) {
  return {
    subject,
    actor: 'Ada Admin',
    reason: 'Hilfe bei der Überweisung',
    plannedDuration: '30',
    startedAt: new Date(startedAt).toISOString(),
  };
}

describe('mail delivery over SMTP (R-IMP-09, R-OPS-03)', () => {
  let smtp: TestSmtpServer;
  let s: TestServer;
  const workers: MailWorker[] = [];
  const extraDatabases: Database[] = [];

  before(async () => {
    smtp = await TestSmtpServer.start();
    s = await startServer({ SMTP_URL: smtp.url });
  });
  after(async () => {
    for (const w of workers) await w.stop();
    for (const d of extraDatabases) await d.close();
    await s.close();
    await smtp.stop();
  });

  const worker = (options: { maxAttempts?: number; database?: Database } = {}) => {
    const w = new MailWorker({
      database: options.database ?? s.services.database,
      clock: s.clock,
      logger: quiet,
      smtpUrl: smtp.url,
      from: s.services.config.mailFrom,
      ...(options.maxAttempts === undefined ? {} : { maxAttempts: options.maxAttempts }),
    });
    workers.push(w);
    return w;
  };

  const notify = (userId: string, subject: string, type: 'impersonation.started' | 'impersonation.ended') =>
    s.services.database.transaction((trx) =>
      s.services.notifications.notify(trx, {
        userId,
        type,
        impersonationId: '01890000-0000-7000-8000-00000000beef',
        variables: {
          ...startedFacts(subject, s.clock.now()),
          endedAt: new Date(s.clock.now() + 600_000).toISOString(),
          endReason: 'expired',
        },
      }),
    );

  const receivedBy = (address: string) => smtp.received.filter((m) => m.to.includes(address));
  const receivedWithId = (messageId: string) => smtp.received.filter((m) => m.messageId === messageId);

  it('R-IMP-09, R-IMP-10: start and end notices arrive at a real SMTP server, in the user language', async () => {
    const de = await s.createUser({ language: 'de', firstName: 'Jürgen', lastName: 'Groß' });
    const en = await s.createUser({ language: 'en', firstName: 'Jane', lastName: 'Doe' });
    const started = await notify(de.id, 'Jürgen Groß', 'impersonation.started');
    await notify(en.id, 'Jane Doe', 'impersonation.started');
    const report = await s.services.mailWorker.runOnce();
    assert.deepEqual(report, { claimed: 2, sent: 2, logged: 0, retrying: 0, failed: 0 });

    const [german] = receivedBy(de.primaryEmail);
    assert.ok(german, 'the German user got a mail');
    assert.equal(german.subject, 'Ada Admin handelt jetzt in Ihrem Namen');
    assert.match(german.text, /^Hallo Jürgen Groß,/);
    assert.match(german.text, /geplant für 30 Minuten/);
    assert.match(german.text, /Grund: Hilfe bei der Überweisung/);
    assert.match(german.text, /seit 23\. November 2026 um 09:00 UTC/);
    assert.equal(
      german.messageId,
      `<${started.outboxId}@localhost>`,
      'Message-ID derives from the outbox id',
    );
    assert.equal(german.from, 'no-reply@localhost');
    assert.equal(german.headers.get('auto-submitted'), 'auto-generated');
    const [english] = receivedBy(en.primaryEmail);
    assert.equal(english?.subject, 'Ada Admin is now acting as you');
    assert.match(english?.text ?? '', /planned for 30 minutes/);

    const listing = await s.admin.get('/api/v1/admin/outbox');
    assert.equal(listing.status, 200);
    const row = listing.body.items.find((i: { id: string }) => i.id === started.outboxId);
    assert.equal(row.status, 'sent');
    assert.equal(row.kind, 'notification');
    assert.equal(row.attempts, 1);
    assert.equal(row.messageId, german.messageId);
    assert.equal(row.sentAt, new Date(s.clock.now()).toISOString());

    const ended = await notify(de.id, 'Jürgen Groß', 'impersonation.ended');
    await s.services.mailWorker.runOnce();
    const [endMail] = receivedWithId(`<${ended.outboxId}@localhost>`);
    assert.equal(endMail?.subject, 'Ada Admin handelt nicht mehr in Ihrem Namen');
    assert.match(endMail?.text ?? '', /Beendet durch: Ablauf der Höchstdauer/, 'R-IMP-10: expiry named');
  });

  it('R-OPS-03: an SMTP outage loses nothing; attempts and backoff are recorded, delivery follows recovery', async () => {
    const user = await s.createUser();
    const mailer = s.services.mailWorker;
    await smtp.stop();
    const { outboxId } = await notify(user.id, 'Test User', 'impersonation.started');
    const t0 = s.clock.now();

    assert.equal((await mailer.runOnce()).retrying, 1);
    let row = await findOutboxRow(s.services.database.db, outboxId!);
    assert.equal(row?.status, 'pending');
    assert.equal(row?.attempts, 1);
    assert.match(row?.last_error ?? '', /ECONNREFUSED|ESOCKET|connect/i);
    assert.equal(row?.available_at, t0 + 30_000, 'first retry after 30 s');

    assert.equal((await mailer.runOnce()).claimed, 0, 'not due before the backoff has passed');
    s.clock.advance(30_000);
    assert.equal((await mailer.runOnce()).retrying, 1);
    row = await findOutboxRow(s.services.database.db, outboxId!);
    assert.equal(row?.attempts, 2);
    assert.equal(row?.available_at, s.clock.now() + 60_000, 'the wait doubles');

    const listed = await s.admin.get('/api/v1/admin/outbox?status=pending');
    const item = listed.body.items.find((i: { id: string }) => i.id === outboxId);
    assert.equal(item.attempts, 2);
    assert.match(item.lastError, /ECONNREFUSED|ESOCKET|connect/i);
    assert.equal(item.nextAttemptAt, new Date(s.clock.now() + 60_000).toISOString());

    await smtp.restart();
    s.clock.advance(59_000);
    assert.equal((await mailer.runOnce()).claimed, 0);
    s.clock.advance(1_000);
    assert.equal((await mailer.runOnce()).sent, 1);
    assert.equal(receivedWithId(`<${outboxId}@localhost>`).length, 1, 'delivered once');
    row = await findOutboxRow(s.services.database.db, outboxId!);
    assert.equal(row?.status, 'sent');
    assert.equal(row?.last_error, null);
  });

  it('R-OPS-03: a server that refuses mail (451) is retried until it accepts', async () => {
    const user = await s.createUser();
    smtp.rejecting = true;
    const { outboxId } = await notify(user.id, 'Test User', 'impersonation.ended');
    assert.equal((await s.services.mailWorker.runOnce()).retrying, 1);
    const row = await findOutboxRow(s.services.database.db, outboxId!);
    assert.match(row?.last_error ?? '', /451/);
    smtp.rejecting = false;
    s.clock.advance(30_000);
    assert.equal((await s.services.mailWorker.runOnce()).sent, 1);
    assert.equal(receivedWithId(`<${outboxId}@localhost>`).length, 1);
  });

  it('R-OPS-03: after the last allowed attempt a mail is failed, visible in the outbox, and left alone', async () => {
    const user = await s.createUser();
    const giveUpSoon = worker({ maxAttempts: 2 });
    smtp.rejecting = true;
    try {
      const { outboxId } = await notify(user.id, 'Test User', 'impersonation.started');
      assert.equal((await giveUpSoon.runOnce()).retrying, 1);
      s.clock.advance(30_000);
      assert.equal((await giveUpSoon.runOnce()).failed, 1);
      s.clock.advance(24 * 3600_000);
      assert.equal((await giveUpSoon.runOnce()).claimed, 0, 'a failed mail is not tried again');
      await s.admin.login(adminEmail, adminPassword); // a day later, the admin's session has timed out
      const failed = await s.admin.get('/api/v1/admin/outbox?status=failed');
      const item = failed.body.items.find((i: { id: string }) => i.id === outboxId);
      assert.equal(item.status, 'failed');
      assert.equal(item.attempts, 2);
      assert.match(item.lastError, /451/);
      assert.equal(item.nextAttemptAt, null);
    } finally {
      smtp.rejecting = false;
    }
  });

  it('R-OPS-03: a restarted worker sends nothing twice; a crashed worker\u2019s mail goes out once its lease ends', async () => {
    const user = await s.createUser();
    const ids: string[] = [];
    for (let i = 0; i < 3; i++)
      ids.push((await notify(user.id, 'Test User', 'impersonation.started')).outboxId!);
    assert.equal((await s.services.mailWorker.runOnce()).sent, 3);
    const before = smtp.received.length;
    const afterRestart = worker();
    assert.equal((await afterRestart.runOnce()).claimed, 0, 'what is marked sent stays sent');
    assert.equal(smtp.received.length, before);

    // A worker that claimed a row and died: its lease keeps others away until it runs out.
    const { outboxId } = await notify(user.id, 'Test User', 'impersonation.ended');
    const now = s.clock.now();
    assert.ok(await claimOutboxRow(s.services.database.db, outboxId!, 'crashed-worker', now, now + 300_000));
    assert.equal((await afterRestart.runOnce()).claimed, 0, 'a live lease is respected');
    s.clock.advance(300_000);
    assert.equal((await afterRestart.runOnce()).sent, 1);
    assert.equal(receivedWithId(`<${outboxId}@localhost>`).length, 1);
  });

  it('R-OPS-03: two workers on one database (two connections) never send a row twice', async () => {
    const second = await openDatabase(s.services.config.databaseUrl);
    extraDatabases.push(second);
    const a = worker();
    const b = worker({ database: second });
    const ids = new Set<string>();
    await s.services.database.transaction(async (trx) => {
      for (let i = 0; i < 30; i++) {
        ids.add(
          await enqueueMail(trx, s.clock, { to: `bulk${i}@example.test`, subject: `Bulk ${i}`, text: 'x' }),
        );
      }
    });
    let claimedA = 0;
    let claimedB = 0;
    for (let round = 0; round < 5; round++) {
      const [ra, rb] = await Promise.all([a.runOnce(), b.runOnce()]);
      claimedA += ra.claimed;
      claimedB += rb.claimed;
      if (ra.claimed + rb.claimed === 0) break;
    }
    assert.equal(claimedA + claimedB, 30, 'every row claimed exactly once');
    assert.ok(claimedA > 0 && claimedB > 0, `both workers delivered (${claimedA}/${claimedB})`);
    for (const id of ids) assert.equal(receivedWithId(`<${id}@localhost>`).length, 1, `${id} received once`);
    const states = await s.services.database.db
      .selectFrom('outbox')
      .select(['status', 'attempts'])
      .where('id', 'in', [...ids])
      .execute();
    assert.ok(
      states.every((r) => r.status === 'sent' && r.attempts === 1),
      'all sent, each at the first attempt',
    );
  });
});

describe('mail without SMTP (the embedded default)', () => {
  let s: TestServer;
  before(async () => {
    s = await startServer();
  });
  after(() => s.close());

  it('R-IMP-09: mails are logged and marked logged; a login code is in no log line and no listing', async () => {
    assert.equal(s.services.mailWorker.mode, 'log');
    const user = await s.createUser({ password: strongPassword });
    await s.services.database.db
      .updateTable('users')
      .set({ two_factor_method: 'email' })
      .where('id', '=', user.id)
      .execute();
    const login = await s.client().login(user.primaryEmail, strongPassword);
    assert.equal(login.body.secondFactorRequired, true);
    const codeRow = await s.services.database.db
      .selectFrom('outbox')
      .selectAll()
      .where('recipient', '=', user.primaryEmail)
      .executeTakeFirstOrThrow();
    assert.equal(codeRow.kind, 'login_code', 'the second-factor mail is marked as a login code');
    const code = /\d{6}/.exec(codeRow.body_text)![0];
    await s.services.database.transaction((trx) =>
      s.services.notifications.notify(trx, {
        userId: user.id,
        type: 'impersonation.started',
        variables: startedFacts('Test User', s.clock.now()),
      }),
    );

    const logger = capturingLogger();
    const logging = new MailWorker({
      database: s.services.database,
      clock: s.clock,
      logger,
      smtpUrl: null,
      from: s.services.config.mailFrom,
    });
    assert.deepEqual(await logging.runOnce(), { claimed: 2, sent: 0, logged: 2, retrying: 0, failed: 0 });
    const logged = JSON.stringify(logger.lines);
    assert.ok(!logged.includes(code), 'the code is not logged');
    assert.match(logged, /Ada Admin is now acting as you/, 'other mail is logged with subject and body');
    assert.ok(logged.includes(user.primaryEmail), 'the recipient is logged');

    const listing = await s.admin.get('/api/v1/admin/outbox');
    assert.ok(!JSON.stringify(listing.body).includes(code), 'the code is in no listing');
    const item = listing.body.items.find((i: { id: string }) => i.id === codeRow.id);
    assert.equal(item.status, 'logged');
    assert.equal(item.body, '[hidden]');
    assert.equal(item.subject, '[hidden]');
    assert.equal((await logging.runOnce()).claimed, 0, 'logged mail is not logged again');
  });

  it('issue 13, R-OPS-03: a round logs its batch in one transaction; two workers log no row twice and respect a live lease', async () => {
    const second = await openDatabase(s.services.config.databaseUrl);
    try {
      const ids: string[] = [];
      await s.services.database.transaction(async (trx) => {
        for (let i = 0; i < 30; i++)
          ids.push(
            await enqueueMail(trx, s.clock, { to: `log${i}@example.test`, subject: `Log ${i}`, text: 'x' }),
          );
      });
      // One row held by a (crashed) SMTP worker: a logging round must leave it alone until the lease ends.
      const now = s.clock.now();
      assert.ok(await claimOutboxRow(s.services.database.db, ids[0]!, 'crashed-worker', now, now + 300_000));
      const loggers = [capturingLogger(), capturingLogger()];
      const [a, b] = [s.services.database, second].map(
        (database, i) =>
          new MailWorker({
            database,
            clock: s.clock,
            logger: loggers[i]!,
            smtpUrl: null,
            from: s.services.config.mailFrom,
          }),
      );
      let claimed = 0;
      for (let round = 0; round < 5; round++) {
        // On SQLite one after the other: node:sqlite blocks the thread while it waits for the
        // other connection's write lock, which this same thread holds (a deadlock only two
        // connections in one process can make; two processes are serialised by SQLite itself).
        const [ra, rb] =
          dialect === 'postgres'
            ? await Promise.all([a!.runOnce(), b!.runOnce()])
            : [await a!.runOnce(), await b!.runOnce()];
        claimed += ra.claimed + rb.claimed;
        assert.equal(ra.logged, ra.claimed);
        assert.equal(rb.logged, rb.claimed);
        if (ra.claimed + rb.claimed === 0) break;
      }
      assert.equal(claimed, 29, 'every row but the leased one logged exactly once');
      const loggedIds = loggers.flatMap((l) =>
        l.lines.map((line) => (line.obj as { outboxId: string }).outboxId),
      );
      assert.equal(new Set(loggedIds).size, loggedIds.length, 'no row in two log lines');
      assert.ok(!loggedIds.includes(ids[0]!), 'the leased row was not logged');
      const rows = await s.services.database.db
        .selectFrom('outbox')
        .select(['id', 'status', 'attempts', 'message_id', 'lease_owner'])
        .where('id', 'in', ids)
        .execute();
      for (const r of rows.filter((x) => x.id !== ids[0])) {
        assert.deepEqual(
          [r.status, r.attempts, r.message_id, r.lease_owner],
          ['logged', 1, `<${r.id}@localhost>`, null],
          `${r.id} marked logged once, with its message id, lease released`,
        );
      }
      s.clock.advance(300_000);
      assert.equal((await a!.runOnce()).logged, 1, 'the leased row is logged once its lease ended');
    } finally {
      await second.close();
    }
  });
});

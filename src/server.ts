import { loadConfig } from './config.ts';
import { openDatabase, migrateToLatest } from './db/database.ts';
import { systemClock } from './shared/clock.ts';
import { createServices } from './services.ts';
import { buildApp } from './app.ts';
import { ensureFirstSuperadmin } from './bootstrap/first-superadmin.ts';
import { backgroundJobs, writeAuditCheckpoint } from './ops/jobs.ts';
import { undeliverableCodesWarning } from './mail/transport.ts';
import { countActiveEmailCodeUsers } from './users/two-factor.store.ts';

// The server (started by src/main.ts): configuration, database (migrated), first superadmin,
// HTTP; and a graceful shutdown that finishes requests in flight before closing the database.

async function main(): Promise<void> {
  const config = loadConfig();
  const database = await openDatabase(config.databaseUrl);
  await database.exclusive('migrate', () => migrateToLatest(database));
  const services = createServices(config, database, systemClock);
  const app = await buildApp(services);
  const jobs = backgroundJobs(services, app.log);
  // Published so that auditors can take it from the console as well as from the API.
  const { keyId, publicKeyPem } = services.auditIntegrity.keys;
  app.log.info({ keyId, publicKey: publicKeyPem }, 'audit checkpoint public key (Ed25519)');

  const first = await ensureFirstSuperadmin(services);
  if (first.created) {
    app.log.info({ email: first.email }, 'created the first superadmin');
    // That hash started a hashing thread, a V8 instance of its own; a fresh server need not
    // carry it through its first idle seconds (the next login starts one again).
    await services.hasher.releaseIdleThreads();
    if (first.generatedPassword) {
      // Shown once, on the console only: it is in no log line, file or database column. In
      // single quotes, which no generated password contains: pasted into a shell as they stand,
      // its symbols ($, !, &) stay as they are.
      process.stdout.write(
        `\n  Admin console:    ${config.publicUrl}/admin\n` +
          `  First superadmin: ${first.email} (username SAdmin)\n` +
          `  Password (shown only now; the quotes are not part of it): '${first.generatedPassword}'\n\n`,
      );
    }
  }

  // Pins what is there now, events from before keying included (issue 7 #9).
  await writeAuditCheckpoint(services, app.log);
  if ((await services.auditIntegrity.macKeyMatchesTrail()) === false) {
    app.log.error(
      'the audit MAC key is not the one that wrote the newest audit event: give every instance the same ' +
        'AUDIT_HMAC_KEY (or key directory); until then audit:verify reports bad_mac',
    );
  }

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.log.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    app
      .close()
      // The mail worker finishes a send in progress before the database goes away.
      .then(() => Promise.all(jobs.map((j) => j.stop())))
      .then(() => services.mailWorker.stop())
      // The last events before the stop are signed too (nothing appends any more).
      .then(() => writeAuditCheckpoint(services, app.log))
      .then(() => database.close())
      .then(
        () => process.exit(0),
        (error: unknown) => {
          app.log.error({ err: error }, 'shutdown failed');
          process.exit(1);
        },
      );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));

  await app.listen({ port: config.port, host: config.host });
  services.mailWorker.start();
  for (const job of jobs) job.start();
  app.log.info({ mode: services.mailWorker.mode }, 'mail worker started');
  const stranded = undeliverableCodesWarning(
    { smtpUrl: config.smtpUrl, logCodes: config.mailLogCodes },
    await countActiveEmailCodeUsers(database.db),
  );
  if (stranded) app.log.warn(stranded);
}

main().catch((error: unknown) => {
  process.stderr.write(`behalf: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});

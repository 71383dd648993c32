// Seeds millions of users for the search benchmark (issue 13, target 6: 10,000,000 users) fast
// enough to be part of a benchmark run. The rows are seededUser()'s, the same as seedUsers()
// writes through Kysely (which the tests use); only the way they reach the engine differs:
//
// - PostgreSQL: COPY ... FROM STDIN in the text format, over the `pg` driver's own protocol
//   hooks (a "submittable"), so no extra dependency. The table's secondary indexes (the
//   trigram GIN index above all) are dropped inside the transaction and rebuilt after the
//   load from their own definitions: one sorted build instead of ten million index inserts.
// - SQLite: one prepared INSERT per table reused in transactions of 100,000 users, on a
//   connection of its own with synchronous=OFF and an in-memory journal (for this load only;
//   the server's connections keep WAL and synchronous=FULL). Secondary indexes and the
//   search triggers are dropped and recreated afterwards, the FTS5 index rebuilt in one pass.
//   search_rowid is given here exactly as the insert trigger would (max + 1, in order).
//
// Both finish with what autovacuum would do soon after such a load (fresh statistics; on
// PostgreSQL a vacuum), so that measurements do not depend on its timing.
import { DatabaseSync } from 'node:sqlite';
import { setImmediate } from 'node:timers/promises';
import pg from 'pg';
import { describeDatabaseUrl, migrateToLatest, openDatabase } from '../src/db/database.ts';
import { seededUser } from './seed-users.ts';

export interface BulkSeedOptions {
  users: number;
  from?: number;
  passwordHash?: string | null;
  /** Called after each batch with the users written so far, and once per phase. */
  onProgress?: (done: number, phase: 'rows' | 'indexes') => void;
}

const batchSize = 50_000;

/** Migrates the database at `url` and bulk-loads users from..from+users-1 into it. */
export async function bulkSeedUsers(url: string, options: BulkSeedOptions): Promise<void> {
  const database = await openDatabase(url);
  try {
    await migrateToLatest(database);
  } finally {
    await database.close();
  }
  const { dialect, location } = describeDatabaseUrl(url);
  if (dialect === 'postgres') await seedPostgres(location, options);
  else await seedSqlite(location, options);
}

/**
 * The seeded rows in batches. Generating them is most of the client's work (two random ids and
 * a folded search text per user), so it yields to the event loop now and then: on PostgreSQL
 * the previous batch's bytes go out to the server meanwhile, which loads it on the other core.
 */
async function* batches(options: BulkSeedOptions) {
  const from = options.from ?? 0;
  const end = from + options.users;
  for (let start = from; start < end; start += batchSize) {
    const rows = [];
    for (let i = start; i < Math.min(end, start + batchSize); i++) {
      rows.push(seededUser(i, options.passwordHash ?? null));
      if (i % 2000 === 0) await setImmediate();
    }
    yield { rows, done: Math.min(end, start + batchSize) - from };
  }
}

// ---- SQLite ----

const sqliteValue = (v: unknown) => (typeof v === 'boolean' ? (v ? 1 : 0) : (v as string | number | null));

async function seedSqlite(path: string, options: BulkSeedOptions): Promise<void> {
  const db = new DatabaseSync(path);
  try {
    db.exec('PRAGMA journal_mode = MEMORY');
    db.exec('PRAGMA synchronous = OFF');
    db.exec('PRAGMA cache_size = -1048576'); // 1 GiB: the index builds sort in it
    db.exec('PRAGMA temp_store = MEMORY');
    // Everything on these tables that is not a constraint's own index: rebuilt after the load.
    const dropped = db
      .prepare(
        `SELECT type, name, sql FROM sqlite_master
         WHERE tbl_name IN ('users', 'user_emails') AND type IN ('index', 'trigger') AND sql IS NOT NULL`,
      )
      .all() as Array<{ type: string; name: string; sql: string }>;
    const next = db.prepare('SELECT coalesce(max(search_rowid), 0) AS n FROM users').get() as { n: number };
    let searchRowid = Number(next.n);
    db.exec('BEGIN');
    for (const d of dropped) db.exec(`DROP ${d.type.toUpperCase()} "${d.name}"`);
    let userInsert: ReturnType<DatabaseSync['prepare']> | undefined;
    let emailInsert: ReturnType<DatabaseSync['prepare']> | undefined;
    for await (const { rows, done } of batches(options)) {
      const first = rows[0]!;
      const userColumns = [...Object.keys(first.user), 'search_rowid'];
      const emailColumns = Object.keys(first.email);
      userInsert ??= db.prepare(
        `INSERT INTO users (${userColumns.join(', ')}) VALUES (${userColumns.map(() => '?').join(', ')})`,
      );
      emailInsert ??= db.prepare(
        `INSERT INTO user_emails (${emailColumns.join(', ')}) VALUES (${emailColumns.map(() => '?').join(', ')})`,
      );
      for (const { user, email } of rows) {
        userInsert.run(...Object.values(user).map(sqliteValue), ++searchRowid);
        emailInsert.run(...Object.values(email).map(sqliteValue));
      }
      db.exec('COMMIT');
      db.exec('BEGIN');
      options.onProgress?.(done, 'rows');
    }
    for (const d of dropped.filter((x) => x.type === 'index')) db.exec(d.sql);
    db.exec(`INSERT INTO users_fts (users_fts) VALUES ('rebuild')`);
    for (const d of dropped.filter((x) => x.type === 'trigger')) db.exec(d.sql);
    db.exec('COMMIT');
    options.onProgress?.(options.users, 'indexes');
    db.exec('ANALYZE');
  } catch (error) {
    if (db.isTransaction) db.exec('ROLLBACK');
    throw error;
  } finally {
    db.exec('PRAGMA journal_mode = WAL');
    db.close();
  }
}

// ---- PostgreSQL ----

// COPY's text format: backslash escapes for the characters that delimit it, \N for NULL.
function copyField(v: string | number | boolean | null): string {
  if (v === null) return '\\N';
  if (typeof v === 'boolean') return v ? 't' : 'f';
  return String(v).replace(
    /[\\\t\n\r]/g,
    (c) => ({ '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' })[c]!,
  );
}

const copyLines = (records: object[]): string =>
  records
    .map((r) => (Object.values(r) as Array<string | number | boolean | null>).map(copyField).join('\t'))
    .join('\n') + '\n';

/**
 * One `COPY ... FROM STDIN` as a query the `pg` client runs in its queue: it sends the
 * statement, waits for the server's CopyInResponse, streams `data`, and settles when the server
 * is ready for the next query (with its error, if the server refused a row).
 */
class CopyIn {
  callback?: (error: Error | null) => void;
  private error: Error | null = null;
  private readonly text: string;
  private readonly data: string;

  constructor(text: string, data: string) {
    this.text = text;
    this.data = data;
  }

  submit(connection: PgConnection): void {
    connection.query(this.text);
  }

  handleCopyInResponse(connection: PgConnection): void {
    // Chunks of 1 MiB: CopyData messages are bounded by the protocol's 1 GiB message size.
    const chunk = 1 << 20;
    for (let at = 0; at < this.data.length; at += chunk) {
      connection.sendCopyFromChunk(Buffer.from(this.data.slice(at, at + chunk)));
    }
    connection.endCopyFrom();
  }

  handleError(error: Error): void {
    this.error = error;
  }

  handleReadyForQuery(): void {
    this.callback?.(this.error);
  }

  handleCommandComplete(): void {}
  handleRowDescription(): void {}
  handleDataRow(): void {}
  handleEmptyQuery(): void {}
  handlePortalSuspended(): void {}
  handleCopyData(): void {}
}

interface PgConnection {
  query(text: string): void;
  sendCopyFromChunk(chunk: Buffer): void;
  endCopyFrom(): void;
}

function copyIn(client: pg.Client, table: string, records: object[]): Promise<void> {
  const columns = Object.keys(records[0]!).join(', ');
  const query = new CopyIn(`COPY ${table} (${columns}) FROM STDIN`, copyLines(records));
  return new Promise((resolve, reject) => {
    query.callback = (error) => (error ? reject(error) : resolve());
    void client.query(query as unknown as pg.QueryConfig);
  });
}

async function seedPostgres(url: string, options: BulkSeedOptions): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('BEGIN');
    // Indexes that back no constraint (a constraint's index stays: dropping it drops the
    // constraint). Their definitions come from the catalogue, so they return exactly.
    const { rows: indexes } = await client.query<{ name: string; def: string }>(`
      SELECT c.relname AS name, pg_get_indexdef(i.indexrelid) AS def
      FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
      WHERE i.indrelid IN ('users'::regclass, 'user_emails'::regclass)
        AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)`);
    for (const ix of indexes) await client.query(`DROP INDEX "${ix.name}"`);
    // Foreign keys from these tables: checked row by row while in place (one lookup per row,
    // most of a load's time), by one join when added back.
    const { rows: foreignKeys } = await client.query<{ name: string; table: string; def: string }>(`
      SELECT conname AS name, conrelid::regclass::text AS table, pg_get_constraintdef(oid) AS def
      FROM pg_constraint
      WHERE conrelid IN ('users'::regclass, 'user_emails'::regclass) AND contype = 'f'`);
    for (const fk of foreignKeys) await client.query(`ALTER TABLE ${fk.table} DROP CONSTRAINT "${fk.name}"`);
    // One batch in flight: the server loads it while the next one is generated.
    let inFlight: Promise<unknown> = Promise.resolve();
    for await (const { rows, done } of batches(options)) {
      await inFlight;
      inFlight = Promise.all([
        copyIn(
          client,
          'users',
          rows.map((r) => r.user),
        ),
        copyIn(
          client,
          'user_emails',
          rows.map((r) => r.email),
        ),
      ]).then(() => options.onProgress?.(done, 'rows'));
      // Awaited at the next batch or after the last; until then a failure must not count as
      // unhandled (it is rethrown there, and the transaction rolled back).
      inFlight.catch(() => {});
    }
    await inFlight;
    await client.query(`SET LOCAL maintenance_work_mem = '1GB'`);
    for (const ix of indexes) await client.query(ix.def);
    for (const fk of foreignKeys) {
      await client.query(`ALTER TABLE ${fk.table} ADD CONSTRAINT "${fk.name}" ${fk.def}`);
    }
    await client.query('COMMIT');
    options.onProgress?.(options.users, 'indexes');
    await client.query('VACUUM ANALYZE users');
    await client.query('VACUUM ANALYZE user_emails');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    await client.end();
  }
}

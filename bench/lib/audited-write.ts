import pg from 'pg';
import {
  DummyDriver,
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
  type CompiledQuery,
} from 'kysely';
import { loadConfig } from '../../src/config.ts';
import { openDatabase, type Database, type Db, type Dialect } from '../../src/db/database.ts';
import type { Schema } from '../../src/db/schema.ts';
import { recordAudit } from '../../src/audit/audit.ts';
import { systemContext } from '../../src/shared/request-context.ts';
import { openSqlite } from '../../src/db/sqlite-node.ts';
import { enqueueMail } from '../../src/mail/mail.ts';
import { createServices } from '../../src/services.ts';
import { systemClock } from '../../src/shared/clock.ts';
import type { AuthedContext } from '../../src/http/context.ts';
import { findUserRowByLogin, toUser, updateUserRow } from '../../src/users/users.store.ts';
import { principalOf, searchTextOf } from '../../src/users/user.ts';
import { r2 } from './load.ts';

// The audited admin write (DESIGN §6): one durable transaction holding the change, its audit
// event and an outbox row. Measured twice at the same concurrency on the same database:
//  - service: Behalf's own UsersService.change, the path every admin edit takes (load, authorize,
//    compare-and-set update, outbox row, chained audit event, commit, cache invalidation, reload);
//  - raw: the same write statements on the bare driver (node:sqlite / pg), nothing else.

export interface WriteRate {
  perSecond: number;
  p50: number;
  p99: number;
  ops: number;
  failures: number;
  /** The first failure's message: a rate of failures measures nothing. */
  firstFailure?: string;
}

async function drive(
  concurrency: number,
  seconds: number,
  op: (i: number, worker: number) => Promise<void>,
): Promise<WriteRate> {
  const times: number[] = [];
  let next = 0;
  let failures = 0;
  let firstFailure: string | undefined;
  const t0 = performance.now();
  const end = t0 + seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async (_, worker) => {
      while (performance.now() < end) {
        const i = next++;
        const s = performance.now();
        try {
          await op(i, worker);
          times.push(performance.now() - s);
        } catch (error) {
          failures++;
          firstFailure ??= error instanceof Error ? error.message : String(error);
        }
      }
    }),
  );
  const elapsed = (performance.now() - t0) / 1000;
  times.sort((a, b) => a - b);
  const q = (p: number) => r2(times[Math.min(times.length - 1, Math.floor(p * times.length))] ?? NaN);
  return {
    perSecond: r2(times.length / elapsed),
    p50: q(0.5),
    p99: q(0.99),
    ops: times.length,
    failures,
    ...(firstFailure === undefined ? {} : { firstFailure }),
  };
}

interface Target {
  id: string;
  email: string;
  version: number;
  lastName: string;
  username: string | null;
}

/** Plain users to edit, each at most once per pass, so concurrent edits never collide. */
async function targets(db: Db, count: number): Promise<Target[]> {
  const rows = await db
    .selectFrom('users')
    .select(['id', 'primary_email', 'version', 'last_name', 'username'])
    .where('role', '=', 'user')
    .limit(count)
    .execute();
  if (rows.length < 100) throw new Error(`only ${rows.length} users to edit; seed more`);
  return rows.map((r) => ({
    id: r.id,
    email: r.primary_email ?? 'nobody@peer.test',
    version: r.version,
    lastName: r.last_name,
    username: r.username,
  }));
}

/** The notice the user gets of the change: the outbox row of the transaction. */
function mail(to: string) {
  return { to, subject: 'Your profile was changed', text: 'An administrator changed your first name.' };
}

async function superadminContext(database: Database, login: string): Promise<AuthedContext> {
  const row = await findUserRowByLogin(database.db, login);
  if (!row) throw new Error(`no superadmin ${login}`);
  return {
    ...systemContext('bench'),
    ip: '127.0.0.1',
    session: { id: 'bench' },
    user: principalOf(toUser(row)),
  };
}

export async function serviceWriteRate(
  databaseUrl: string,
  adminLogin: string,
  concurrency: number,
  seconds: number,
): Promise<WriteRate> {
  const database = await openDatabase(databaseUrl);
  try {
    const services = createServices(loadConfig({ DATABASE_URL: databaseUrl }), database, systemClock);
    const ctx = await superadminContext(database, adminLogin);
    const users = await targets(database.db, 20_000);
    return await drive(concurrency, seconds, async (i) => {
      const t = users[i % users.length]!;
      const firstName = `Bench${i}`;
      await services.users.change(ctx, t.id, null, 'users.update', (agg) => ({
        values: {
          first_name: firstName,
          search_text: searchTextOf(
            { ...agg.user, firstName },
            agg.emails.map((e) => e.address),
          ),
        },
        changes: { firstName: { before: agg.user.firstName, after: firstName } },
        auditAction: 'user.updated',
        alsoInTransaction: async (trx) => void (await enqueueMail(trx, systemClock, mail(t.email))),
      }));
    });
  } finally {
    await database.close();
  }
}

/**
 * Behalf's own store functions on a Kysely that executes nothing and records what it would
 * send: so the raw path runs exactly the statements the service path runs, whatever the stores
 * look like today. (The audit insert's hash links to a dummy predecessor, since the recorder
 * reads no rows; the real predecessor is still read on the engine, so the cost is the same.)
 */
function statementRecorder(dialect: Dialect) {
  const recorded: CompiledQuery[] = [];
  const pgLike = dialect === 'postgres';
  const db = new Kysely<Schema>({
    dialect: {
      createAdapter: () => (pgLike ? new PostgresAdapter() : new SqliteAdapter()),
      createDriver: () => new DummyDriver(),
      createIntrospector: (k) => (pgLike ? new PostgresIntrospector(k) : new SqliteIntrospector(k)),
      createQueryCompiler: () => (pgLike ? new PostgresQueryCompiler() : new SqliteQueryCompiler()),
    },
    log: (event) => {
      if (event.level === 'query') recorded.push(event.query);
    },
  });
  return { db, recorded };
}

/** The statements of one audited write of user `t`, in the order the service runs them. */
async function writeStatements(
  recorder: ReturnType<typeof statementRecorder>,
  ctx: AuthedContext,
  t: Target,
  i: number,
): Promise<CompiledQuery[]> {
  recorder.recorded.length = 0;
  const now = Date.now();
  const firstName = `Raw${i}`;
  const searchText = searchTextOf({ id: t.id, firstName, lastName: t.lastName, username: t.username }, [
    t.email,
  ]);
  // A transaction on the recorder (its dummy driver sends nothing, BEGIN and COMMIT included),
  // because audit appends take only a transaction.
  // eslint-disable-next-line no-restricted-syntax -- a statement recorder, not a database
  await recorder.db.transaction().execute(async (trx) => {
    await updateUserRow(trx, t.id, t.version, {
      first_name: firstName,
      search_text: searchText,
      updated_at: now,
    });
    t.version++;
    await enqueueMail(trx, systemClock, mail(t.email));
    await recordAudit(trx, systemClock, ctx, {
      action: 'user.updated',
      target: { type: 'user', id: t.id, label: `User ${t.lastName}` },
      changes: { firstName: { before: 'x', after: firstName } },
    });
  });
  return [...recorder.recorded];
}

/** Raw rate on SQLite: the same file settings (WAL, synchronous=FULL), one transaction each. */
export async function rawSqliteWriteRate(
  path: string,
  database: Database,
  adminLogin: string,
  concurrency: number,
  seconds: number,
): Promise<WriteRate> {
  const users = await targets(database.db, 20_000);
  const ctx = await superadminContext(database, adminLogin);
  // One recorder per worker: a shared one would mix the statements of interleaved writes.
  const recorders = Array.from({ length: concurrency }, () => statementRecorder('sqlite'));
  const handle = openSqlite(path);
  try {
    // node:sqlite is synchronous: each transaction runs to its commit before the next starts,
    // so in one process the concurrency only interleaves the loops, as in Behalf's own driver.
    return await drive(concurrency, seconds, async (i, worker) => {
      const statements = await writeStatements(recorders[worker]!, ctx, users[i % users.length]!, i);
      handle.raw.exec('begin');
      try {
        for (const q of statements) handle.prepare(q.sql).all(q.parameters);
        handle.raw.exec('commit');
      } catch (error) {
        handle.raw.exec('rollback');
        throw error;
      }
    });
  } finally {
    handle.close();
  }
}

/** Raw rate on PostgreSQL: a pool as large as Behalf's, each write in its own transaction. */
export async function rawPgWriteRate(
  url: string,
  database: Database,
  adminLogin: string,
  concurrency: number,
  seconds: number,
): Promise<WriteRate> {
  const users = await targets(database.db, 20_000);
  const ctx = await superadminContext(database, adminLogin);
  // One recorder per worker: a shared one would mix the statements of interleaved writes.
  const recorders = Array.from({ length: concurrency }, () => statementRecorder('postgres'));
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  try {
    return await drive(concurrency, seconds, async (i, worker) => {
      const statements = await writeStatements(recorders[worker]!, ctx, users[i % users.length]!, i);
      const client = await pool.connect();
      try {
        await client.query('begin');
        for (const q of statements) await client.query(q.sql, [...q.parameters]);
        await client.query('commit');
      } catch (error) {
        await client.query('rollback');
        throw error;
      } finally {
        client.release();
      }
    });
  } finally {
    await pool.end();
  }
}

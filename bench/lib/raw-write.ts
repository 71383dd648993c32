import pg from 'pg';
import {
  DummyDriver,
  InsertQueryNode,
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  PrimitiveValueListNode,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
  ValuesNode,
  type CompiledQuery,
} from 'kysely';
import { describeDatabaseUrl, type Dialect } from '../../src/db/database.ts';
import type { Schema } from '../../src/db/schema.ts';
import { recordAudit } from '../../src/audit/audit.ts';
import { chainHead } from '../../src/audit/audit.store.ts';
import { linkToHead, type ChainHead, type UnlinkedEvent } from '../../src/audit/chain.ts';
import { auditMacKey } from '../../src/audit/keys.ts';
import { openSqlite } from '../../src/db/sqlite-node.ts';
import { enqueueMail } from '../../src/mail/mail.ts';
import { systemClock } from '../../src/shared/clock.ts';
import type { AuthedContext } from '../../src/http/context.ts';
import { updateUserRow } from '../../src/users/users.store.ts';
import { searchTextOf } from '../../src/users/user.ts';

// The raw side of the audited admin write (audited-write.ts): the statements of one
// UsersService.change on the bare driver (node:sqlite / pg), nothing else.
//
// Behalf's own store functions run on a Kysely that executes nothing and records what it would
// send, so the raw path runs exactly the statements the service path runs, whatever the stores
// look like today. One part of them depends on what the database holds at the time: the audit
// event links to the chain's head (issue 7 #9: the next dense position, the head's hash, its own
// hash and MAC). So the replay, inside its transaction and after the chain lock (PostgreSQL's
// advisory lock, recorded from lockChain; SQLite's one writer), runs the recorded head query,
// links the event with the audit store's own linkToHead and sends the recorded insert with
// those values in place of the recorder's, whose head was none.

export interface Target {
  id: string;
  email: string;
  version: number;
  lastName: string;
  username: string | null;
}

/** The notice the user gets of the change: the outbox row of the transaction. */
export function changeMail(to: string) {
  return { to, subject: 'Your profile was changed', text: 'An administrator changed your first name.' };
}

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
type Recorder = ReturnType<typeof statementRecorder>;

/** What the replay does with a recorded statement. */
type Step =
  | { kind: 'plain'; query: CompiledQuery }
  | { kind: 'head'; query: CompiledQuery }
  | { kind: 'audit'; query: CompiledQuery; columns: string[] };

/** The audit insert's columns, when `query` is one: its parameters are one value per column. */
function auditInsertColumns(query: CompiledQuery): string[] | null {
  const node = query.query;
  if (!InsertQueryNode.is(node) || node.into?.table.identifier.name !== 'audit_events') return null;
  const columns = (node.columns ?? []).map((c) => c.column.name);
  const rows = node.values && ValuesNode.is(node.values) ? node.values.values : [];
  if (
    rows.length !== 1 ||
    !PrimitiveValueListNode.is(rows[0]!) ||
    query.parameters.length !== columns.length
  ) {
    throw new Error('the audit insert is no longer one row of plain values; update the raw writer');
  }
  return columns;
}

/** The statements of one audited write of user `t`, in the order the service runs them. */
async function writeSteps(recorder: Recorder, headSql: string, ctx: AuthedContext, t: Target, i: number) {
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
    await enqueueMail(trx, systemClock, changeMail(t.email));
    await recordAudit(trx, systemClock, ctx, {
      action: 'user.updated',
      target: { type: 'user', id: t.id, label: `User ${t.lastName}` },
      changes: { firstName: { before: 'x', after: firstName } },
    });
  });
  return recorder.recorded.map((query): Step => {
    if (query.sql === headSql) return { kind: 'head', query };
    const columns = auditInsertColumns(query);
    return columns ? { kind: 'audit', query, columns } : { kind: 'plain', query };
  });
}

/** The head query's answer, as chainHead reads it. */
function headOf(rows: ReadonlyArray<Record<string, unknown>>): ChainHead | null {
  const last = rows[0];
  if (!last) return null;
  // chainHead counts the events under a version 1 head; a benchmark's database starts keyed.
  if (last.position === null) throw new Error('the chain head is a version 1 event: not a fresh database');
  return { position: Number(last.position), hash: String(last.hash) };
}

/** The audit insert's parameters, linked to `head`. */
function linkedParameters(step: Step & { kind: 'audit' }, head: ChainHead | null): unknown[] {
  const row = Object.fromEntries(step.columns.map((c, k) => [c, step.query.parameters[k]]));
  const linked: Record<string, unknown> = linkToHead(row as UnlinkedEvent, head, auditMacKey());
  return step.columns.map((c) => linked[c]);
}

export interface RawWriter {
  /** One audited write of `target`, in its own durable transaction. */
  write(target: Target, i: number, worker: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * A raw writer on the database at `url` for `concurrency` concurrent workers. Event MACs take
 * the key installed in this process (createServices installs it), as the service's do.
 */
export async function openRawWriter(
  url: string,
  ctx: AuthedContext,
  concurrency: number,
): Promise<RawWriter> {
  const { dialect, location } = describeDatabaseUrl(url);
  // One recorder per worker: a shared one would mix the statements of interleaved writes.
  const recorders = Array.from({ length: concurrency }, () => statementRecorder(dialect));
  const probe = statementRecorder(dialect);
  await chainHead(probe.db);
  const headSql = probe.recorded[0]!.sql;
  return dialect === 'sqlite'
    ? sqliteWriter(location, recorders, headSql, ctx)
    : pgWriter(location, recorders, headSql, ctx);
}

/** The same file settings as the server's (WAL, synchronous=FULL), one transaction per write. */
function sqliteWriter(path: string, recorders: Recorder[], headSql: string, ctx: AuthedContext): RawWriter {
  const handle = openSqlite(path);
  return {
    async write(t, i, worker) {
      const steps = await writeSteps(recorders[worker]!, headSql, ctx, t, i);
      // node:sqlite is synchronous: from BEGIN to COMMIT nothing else runs on this thread, so
      // transactions are serialized as on Behalf's one connection, the head read included.
      handle.raw.exec('begin');
      try {
        let head: ChainHead | null = null;
        for (const step of steps) {
          const parameters = step.kind === 'audit' ? linkedParameters(step, head) : step.query.parameters;
          const rows = handle.prepare(step.query.sql).all(parameters) as Array<Record<string, unknown>>;
          if (step.kind === 'head') head = headOf(rows);
        }
        handle.raw.exec('commit');
      } catch (error) {
        handle.raw.exec('rollback');
        throw error;
      }
    },
    close: () => Promise.resolve(handle.close()),
  };
}

/** A pool as large as Behalf's; the recorded advisory lock serializes the chain as lockChain does. */
function pgWriter(url: string, recorders: Recorder[], headSql: string, ctx: AuthedContext): RawWriter {
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  return {
    async write(t, i, worker) {
      const steps = await writeSteps(recorders[worker]!, headSql, ctx, t, i);
      const client = await pool.connect();
      try {
        await client.query('begin');
        let head: ChainHead | null = null;
        for (const step of steps) {
          const parameters = step.kind === 'audit' ? linkedParameters(step, head) : step.query.parameters;
          const { rows } = await client.query(step.query.sql, [...parameters]);
          if (step.kind === 'head') head = headOf(rows as Array<Record<string, unknown>>);
        }
        await client.query('commit');
      } catch (error) {
        await client.query('rollback');
        throw error;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}

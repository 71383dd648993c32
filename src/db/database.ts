import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import {
  Kysely,
  Migrator,
  PostgresAdapter,
  PostgresDialect,
  SqliteDialect,
  sql,
  type Migration,
} from 'kysely';
import type pg from 'pg';
import type { Schema } from './schema.ts';
import { openSqlite } from './sqlite-node.ts';
import { migrations } from './migrations/index.ts';
import { TransactionScope, type Tx } from './transactions.ts';

export type Dialect = 'sqlite' | 'postgres';
export type Db = Kysely<Schema>;
export type { Tx } from './transactions.ts';

/**
 * Everything that differs between the two engines lives here, as capabilities and mappers,
 * so that services and most stores never ask which engine they run on.
 */
export interface Database {
  /** The outer handle. Inside `transaction(...)` it refuses to run (see transactions.ts). */
  db: Db;
  dialect: Dialect;
  /**
   * Runs `work` in one transaction; the only way to open one (eslint forbids `.transaction()`
   * elsewhere). Inside `work`, only `trx` reaches the database: the outer handle throws.
   */
  transaction<T>(work: (trx: Tx) => Promise<T>): Promise<T>;
  /** Sends a message to every server instance on this database (this one included). */
  broadcast(channel: 'invalidate', message: string): Promise<void>;
  onBroadcast(handler: (message: string) => void): void;
  /** Runs `work` while no other instance runs work under the same name (start-up tasks). */
  exclusive<T>(name: string, work: () => Promise<T>): Promise<T>;
  /** Whether the database answers; for /readyz. */
  ping(): Promise<boolean>;
  /** The connection pool's state, for /metrics; SQLite has one connection and no pool. */
  poolStats(): { total: number; idle: number; waiting: number } | null;
  close(): Promise<void>;
}

type Pg = typeof pg;
let pgModule: Promise<Pg> | undefined;
/**
 * The `pg` driver, loaded on first use: a server on SQLite never needs it, and it costs about
 * 10 MB resident (docs/benchmarks.md, idle memory).
 */
function loadPg(): Promise<Pg> {
  pgModule ??= import('pg').then(({ default: driver }) => {
    // BIGINT (timestamps in ms, counts) as numbers: every value we store fits in 2^53.
    driver.types.setTypeParser(20, (v) => Number(v));
    return driver;
  });
  return pgModule;
}

export function describeDatabaseUrl(url: string | undefined): { dialect: Dialect; location: string } {
  if (!url) return { dialect: 'sqlite', location: './data/behalf.db' };
  if (url.startsWith('sqlite:')) return { dialect: 'sqlite', location: url.slice('sqlite:'.length) };
  if (/^postgres(ql)?:\/\//.test(url)) return { dialect: 'postgres', location: url };
  throw new Error(`DATABASE_URL must start with sqlite: or postgres:// (got "${url.split(':')[0]}:...")`);
}

export async function openDatabase(url: string | undefined): Promise<Database> {
  const { dialect, location } = describeDatabaseUrl(url);
  return dialect === 'sqlite' ? openSqliteDatabase(location) : openPostgresDatabase(location);
}

// Invalidations go out after the commit: sent from inside a transaction, another instance (or
// this one) could reload the old state and cache it before the change commits.
const broadcastInside = 'a cache invalidation was broadcast inside a transaction; send it after the commit';

function openSqliteDatabase(path: string): Database {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const handle = openSqlite(path);
  const scope = new TransactionScope();
  const db = new Kysely<Schema>({ dialect: scope.guard(new SqliteDialect({ database: handle })) });
  const handlers: Array<(m: string) => void> = [];
  return {
    db,
    dialect: 'sqlite',
    transaction: (work) => scope.run(db, work),
    // One process owns a SQLite file, so a broadcast is a local call.
    broadcast: (_channel, message) => {
      scope.assertOutside(broadcastInside);
      for (const h of handlers) h(message);
      return Promise.resolve();
    },
    onBroadcast: (h) => void handlers.push(h),
    // One process owns the file (WAL, one writer): nothing to coordinate with.
    exclusive: (_name, work) => work(),
    ping: () => Promise.resolve(handle.raw.isOpen),
    poolStats: () => null,
    close: () => db.destroy(),
  };
}

async function openPostgresDatabase(url: string): Promise<Database> {
  const pg = await loadPg();
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  // An idle client that errors (server restart) must not crash the process; the pool replaces it.
  pool.on('error', () => {});
  const scope = new TransactionScope();
  const db = new Kysely<Schema>({ dialect: scope.guard(new PostgresDialect({ pool })) });
  const handlers: Array<(m: string) => void> = [];
  const listener = new PostgresListener(pg, url, 'behalf_invalidate', (m) => handlers.forEach((h) => h(m)));
  await listener.start();
  return {
    db,
    dialect: 'postgres',
    transaction: (work) => scope.run(db, work),
    // Delivered here at once (the next request on this instance must see it), and to the
    // others through NOTIFY; handlers are idempotent, so our own echo does no harm.
    broadcast: async (_channel, message) => {
      scope.assertOutside(broadcastInside);
      for (const h of handlers) h(message);
      await pool.query('select pg_notify($1, $2)', ['behalf_invalidate', message]);
    },
    onBroadcast: (h) => void handlers.push(h),
    exclusive: async (name, work) => {
      const client = await pool.connect();
      try {
        await client.query('select pg_advisory_lock(hashtext($1))', [`behalf:${name}`]);
        try {
          return await work();
        } finally {
          await client.query('select pg_advisory_unlock(hashtext($1))', [`behalf:${name}`]);
        }
      } finally {
        client.release();
      }
    },
    poolStats: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
    ping: async () => {
      try {
        await pool.query('select 1');
        return true;
      } catch {
        return false;
      }
    },
    close: async () => {
      await listener.stop();
      await db.destroy();
    },
  };
}

/**
 * LISTEN on a dedicated connection; reconnects with backoff. After a reconnect it reports
 * '*' so caches drop everything: notifications sent while disconnected are lost.
 */
class PostgresListener {
  private client: pg.Client | null = null;
  private stopped = false;
  private retry: NodeJS.Timeout | null = null;
  private readonly pg: Pg;
  private readonly url: string;
  private readonly channel: string;
  private readonly deliver: (message: string) => void;

  constructor(driver: Pg, url: string, channel: string, deliver: (message: string) => void) {
    this.pg = driver;
    this.url = url;
    this.channel = channel;
    this.deliver = deliver;
  }

  async start(): Promise<void> {
    const client = new this.pg.Client({ connectionString: this.url });
    client.on('notification', (n) => this.deliver(n.payload ?? '*'));
    client.on('error', () => this.reconnect());
    client.on('end', () => this.reconnect());
    await client.connect();
    await client.query(`LISTEN ${this.channel}`);
    this.client = client;
  }

  private reconnect(delay = 500): void {
    if (this.stopped || this.retry) return;
    this.client = null;
    this.retry = setTimeout(() => {
      this.retry = null;
      this.start().then(
        () => this.deliver('*'),
        () => this.reconnect(Math.min(delay * 2, 10_000)),
      );
    }, delay);
    this.retry.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retry) clearTimeout(this.retry);
    await this.client?.end().catch(() => {});
  }
}

export async function migrateToLatest(database: Database): Promise<void> {
  const provider = {
    getMigrations: () => {
      const out: Record<string, Migration> = {};
      for (const [name, m] of Object.entries(migrations)) {
        out[name] = { up: (db) => m.up(db, database.dialect) };
      }
      return Promise.resolve(out);
    },
  };
  const migrator = new Migrator({ db: database.db, provider });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) {
    throw new Error(`database migration ${failed?.migrationName ?? ''} failed: ${String(error)}`, {
      cause: error,
    });
  }
}

/** Maps a unique-constraint failure to the names involved, or null for any other error. */
export function uniqueViolation(error: unknown): string | null {
  if (typeof error !== 'object' || error === null) return null;
  const e = error as { code?: unknown; constraint?: unknown; message?: unknown; errcode?: unknown };
  if (e.code === '23505') return typeof e.constraint === 'string' ? e.constraint : '';
  // SQLITE_CONSTRAINT_UNIQUE (2067) and SQLITE_CONSTRAINT_PRIMARYKEY (1555) name the columns.
  if ((e.errcode === 2067 || e.errcode === 1555) && typeof e.message === 'string') return e.message;
  return null;
}

/** A foreign-key failure in either engine (PostgreSQL 23503, SQLITE_CONSTRAINT_FOREIGNKEY). */
export function foreignKeyViolation(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const e = error as { code?: unknown; errcode?: unknown };
  return e.code === '23503' || e.errcode === 787;
}

/**
 * Inside a transaction: waits until no other transaction appends to the named chain (the audit
 * trail). PostgreSQL takes a transaction-scoped advisory lock; SQLite's single writer already
 * serializes write transactions.
 */
export async function lockChain(trx: Tx, name: string): Promise<void> {
  if (trx.getExecutor().adapter instanceof PostgresAdapter) {
    await sql`select pg_advisory_xact_lock(hashtext(${name}))`.execute(trx);
  }
}

/** Reads a boolean column the same way in both dialects (see schema.ts). */
export function bool(value: boolean | number): boolean {
  return value === true || value === 1;
}

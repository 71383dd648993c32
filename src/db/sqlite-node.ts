import { DatabaseSync, type StatementSync } from 'node:sqlite';
import type { SqliteDatabase, SqliteStatement } from 'kysely';

// Kysely's SqliteDialect expects a better-sqlite3-shaped handle; node:sqlite is close enough
// that a small adapter suffices, which spares us a native dependency.

type Param = null | number | bigint | string | NodeJS.ArrayBufferView;

/** node:sqlite binds no booleans and no undefined; map them to what SQLite stores. */
function bindable(values: ReadonlyArray<unknown>): Param[] {
  return values.map((v) => {
    if (typeof v === 'boolean') return v ? 1 : 0;
    if (v === undefined) return null;
    return v as Param;
  });
}

class Statement implements SqliteStatement {
  readonly reader: boolean;
  private readonly stmt: StatementSync;
  constructor(stmt: StatementSync) {
    this.stmt = stmt;
    this.reader = stmt.columns().length > 0;
  }
  all(parameters: ReadonlyArray<unknown>): unknown[] {
    return this.stmt.all(...bindable(parameters));
  }
  run(parameters: ReadonlyArray<unknown>) {
    return this.stmt.run(...bindable(parameters));
  }
  iterate(parameters: ReadonlyArray<unknown>): IterableIterator<unknown> {
    return this.stmt.iterate(...bindable(parameters));
  }
}

/**
 * Opens a SQLite file for a server that must not lose acknowledged changes: WAL with
 * synchronous=FULL fsyncs the WAL at every commit, so a power loss after an answer loses nothing.
 */
export function openSqlite(path: string): SqliteDatabase & { raw: DatabaseSync } {
  const raw = new DatabaseSync(path);
  raw.exec('PRAGMA journal_mode = WAL');
  raw.exec('PRAGMA synchronous = FULL');
  raw.exec('PRAGMA foreign_keys = ON');
  raw.exec('PRAGMA busy_timeout = 5000');
  raw.exec('PRAGMA cache_size = -65536'); // 64 MiB page cache: the user search walks indexes
  raw.exec('PRAGMA temp_store = MEMORY');
  // Kysely prepares every query; compiling is the expensive part, so keep the statements.
  const cache = new Map<string, Statement>();
  return {
    raw,
    close: () => {
      cache.clear();
      raw.close();
    },
    prepare(sql: string): SqliteStatement {
      let stmt = cache.get(sql);
      if (!stmt) {
        stmt = new Statement(raw.prepare(sql));
        if (cache.size >= 1000) cache.delete(cache.keys().next().value!);
        cache.set(sql, stmt);
      }
      return stmt;
    },
  };
}

import { AsyncLocalStorage } from 'node:async_hooks';
import type {
  DatabaseConnection,
  Dialect,
  Driver,
  Kysely,
  QueryCompiler,
  Transaction,
  TransactionSettings,
} from 'kysely';
import type { Schema } from './schema.ts';

// Transactions, with the outer handle made unreachable while one is open (issue 7 #17).
//
// Why: a service that, inside a transaction, reaches the database through the outer handle
// (`database.db`) either hangs forever on SQLite (one connection, held by the transaction
// itself) or, on PostgreSQL, silently reads and writes outside the transaction, where its
// locks (the audit chain's, R-IMP-08) do not hold. So the outer handle's driver refuses to hand
// out a connection while the calling async context is inside `Database.transaction(...)`: the
// mistake becomes an immediate error in every test that reaches it, on both engines.
//
// Kysely routes a transaction's own queries through a SingleConnectionProvider bound to the
// connection the transaction acquired at its start; they never call `acquireConnection` again
// (kysely/dist/esm/kysely.js, TransactionBuilder.execute), so they are unaffected.

/** A transaction handle. Audit appends demand this type (a plain `Kysely` does not fit). */
export type Tx = Transaction<Schema>;

export class OuterHandleInTransactionError extends Error {
  constructor(
    message = 'the outer database handle was used inside a transaction; pass the transaction down ' +
      '(on SQLite this would hang, on PostgreSQL it would run outside the transaction)',
  ) {
    super(message);
    this.name = 'OuterHandleInTransactionError';
  }
}

// The async contexts that run inside a transaction, and whose. `open` turns false when the work
// ends, so that a promise the work started and left running may use the outer handle once the
// transaction is over.
const storage = new AsyncLocalStorage<{ scope: TransactionScope; open: boolean }>();

/**
 * Runs `start` outside any transaction's scope. For work that a transaction only sets going and
 * that lives on by itself (a timer, a background round): it may use the outer handle at any
 * time, also while the transaction that started it is still open.
 */
export function detached<T>(start: () => T): T {
  return storage.exit(start);
}

/** One per database: refuses its outer handle to code inside one of its transactions. */
export class TransactionScope {
  inside(): boolean {
    const store = storage.getStore();
    return store?.scope === this && store.open;
  }

  /** Throws the programmer error when the current async context is inside a transaction. */
  assertOutside(message?: string): void {
    if (this.inside()) throw new OuterHandleInTransactionError(message);
  }

  /** Wraps a dialect so that its driver refuses connections to code inside a transaction. */
  guard(dialect: Dialect): Dialect {
    return {
      createAdapter: () => dialect.createAdapter(),
      createQueryCompiler: () => dialect.createQueryCompiler(),
      createIntrospector: (db) => dialect.createIntrospector(db),
      createDriver: () => new GuardedDriver(dialect.createDriver(), this),
    };
  }

  /**
   * Runs `work` in one transaction on `db` (whose dialect went through `guard`). The connection
   * is acquired before the scope opens; inside it, only `trx` reaches the database.
   */
  run<T>(db: Kysely<Schema>, work: (trx: Tx) => Promise<T>): Promise<T> {
    // A transaction inside a transaction would wait for the connection its parent holds
    // (SQLite) or commit independently of it (PostgreSQL): refuse it the same way.
    this.assertOutside();
    return db.transaction().execute((trx) => {
      const state = { scope: this, open: true };
      return storage.run(state, async () => {
        try {
          return await work(trx);
        } finally {
          state.open = false;
        }
      });
    });
  }
}

class GuardedDriver implements Driver {
  private readonly inner: Driver;
  private readonly scope: TransactionScope;

  constructor(inner: Driver, scope: TransactionScope) {
    this.inner = inner;
    this.scope = scope;
  }

  init(): Promise<void> {
    return this.inner.init();
  }

  acquireConnection(): Promise<DatabaseConnection> {
    // Checked before the inner driver queues for its connection (SQLite's mutex), so the
    // mistake throws instead of waiting forever.
    if (this.scope.inside()) return Promise.reject(new OuterHandleInTransactionError());
    return this.inner.acquireConnection();
  }

  beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    return this.inner.beginTransaction(connection, settings);
  }

  commitTransaction(connection: DatabaseConnection): Promise<void> {
    return this.inner.commitTransaction(connection);
  }

  rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    return this.inner.rollbackTransaction(connection);
  }

  savepoint(connection: DatabaseConnection, name: string, compile: QueryCompiler['compileQuery']) {
    if (!this.inner.savepoint) throw new Error('savepoints are not supported by this driver');
    return this.inner.savepoint(connection, name, compile);
  }

  rollbackToSavepoint(connection: DatabaseConnection, name: string, compile: QueryCompiler['compileQuery']) {
    if (!this.inner.rollbackToSavepoint) throw new Error('savepoints are not supported by this driver');
    return this.inner.rollbackToSavepoint(connection, name, compile);
  }

  releaseSavepoint(connection: DatabaseConnection, name: string, compile: QueryCompiler['compileQuery']) {
    if (!this.inner.releaseSavepoint) throw new Error('savepoints are not supported by this driver');
    return this.inner.releaseSavepoint(connection, name, compile);
  }

  releaseConnection(connection: DatabaseConnection): Promise<void> {
    return this.inner.releaseConnection(connection);
  }

  destroy(): Promise<void> {
    return this.inner.destroy();
  }
}

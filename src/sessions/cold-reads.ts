// The first requests of many sessions arrive together (after a start, a cache clear, a wave of
// sign-ins): each needs its session read from the database once. Read one by one, on SQLite
// every read is a transaction of its own (a shared lock on the file and a read mark in the WAL
// index, taken and given back), which cost more than the indexed lookup itself (measured: 14-21
// µs a read alone against 7-9 µs in a shared transaction); on PostgreSQL every read is a round
// trip. So the reads asked for in one turn of the event loop go to the database as one query.

type Waiter<V> = { resolve: (value: V | undefined) => void; reject: (error: unknown) => void };

/**
 * Collects the keys asked for until the event loop's check phase (setImmediate: after every
 * request that arrived in this turn was parsed), then loads them all with one call of `load`,
 * at most `maxKeys` at a time. A key asked for twice is loaded once. A failed load rejects
 * every waiter of its batch.
 */
export class ColdReads<K, V> {
  private readonly load: (keys: K[]) => Promise<Map<K, V>>;
  private readonly maxKeys: number;
  private pending: Map<K, Array<Waiter<V>>> | null = null;

  constructor(load: (keys: K[]) => Promise<Map<K, V>>, maxKeys: number) {
    this.load = load;
    this.maxKeys = maxKeys;
  }

  get(key: K): Promise<V | undefined> {
    return new Promise((resolve, reject) => {
      let batch = this.pending;
      if (!batch || batch.size >= this.maxKeys) {
        batch = this.pending = new Map();
        const scheduled = batch;
        setImmediate(() => {
          if (this.pending === scheduled) this.pending = null;
          void this.flush(scheduled);
        });
      }
      const waiters = batch.get(key);
      if (waiters) waiters.push({ resolve, reject });
      else batch.set(key, [{ resolve, reject }]);
    });
  }

  private async flush(batch: Map<K, Array<Waiter<V>>>): Promise<void> {
    let found: Map<K, V>;
    try {
      found = await this.load([...batch.keys()]);
    } catch (error) {
      for (const waiters of batch.values()) for (const w of waiters) w.reject(error);
      return;
    }
    for (const [key, waiters] of batch) for (const w of waiters) w.resolve(found.get(key));
  }
}

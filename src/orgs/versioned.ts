import type { Database, Tx } from '../db/database.ts';
import { AppError } from '../shared/errors.ts';

// Optimistic concurrency for groups and domains, as users.service does it for users: check the
// version the client saw (If-Match), write with a compare-and-set on the version, and re-plan on
// the fresh state a few times when a client without If-Match keeps losing the race.

const maxAttempts = 3;
const lostRace = new Error('lost the compare-and-set race');

/**
 * Loads the current state, checks If-Match, and runs `write` in one transaction. `write`
 * returns false when its compare-and-set found a newer version; then nothing is kept, and the
 * change is tried again (without If-Match) or refused with 412 (with it). Resolves to the state
 * the change was made against.
 */
export async function versionedWrite<T extends { version: number }>(
  database: Database,
  options: {
    ifMatch: number | null;
    load: () => Promise<T>;
    stale: () => AppError;
    write: (trx: Tx, current: T) => Promise<boolean>;
    mapError?: (error: unknown) => unknown;
  },
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const current = await options.load();
    if (options.ifMatch !== null && options.ifMatch !== current.version) throw options.stale();
    try {
      await database.transaction(async (trx) => {
        if (!(await options.write(trx, current))) throw lostRace;
      });
      return current;
    } catch (error) {
      if (error !== lostRace) throw options.mapError ? options.mapError(error) : error;
    }
    if (options.ifMatch !== null || attempt >= maxAttempts) throw options.stale();
  }
}

/** Pure: the number of rows a Kysely update or delete reports, as a yes/no for one row. */
export function oneRow(result: { numUpdatedRows?: bigint; numDeletedRows?: bigint }): boolean {
  return Number(result.numUpdatedRows ?? result.numDeletedRows ?? 0) === 1;
}

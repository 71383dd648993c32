import type { Db } from '../db/database.ts';

// SQL of attempt reservation (R-ADM-14, R-OPS-05, issue 7 #10). Every limited guess (password,
// second-factor code, e-mail or enrolment code) first takes its place with one conditional
// UPDATE ... RETURNING, and only a request that got a place is checked. The database decides
// concurrent requests one after the other on the row (SQLite: one writer; PostgreSQL: the row
// lock, with the WHERE clause evaluated again on the row another request just wrote), so no
// amount of parallelism checks more guesses than the limit. Lockout bookkeeping never bumps
// `users.version`: an administrator's open edit form stays valid.

/** A reserved password or code attempt: the counter and the lock as this reservation left them. */
export interface Reservation {
  failedLogins: number;
  lockedUntil: number | null;
}

/**
 * Counts an attempt against the account before it is checked, unless the account is locked.
 * The attempt that reaches `threshold` sets the lock in the same statement, so the requests
 * after it find the account locked while it is still being checked. An account whose lock ran
 * out still holds its count, so each later attempt locks it again at once (one guess per lock
 * period) until a sign-in succeeds or an administrator resets the count.
 * The statement writes the row in either case (a refused attempt only marks
 * `last_attempt_refused`), so a locked account costs what a counted attempt costs (#13).
 * Undefined: the account is locked (nothing was counted) or gone.
 */
export async function reserveLoginAttempt(
  db: Db,
  userId: string,
  now: number,
  threshold: number,
  lockUntil: number,
): Promise<Reservation | undefined> {
  const row = await db
    .updateTable('users')
    .set((eb) => {
      // Every SET expression reads the row as it was before this statement.
      const locked = eb.and([eb('locked_until', 'is not', null), eb('locked_until', '>', now)]);
      return {
        failed_logins: eb
          .case()
          .when(locked)
          .then(eb.ref('failed_logins'))
          .else(eb('failed_logins', '+', 1))
          .end(),
        locked_until: eb
          .case()
          .when(locked)
          .then(eb.ref('locked_until'))
          .when('failed_logins', '>=', threshold - 1)
          .then(lockUntil)
          .else(eb.ref('locked_until'))
          .end(),
        last_attempt_refused: eb.case().when(locked).then(1).else(0).end(),
      };
    })
    .where('id', '=', userId)
    .returning(['failed_logins', 'locked_until', 'last_attempt_refused'])
    .executeTakeFirst();
  if (!row || Number(row.last_attempt_refused) !== 0) return undefined;
  return { failedLogins: row.failed_logins, lockedUntil: row.locked_until };
}

/**
 * Ends a reserved attempt that turned out right: `forgive` clears the count (a completed
 * sign-in), `give-back` returns only this attempt (a right password that still awaits its
 * second factor must not wipe out wrong codes). Either lifts a lock only when this attempt set
 * it (nobody counted after it); a lock set by another request meanwhile stands, and the
 * caller refuses. False in that case.
 */
export async function releaseLoginAttempt(
  db: Db,
  userId: string,
  mine: Reservation,
  now: number,
  mode: 'forgive' | 'give-back',
): Promise<boolean> {
  const result = await db
    .updateTable('users')
    .set((eb) => ({
      failed_logins:
        mode === 'forgive'
          ? 0
          : eb
              .case()
              .when('failed_logins', '>', 0)
              .then(eb('failed_logins', '-', 1))
              .else(0)
              .end(),
      locked_until: null,
    }))
    .where('id', '=', userId)
    .where((eb) =>
      eb.or([
        eb('locked_until', 'is', null),
        eb('locked_until', '<=', now),
        ...(mine.lockedUntil === null
          ? []
          : [
              eb.and([
                eb('failed_logins', '=', mine.failedLogins),
                eb('locked_until', '=', mine.lockedUntil),
              ]),
            ]),
      ]),
    )
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/**
 * The reservation of a login that names no account: the same always-writing
 * UPDATE ... RETURNING on a one-row stand-in, so that its cost tells nothing (issue 7 #13).
 */
export async function reserveDecoyAttempt(db: Db, now: number): Promise<void> {
  await db
    .updateTable('login_decoys')
    .set((eb) => {
      const locked = eb.and([eb('locked_until', 'is not', null), eb('locked_until', '>', now)]);
      return {
        // Wraps around long before the column could overflow; the value means nothing.
        failed_logins: eb
          .case()
          .when(locked)
          .then(eb.ref('failed_logins'))
          .when('failed_logins', '>=', 1_000_000)
          .then(0)
          .else(eb('failed_logins', '+', 1))
          .end(),
        locked_until: eb.case().when(locked).then(eb.ref('locked_until')).else(eb.ref('locked_until')).end(),
        last_attempt_refused: eb.case().when(locked).then(1).else(0).end(),
      };
    })
    .where('id', '=', 1)
    .returning(['failed_logins', 'locked_until', 'last_attempt_refused'])
    .executeTakeFirst();
}

export async function lockedUntilOf(db: Db, userId: string): Promise<number | null> {
  const row = await db.selectFrom('users').select('locked_until').where('id', '=', userId).executeTakeFirst();
  return row?.locked_until ?? null;
}

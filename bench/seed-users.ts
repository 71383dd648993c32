// Bulk-seeds users for measurements, straight into a migrated database, in the shape the users
// service writes them (users row, primary user_emails row, search_text from searchTextOf), and
// the same users as the peer in ../shared/bench: e-mail user{i}@peer.test, name
// "User {i} Example{i % 977}" (first name "User {i}", last name "Example{i % 977}", so
// "Example42" is a common surname). Creation dates rise with i, 30 s apart from 2016-01-01.
//
// CLI: node bench/seed-users.ts --db sqlite:./data/bench.db --users 1000000 [--from 0]
// (the CLI loads through bulk-seed.ts: COPY on PostgreSQL, a prepared INSERT on SQLite)
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import type { Database } from '../src/db/database.ts';
import type { UserEmailsTable, UsersTable } from '../src/db/schema.ts';
import { newId } from '../src/shared/ids.ts';
import { searchTextOf } from '../src/users/user.ts';
import { bulkSeedUsers } from './bulk-seed.ts';

export const seedStart = Date.UTC(2016, 0, 1);
export const seedStepMs = 30_000;

export interface SeedOptions {
  /** How many users to insert. */
  users: number;
  /** The first i (to extend an earlier seed). */
  from?: number;
  /** One PHC hash every seeded user gets (login benchmarks); none by default. */
  passwordHash?: string | null;
  onProgress?: (done: number) => void;
}

/** The users row and primary address of seeded user i. */
export function seededUser(
  i: number,
  passwordHash: string | null,
): { user: UsersTable; email: UserEmailsTable } {
  const createdAt = seedStart + i * seedStepMs;
  const id = newId(createdAt);
  const firstName = `User ${i}`;
  const lastName = `Example${i % 977}`;
  const address = `user${i}@peer.test`;
  return {
    user: {
      id,
      username: null,
      username_lower: null,
      username_key: null,
      first_name: firstName,
      last_name: lastName,
      gender: 'unspecified',
      language: 'en',
      primary_email: address,
      role: 'user',
      general_permissions: '[]',
      system_permissions: '[]',
      active: true,
      password_hash: passwordHash,
      password_changed_at: passwordHash ? createdAt : null,
      two_factor_method: 'none',
      totp_secret: null,
      failed_logins: 0,
      locked_until: null,
      search_text: searchTextOf({ id, firstName, lastName, username: null }, [address]),
      created_at: createdAt,
      updated_at: createdAt,
      version: 1,
    },
    email: {
      id: newId(createdAt),
      user_id: id,
      address,
      address_lower: address,
      verified: true,
      verified_at: createdAt,
      is_primary: true,
      created_at: createdAt,
    },
  };
}

// 23 columns x 1,000 rows stays under SQLite's 32,766 bound parameters per statement.
const rowsPerStatement = 1000;
const rowsPerTransaction = 20_000;

/** Inserts users from..from+users-1 in multi-row statements, 20,000 per transaction. */
export async function seedUsers(database: Database, options: SeedOptions): Promise<void> {
  const from = options.from ?? 0;
  const end = from + options.users;
  for (let start = from; start < end; start += rowsPerTransaction) {
    const stop = Math.min(end, start + rowsPerTransaction);
    await database.transaction(async (trx) => {
      for (let i = start; i < stop; i += rowsPerStatement) {
        const batch = [];
        for (let j = i; j < Math.min(stop, i + rowsPerStatement); j++) {
          batch.push(seededUser(j, options.passwordHash ?? null));
        }
        await trx
          .insertInto('users')
          .values(batch.map((b) => b.user))
          .execute();
        await trx
          .insertInto('user_emails')
          .values(batch.map((b) => b.email))
          .execute();
      }
    });
    options.onProgress?.(stop - from);
  }
  // What autovacuum does within a minute or two of such a load, done now so that measurements
  // do not depend on its timing: fresh statistics, and on PostgreSQL a vacuum, which also
  // moves the GIN index's pending entries into the index proper.
  if (database.dialect === 'postgres') await sql`VACUUM ANALYZE`.execute(database.db);
  else await sql`ANALYZE`.execute(database.db);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      db: { type: 'string' },
      users: { type: 'string' },
      from: { type: 'string', default: '0' },
    },
  });
  if (!values.db || !values.users) {
    console.error('usage: node bench/seed-users.ts --db sqlite:PATH|postgres://... --users N [--from I]');
    process.exit(2);
  }
  const users = Number(values.users);
  const began = performance.now();
  const seconds = () => (performance.now() - began) / 1000;
  await bulkSeedUsers(values.db, {
    users,
    from: Number(values.from),
    onProgress: (done, phase) => {
      if (phase === 'indexes') console.log(`\nindexes rebuilt, ${seconds().toFixed(0)} s`);
      else process.stdout.write(`\r${done} / ${users} users, ${(done / seconds()).toFixed(0)} rows/s`);
    },
  });
  console.log(`seeded ${users} users in ${seconds().toFixed(1)} s`);
}

if (import.meta.main) await main();

import { loadConfig } from '../../src/config.ts';
import { openDatabase, type Database, type Db } from '../../src/db/database.ts';
import { enqueueMail } from '../../src/mail/mail.ts';
import { createServices } from '../../src/services.ts';
import { systemClock } from '../../src/shared/clock.ts';
import type { AuthedContext } from '../../src/http/context.ts';
import { systemContext } from '../../src/shared/request-context.ts';
import { findUserRowByLogin, toUser } from '../../src/users/users.store.ts';
import { principalOf, searchTextOf } from '../../src/users/user.ts';
import { r2 } from './load.ts';
import { changeMail, openRawWriter, type Target } from './raw-write.ts';

// The audited admin write (DESIGN §6): one durable transaction holding the change, its audit
// event and an outbox row. Measured twice at the same concurrency on the same database:
//  - service: Behalf's own UsersService.change, the path every admin edit takes (load, authorize,
//    compare-and-set update, outbox row, chained audit event, commit, cache invalidation, reload);
//  - raw: the same write statements on the bare driver (node:sqlite / pg), nothing else; the
//    audit event linked to the chain's head under the chain lock, as the audit store does
//    (raw-write.ts).

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
  env: Record<string, string> = {},
): Promise<WriteRate> {
  const database = await openDatabase(databaseUrl);
  try {
    const config = loadConfig({ ...env, DATABASE_URL: databaseUrl });
    const services = createServices(config, database, systemClock);
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
        alsoInTransaction: async (trx) => void (await enqueueMail(trx, systemClock, changeMail(t.email))),
      }));
    });
  } finally {
    await database.close();
  }
}

/** Raw rate: the service's write statements on the bare driver (raw-write.ts), same concurrency. */
export async function rawWriteRate(
  url: string,
  database: Database,
  adminLogin: string,
  concurrency: number,
  seconds: number,
): Promise<WriteRate> {
  const users = await targets(database.db, 20_000);
  const ctx = await superadminContext(database, adminLogin);
  const writer = await openRawWriter(url, ctx, concurrency);
  try {
    return await drive(concurrency, seconds, (i, worker) =>
      writer.write(users[i % users.length]!, i, worker),
    );
  } finally {
    await writer.close();
  }
}

// `npm run seed`: fills a database with realistic people for trying Behalf (issue 10 #16):
// German and English names with umlauts, addresses and usernames, three domains, eight groups
// with members, a power user in every 200. Bulk inserts in the shape the services write; no
// audit events (seeding is not an administrator's act), so the audit trail stays as it was.
//
//   npm run seed -- --users 10000 [--database-url sqlite:./data/try.db | postgres://...]
//                   [--password 'Some-Password-1'] [--seed 7]
// Without --database-url: the server's database (DATABASE_URL, else ./data/behalf.db).
// --password gives every seeded user that password (one argon2id hash, shared); without it the
// seeded users cannot log in until an administrator sets a password (still searchable, and an
// administrator can act as them).
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config.ts';
import { migrateToLatest, openDatabase } from '../src/db/database.ts';
import { PasswordHasher } from '../src/credentials/password-hasher.ts';
import { seed } from '../src/ops/seed.ts';

const usage = 'usage: npm run seed -- --users N [--database-url URL] [--password PASSWORD] [--seed NUMBER]';

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      users: { type: 'string' },
      'database-url': { type: 'string' },
      password: { type: 'string' },
      seed: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  const users = Number(values.users);
  const seedNumber = values.seed === undefined ? Date.now() % 1_000_000 : Number(values.seed);
  if (
    values.help ||
    !Number.isSafeInteger(users) ||
    users < 1 ||
    users > 10_000_000 ||
    !Number.isSafeInteger(seedNumber)
  ) {
    console.error(usage);
    return 2;
  }
  const url = values['database-url'] ?? loadConfig().databaseUrl;
  const database = await openDatabase(url);
  try {
    await database.exclusive('migrate', () => migrateToLatest(database));
    const passwordHash = values.password ? await new PasswordHasher(1, 1).hash(values.password) : null;
    const began = performance.now();
    const report = await seed(database, {
      users,
      now: Date.now(),
      seed: seedNumber,
      passwordHash,
      onProgress: (done) => process.stdout.write(`\r${done} / ${users} users`),
    });
    const seconds = ((performance.now() - began) / 1000).toFixed(1);
    console.log(
      `\nseeded ${report.users} users (${report.powerUsers} power users, ${report.memberships} group ` +
        `memberships; ${report.domainsCreated} new domains, ${report.groupsCreated} new groups) in ${seconds} s`,
    );
    return 0;
  } finally {
    await database.close();
  }
}

process.exitCode = await main();

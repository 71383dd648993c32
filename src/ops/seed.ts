import type { Database } from '../db/database.ts';
import { seedRows } from './seed-data.ts';
import { analyze, countUsers, existingOrgs, insertSeedRows } from './seed.store.ts';
import { isPowerUser } from '../permissions/can.ts';

// `npm run seed` (issue 10 #16) as a function, so that a test can seed a database it holds.

export interface SeedOptions {
  users: number;
  now: number;
  /** Reproduces the same people; differs per run by default. */
  seed?: number;
  passwordHash?: string | null;
  onProgress?: (done: number) => void;
}

export interface SeedReport {
  users: number;
  powerUsers: number;
  memberships: number;
  domainsCreated: number;
  groupsCreated: number;
}

const usersPerBatch = 5000;

export async function seed(database: Database, options: SeedOptions): Promise<SeedReport> {
  const report: SeedReport = { users: 0, powerUsers: 0, memberships: 0, domainsCreated: 0, groupsCreated: 0 };
  // Numbering continues after the users there are, so usernames and addresses stay unique
  // when seeding twice.
  const from = await countUsers(database.db);
  const span = 2 * 365 * 24 * 3600_000;
  const first = options.now - span;
  for (let done = 0; done < options.users; done += usersPerBatch) {
    const orgs = await existingOrgs(database.db);
    const rows = seedRows({
      users: Math.min(usersPerBatch, options.users - done),
      from: from + done,
      // The batch's share of the last two years, so creation dates rise across batches too.
      createdFrom: first + (done / options.users) * span,
      createdTo: first + (Math.min(done + usersPerBatch, options.users) / options.users) * span,
      seed: options.seed ?? 1,
      passwordHash: options.passwordHash ?? null,
      existingDomains: orgs.domains,
      existingGroups: orgs.groups,
    });
    await insertSeedRows(database, rows);
    report.users += rows.users.length;
    report.powerUsers += rows.users.filter(isPowerUser).length;
    report.memberships += rows.members.length;
    report.domainsCreated += rows.domains.length;
    report.groupsCreated += rows.groups.length;
    options.onProgress?.(report.users);
  }
  await analyze(database);
  return report;
}

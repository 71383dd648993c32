import type {
  DomainsTable,
  GroupMembersTable,
  GroupsTable,
  PowerUserResourcesTable,
  UserEmailsTable,
  UsersTable,
} from '../db/schema.ts';
import { newId } from '../shared/ids.ts';
import { foldTerm } from '../users/search-fold.ts';
import { searchTextOf } from '../users/user.ts';
import { usernameKey } from '../users/username.ts';

// `npm run seed` (issue 10 #16): realistic data for trying Behalf. Pure: the rows are made here
// from a seeded random sequence (the same input gives the same people), scripts/seed.ts writes
// them. Rows have the shape the services write (search text, username key, primary address).

const germanFirst = ['Jürgen', 'Jörg', 'Björn', 'Sören', 'Anna', 'Lena', 'Jürgen', 'Käthe', 'Günther', 'Uwe'];
const germanFirst2 = [
  'Zoë',
  'Hans',
  'Grete',
  'Maximilian',
  'Sophie',
  'Lukas',
  'Mia',
  'Emilia',
  'Ömer',
  'Klaus',
];
const germanLast = [
  'Müller',
  'Schröder',
  'Schmidt',
  'Schneider',
  'Fischer',
  'Weiß',
  'Groß',
  'Köhler',
  'Schäfer',
  'Krüger',
  'Hoffmann',
  'Bäcker',
  'Jäger',
  'Böhm',
  'Fuß',
  'Mueller',
  'Schroeder',
  'Wagner',
  'Becker',
  'Lößner',
];
const englishFirst = ['Oliver', 'Amelia', 'Harry', 'Isla', 'Jack', 'Chloë', 'George', 'Emily', 'Noah', 'Zoe'];
const englishLast = [
  'Smith',
  'Jones',
  'Taylor',
  'Brown',
  'Williams',
  'Wilson',
  'Johnson',
  'Davies',
  'Evans',
  "O'Brien",
];

export const seedDomains: Array<{ name: string; host: string }> = [
  { name: 'Schule Nord', host: 'nord.schule.example' },
  { name: 'Akademie Süd', host: 'sued.akademie.example' },
  { name: 'Riverside College', host: 'riverside.college.example' },
];
export const seedGroups = [
  'Lehrkräfte',
  'Schüler 5a',
  'Schüler 6b',
  'Elternbeirat',
  'Staff Room',
  'Year 9',
  'Chess Club',
  'Prüfungsamt',
];

/** A small deterministic random sequence (mulberry32): seeds reproduce, no state shared. */
export function randomSequence(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface SeedInput {
  users: number;
  /** Numbers people from here (a second run continues after the first). */
  from: number;
  /** Creation times of this batch's users are spread evenly over [createdFrom, createdTo). */
  createdFrom: number;
  createdTo: number;
  seed: number;
  /** One PHC hash every seeded user gets, or null (nobody can log in until given a password). */
  passwordHash: string | null;
  /** Domains and groups that exist already, by lower-cased name: reused, not made again. */
  existingDomains: Map<string, string>;
  existingGroups: Map<string, string>;
}

export interface SeedRows {
  domains: DomainsTable[];
  groups: GroupsTable[];
  users: UsersTable[];
  emails: UserEmailsTable[];
  members: GroupMembersTable[];
  powerUsers: PowerUserResourcesTable[];
}

const pick = <T>(r: () => number, list: readonly T[]): T => list[Math.floor(r() * list.length)]!;
const slug = (text: string) => foldTerm(text).replace(/[^a-z0-9]/g, '');

/** Every 200th seeded user is a power user (at least one), reaching a group, a domain or users. */
export const powerUserEvery = 200;

export function seedRows(input: SeedInput): SeedRows {
  const r = randomSequence(input.seed + input.from);
  const rows: SeedRows = { domains: [], groups: [], users: [], emails: [], members: [], powerUsers: [] };
  // Oldest first, so the numbering and the creation dates agree.
  const first = input.createdFrom;
  const span = input.createdTo - input.createdFrom;
  const domainIds = seedDomains.map((d) => {
    const known = input.existingDomains.get(d.name.toLowerCase());
    if (known) return known;
    const id = newId(first);
    rows.domains.push({
      id,
      name: d.name,
      name_lower: d.name.toLowerCase(),
      host_name: d.host,
      created_at: first,
      version: 1,
    });
    return id;
  });
  const groupIds = seedGroups.map((name) => {
    const known = input.existingGroups.get(name.toLowerCase());
    if (known) return known;
    const id = newId(first);
    rows.groups.push({ id, name, name_lower: name.toLowerCase(), created_at: first, version: 1 });
    return id;
  });
  for (let k = 0; k < input.users; k++) {
    const i = input.from + k;
    const createdAt = Math.floor(first + (k / input.users) * span);
    const german = r() < 0.6;
    const firstName = german ? pick(r, r() < 0.5 ? germanFirst : germanFirst2) : pick(r, englishFirst);
    const lastName = german ? pick(r, germanLast) : pick(r, englishLast);
    const d = Math.floor(r() * (seedDomains.length + 1)); // the last value: no domain
    const host = d < seedDomains.length ? seedDomains[d]!.host : german ? 'beispiel.example' : 'example.org';
    const address = `${slug(firstName)}.${slug(lastName)}${i}@${host}`;
    const username = r() < 0.7 ? `${slug(firstName)}.${slug(lastName)}${i}` : null;
    const id = newId(createdAt);
    const power = i % powerUserEvery === powerUserEvery - 1 || (k === 0 && input.from === 0);
    rows.users.push({
      id,
      username,
      username_lower: username?.toLowerCase() ?? null,
      username_key: username ? usernameKey(username) : null,
      first_name: firstName,
      last_name: lastName,
      gender: pick(r, ['female', 'male', 'diverse', 'unspecified']),
      language: german ? 'de' : 'en',
      primary_email: address,
      role: power ? 'power-user' : 'user',
      general_permissions: '[]',
      system_permissions: '[]',
      active: r() < 0.97,
      password_hash: input.passwordHash,
      password_changed_at: input.passwordHash ? createdAt : null,
      two_factor_method: 'none',
      totp_secret: null,
      failed_logins: 0,
      locked_until: null,
      search_text: searchTextOf({ id, firstName, lastName, username }, [address]),
      created_at: createdAt,
      updated_at: createdAt,
      version: 1,
      domain_id: d < seedDomains.length ? domainIds[d]! : null,
    });
    rows.emails.push({
      id: newId(createdAt),
      user_id: id,
      address,
      address_lower: address.toLowerCase(),
      verified: true,
      verified_at: createdAt,
      is_primary: true,
      created_at: createdAt,
    });
    // Most people are in one group, some in two, some in none.
    const g1 = Math.floor(r() * (groupIds.length + 2));
    if (g1 < groupIds.length) rows.members.push({ group_id: groupIds[g1]!, user_id: id });
    if (r() < 0.2) {
      const g2 = Math.floor(r() * groupIds.length);
      if (g2 !== g1) rows.members.push({ group_id: groupIds[g2]!, user_id: id });
    }
    if (power) {
      const reach = i % 3;
      if (reach === 0)
        rows.powerUsers.push({ power_user_id: id, kind: 'group', resource_id: pick(r, groupIds) });
      else if (reach === 1)
        rows.powerUsers.push({ power_user_id: id, kind: 'domain', resource_id: pick(r, domainIds) });
      // Individual users: the ones seeded just before (none for the very first).
      else
        for (const u of rows.users.slice(-4, -1))
          rows.powerUsers.push({ power_user_id: id, kind: 'user', resource_id: u.id });
    }
  }
  return rows;
}

import type { Selectable, Updateable } from 'kysely';
import { bool, type Db } from '../db/database.ts';
import type { UserEmailsTable, UsersTable } from '../db/schema.ts';
import type { GeneralPermission, Role, SystemPermission } from '../permissions/catalogue.ts';
import type { Gender, Language, TwoFactorMethod, User, UserEmail } from './user.ts';
import { prepareUsername, usernameKey } from './username.ts';

// SQL for users and their e-mail addresses. Plain functions taking `db` (or a transaction)
// first; rows become domain objects here and nowhere else.

/** The columns a User is made of; how `hasPassword` is known differs by query. */
export type UserColumns = Omit<
  Selectable<UsersTable>,
  | 'password_hash'
  | 'password_changed_at'
  | 'totp_secret'
  | 'search_text'
  | 'username_lower'
  | 'last_attempt_refused'
  | 'username_key'
> &
  Partial<Selectable<UsersTable>>;

export function toUser(row: Selectable<UsersTable>): User {
  return userFromColumns(row, row.password_hash !== null);
}

/** Maps user columns to the domain object; the list query selects `hasPassword` as a flag. */
export function userFromColumns(row: UserColumns, hasPassword: boolean): User {
  return {
    id: row.id,
    username: row.username,
    firstName: row.first_name,
    lastName: row.last_name,
    gender: row.gender as Gender,
    language: row.language as Language,
    primaryEmail: row.primary_email,
    role: row.role as Role,
    generalPermissions: JSON.parse(row.general_permissions) as GeneralPermission[],
    systemPermissions: JSON.parse(row.system_permissions) as SystemPermission[],
    active: bool(row.active),
    hasPassword,
    twoFactorMethod: row.two_factor_method as TwoFactorMethod,
    failedLogins: row.failed_logins,
    lockedUntil: row.locked_until,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    version: row.version,
    domainId: row.domain_id ?? null,
  };
}

export function toEmail(row: Selectable<UserEmailsTable>): UserEmail {
  return {
    id: row.id,
    address: row.address,
    verified: bool(row.verified),
    verifiedAt: row.verified_at,
    primary: bool(row.is_primary),
    createdAt: row.created_at,
  };
}

export async function findUserRow(db: Db, id: string) {
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findUser(db: Db, id: string): Promise<User | undefined> {
  const row = await findUserRow(db, id);
  return row && toUser(row);
}

export async function listEmails(db: Db, userId: string): Promise<UserEmail[]> {
  const rows = await db
    .selectFrom('user_emails')
    .selectAll()
    .where('user_id', '=', userId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map(toEmail);
}

/**
 * The user a login names: a username, or an e-mail address. A verified address wins; an
 * unverified one counts only when it is some profile's primary address and no other profile
 * has it, so an address someone merely added to their own profile never captures a login.
 */
export async function findUserRowByLogin(db: Db, login: string) {
  const lower = login.trim().toLowerCase();
  // Usernames compare by their PRECIS key, so "ＳＡｄｍｉｎ" signs in as SAdmin (issue 7 #19).
  const byUsername = await db
    .selectFrom('users')
    .selectAll()
    .where('username_key', '=', usernameKey(prepareUsername(login.trim())))
    .executeTakeFirst();
  // No early return: found or not, by username or by address, a login runs the same three
  // queries, so the number of round trips tells nothing about which accounts exist (issue 7 #13).
  const owners = await db
    .selectFrom('user_emails')
    .select(['user_id', 'verified', 'is_primary'])
    .where('address_lower', '=', lower)
    .execute();
  const verified = owners.find((o) => bool(o.verified));
  const primaries = owners.filter((o) => bool(o.is_primary));
  const owner = verified ?? (primaries.length === 1 && owners.length === 1 ? primaries[0] : undefined);
  // An empty id matches no row (ids are never empty) and costs what a match does.
  return findUserRow(db, byUsername?.id ?? owner?.user_id ?? '');
}

export async function insertUserRow(db: Db, row: UsersTable): Promise<void> {
  await db.insertInto('users').values(row).execute();
}

export async function insertEmailRow(db: Db, row: UserEmailsTable): Promise<void> {
  await db.insertInto('user_emails').values(row).execute();
}

/**
 * Updates a user if its version is still `expectedVersion` (optimistic concurrency), bumping
 * the version. Returns false when someone else changed it first, or it is gone.
 */
export async function updateUserRow(
  db: Db,
  id: string,
  expectedVersion: number,
  values: Updateable<UsersTable>,
): Promise<boolean> {
  const result = await db
    .updateTable('users')
    .set({ ...values, version: expectedVersion + 1 })
    .where('id', '=', id)
    .where('version', '=', expectedVersion)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/**
 * Deletes a user if its version is still `expectedVersion`, so a delete confirmed against an
 * older state of the profile does not go through. Addresses, sessions and login challenges go
 * with it (ON DELETE CASCADE); the audit trail keeps its own labels. False when it lost a race.
 */
export async function deleteUserRow(db: Db, id: string, expectedVersion: number): Promise<boolean> {
  const result = await db
    .deleteFrom('users')
    .where('id', '=', id)
    .where('version', '=', expectedVersion)
    .executeTakeFirst();
  return Number(result.numDeletedRows) === 1;
}

export async function setPasswordHash(db: Db, id: string, hash: string, now: number): Promise<void> {
  await db
    .updateTable('users')
    .set({ password_hash: hash, password_changed_at: now })
    .where('id', '=', id)
    .execute();
}

export async function countSuperadmins(db: Db): Promise<number> {
  const row = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('role', '=', 'superadmin')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function countActiveSuperadmins(db: Db): Promise<number> {
  const row = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('role', '=', 'superadmin')
    .where('active', '=', true)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

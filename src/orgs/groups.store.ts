import type { Db } from '../db/database.ts';
import type { GroupsTable } from '../db/schema.ts';
import { oneRow } from './versioned.ts';

// SQL for groups and their members. Plain functions taking `db` (or a transaction) first.

export interface Group {
  id: string;
  name: string;
  memberCount: number;
  createdAt: number;
  version: number;
}

export interface GroupMember {
  id: string;
  firstName: string;
  lastName: string;
  primaryEmail: string | null;
}

function groupsWithCounts(db: Db) {
  return db
    .selectFrom('groups')
    .select(['id', 'name', 'created_at', 'version'])
    .select((eb) =>
      eb
        .selectFrom('group_members')
        .select(eb.fn.countAll<number>().as('n'))
        .whereRef('group_members.group_id', '=', 'groups.id')
        .as('member_count'),
    );
}

type Row = { id: string; name: string; created_at: number; version: number; member_count: number | null };

function toGroup(row: Row): Group {
  return {
    id: row.id,
    name: row.name,
    memberCount: Number(row.member_count ?? 0),
    createdAt: row.created_at,
    version: row.version,
  };
}

export async function findGroup(db: Db, id: string): Promise<Group | undefined> {
  const row = await groupsWithCounts(db).where('id', '=', id).executeTakeFirst();
  return row && toGroup(row);
}

export async function listGroups(db: Db): Promise<Group[]> {
  const rows = await groupsWithCounts(db).orderBy('name_lower').orderBy('id').execute();
  return rows.map(toGroup);
}

export async function insertGroup(db: Db, row: GroupsTable): Promise<void> {
  await db.insertInto('groups').values(row).execute();
}

/** Renames (or, with the same name, only bumps the version) when the version still matches. */
export async function updateGroupRow(
  db: Db,
  id: string,
  expectedVersion: number,
  values: { name: string },
): Promise<boolean> {
  const result = await db
    .updateTable('groups')
    .set({ name: values.name, name_lower: values.name.toLowerCase(), version: expectedVersion + 1 })
    .where('id', '=', id)
    .where('version', '=', expectedVersion)
    .executeTakeFirst();
  return oneRow(result);
}

/** Members go with the group (ON DELETE CASCADE). */
export async function deleteGroupRow(db: Db, id: string, expectedVersion: number): Promise<boolean> {
  const result = await db
    .deleteFrom('groups')
    .where('id', '=', id)
    .where('version', '=', expectedVersion)
    .executeTakeFirst();
  return oneRow(result);
}

export async function memberIdsOf(db: Db, groupId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('group_members')
    .select('user_id')
    .where('group_id', '=', groupId)
    .execute();
  // Sorted here, not in SQL: the order must not depend on the database's collation.
  return rows.map((r) => r.user_id).sort();
}

export async function listMembers(db: Db, groupId: string): Promise<GroupMember[]> {
  const rows = await db
    .selectFrom('group_members')
    .innerJoin('users', 'users.id', 'group_members.user_id')
    .select(['users.id', 'users.first_name', 'users.last_name', 'users.primary_email'])
    .where('group_members.group_id', '=', groupId)
    .orderBy('users.last_name')
    .orderBy('users.first_name')
    .orderBy('users.id')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    firstName: r.first_name,
    lastName: r.last_name,
    primaryEmail: r.primary_email,
  }));
}

export async function replaceMembers(db: Db, groupId: string, userIds: readonly string[]): Promise<void> {
  await db.deleteFrom('group_members').where('group_id', '=', groupId).execute();
  if (userIds.length > 0) {
    await db
      .insertInto('group_members')
      .values(userIds.map((userId) => ({ group_id: groupId, user_id: userId })))
      .execute();
  }
}

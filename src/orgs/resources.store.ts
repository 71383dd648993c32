import type { Db } from '../db/database.ts';
import type { PowerUserResourcesTable } from '../db/schema.ts';

// SQL for what is assigned to power users (R-IMP-02). Plain functions taking `db` first.

export type ResourceKind = PowerUserResourcesTable['kind'];

/** The ids assigned to one power user, by kind, each list sorted. */
export interface ResourceIds {
  users: string[];
  groups: string[];
  domains: string[];
}

/** The same, with what a page shows of each; only resources that still exist. */
export interface ResourceList {
  users: Array<{ id: string; firstName: string; lastName: string; primaryEmail: string | null }>;
  groups: Array<{ id: string; name: string }>;
  domains: Array<{ id: string; name: string; hostName: string | null }>;
}

const kinds: Record<keyof ResourceIds, ResourceKind> = { users: 'user', groups: 'group', domains: 'domain' };

export async function resourceIdsOf(db: Db, powerUserId: string): Promise<ResourceIds> {
  const rows = await db
    .selectFrom('power_user_resources')
    .select(['kind', 'resource_id'])
    .where('power_user_id', '=', powerUserId)
    .execute();
  // Sorted here, not in SQL: the order must not depend on the database's collation.
  const of = (kind: ResourceKind) =>
    rows
      .filter((r) => r.kind === kind)
      .map((r) => r.resource_id)
      .sort();
  return { users: of('user'), groups: of('group'), domains: of('domain') };
}

export async function listResources(db: Db, powerUserId: string): Promise<ResourceList> {
  const assigned = (kind: ResourceKind) =>
    db
      .selectFrom('power_user_resources')
      .select('resource_id')
      .where('power_user_id', '=', powerUserId)
      .where('kind', '=', kind);
  const [users, groups, domains] = await Promise.all([
    db
      .selectFrom('users')
      .select(['id', 'first_name', 'last_name', 'primary_email'])
      .where('id', 'in', assigned('user'))
      .orderBy('last_name')
      .orderBy('first_name')
      .orderBy('id')
      .execute(),
    db
      .selectFrom('groups')
      .select(['id', 'name'])
      .where('id', 'in', assigned('group'))
      .orderBy('name_lower')
      .execute(),
    db
      .selectFrom('domains')
      .select(['id', 'name', 'host_name'])
      .where('id', 'in', assigned('domain'))
      .orderBy('name_lower')
      .execute(),
  ]);
  return {
    users: users.map((u) => ({
      id: u.id,
      firstName: u.first_name,
      lastName: u.last_name,
      primaryEmail: u.primary_email,
    })),
    groups,
    domains: domains.map((d) => ({ id: d.id, name: d.name, hostName: d.host_name })),
  };
}

/** Replaces the whole set of a power user's resources. */
export async function replaceResources(db: Db, powerUserId: string, next: ResourceIds): Promise<void> {
  await clearResources(db, powerUserId);
  const rows = (Object.keys(kinds) as Array<keyof ResourceIds>).flatMap((key) =>
    next[key].map((id) => ({ power_user_id: powerUserId, kind: kinds[key], resource_id: id })),
  );
  if (rows.length > 0) await db.insertInto('power_user_resources').values(rows).execute();
}

export async function clearResources(db: Db, powerUserId: string): Promise<void> {
  await db.deleteFrom('power_user_resources').where('power_user_id', '=', powerUserId).execute();
}

/** Removes a deleted user, group or domain from every power user's resources. */
export async function unassignEverywhere(db: Db, kind: ResourceKind, resourceId: string): Promise<void> {
  await db
    .deleteFrom('power_user_resources')
    .where('kind', '=', kind)
    .where('resource_id', '=', resourceId)
    .execute();
}

/** Which of these ids name an existing row of the table. */
export async function existingIds(db: Db, table: 'users' | 'groups' | 'domains', ids: readonly string[]) {
  if (ids.length === 0) return new Set<string>();
  const rows = await db
    .selectFrom(table)
    .select('id')
    .where('id', 'in', [...ids])
    .execute();
  return new Set(rows.map((r) => r.id));
}

import type { Selectable } from 'kysely';
import type { Db } from '../db/database.ts';
import type { DomainsTable } from '../db/schema.ts';
import { oneRow } from './versioned.ts';

// SQL for domains (sub-tenants). Plain functions taking `db` (or a transaction) first.

export interface Domain {
  id: string;
  name: string;
  hostName: string | null;
  createdAt: number;
  version: number;
}

export function toDomain(row: Selectable<DomainsTable>): Domain {
  return {
    id: row.id,
    name: row.name,
    hostName: row.host_name,
    createdAt: row.created_at,
    version: row.version,
  };
}

export async function findDomain(db: Db, id: string): Promise<Domain | undefined> {
  const row = await db.selectFrom('domains').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toDomain(row);
}

/** Whether a domain has this host name (stored lower-case ASCII, unique). */
export async function isDomainHostName(db: Db, hostName: string): Promise<boolean> {
  const row = await db
    .selectFrom('domains')
    .select('id')
    .where('host_name', '=', hostName)
    .executeTakeFirst();
  return row !== undefined;
}

export async function listDomains(db: Db): Promise<Domain[]> {
  const rows = await db.selectFrom('domains').selectAll().orderBy('name_lower').orderBy('id').execute();
  return rows.map(toDomain);
}

/** R-IMP-02: "with domains in use", power users act only within their assigned domains. */
export async function domainsInUse(db: Db): Promise<boolean> {
  const row = await db.selectFrom('domains').select('id').limit(1).executeTakeFirst();
  return row !== undefined;
}

export async function insertDomain(db: Db, row: DomainsTable): Promise<void> {
  await db.insertInto('domains').values(row).execute();
}

export async function updateDomainRow(
  db: Db,
  id: string,
  expectedVersion: number,
  values: { name: string; hostName: string | null },
): Promise<boolean> {
  const result = await db
    .updateTable('domains')
    .set({
      name: values.name,
      name_lower: values.name.toLowerCase(),
      host_name: values.hostName,
      version: expectedVersion + 1,
    })
    .where('id', '=', id)
    .where('version', '=', expectedVersion)
    .executeTakeFirst();
  return oneRow(result);
}

export async function deleteDomainRow(db: Db, id: string, expectedVersion: number): Promise<boolean> {
  const result = await db
    .deleteFrom('domains')
    .where('id', '=', id)
    .where('version', '=', expectedVersion)
    .executeTakeFirst();
  return oneRow(result);
}

/** Whether any user still belongs to the domain (one index probe, whatever its size). */
export async function domainHasUsers(db: Db, id: string): Promise<boolean> {
  const row = await db
    .selectFrom('users')
    .select('id')
    .where('domain_id', '=', id)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

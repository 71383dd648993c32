import type { Insertable, Selectable } from 'kysely';
import type { Db } from '../db/database.ts';
import type { PoliciesTable, PolicyAcceptancesTable, PolicyVersionsTable } from '../db/schema.ts';
import type { Policy, PolicyKind, PolicyVersion, PolicyVersionMeta } from './terms.ts';

// SQL for policies, their versions and acceptances. Plain functions taking `db` (or a
// transaction) first; rows become domain objects here and nowhere else.

export function toPolicy(row: Selectable<PoliciesTable>): Policy {
  return {
    id: row.id,
    kind: row.kind as PolicyKind,
    parentId: row.parent_id,
    title: row.title,
    createdAt: row.created_at,
    archivedAt: row.archived_at,
  };
}

const metaColumns = ['id', 'policy_id', 'number', 'created_at', 'published_at'] as const;

function toVersionMeta(row: Pick<Selectable<PolicyVersionsTable>, (typeof metaColumns)[number]>) {
  return {
    id: row.id,
    policyId: row.policy_id,
    number: row.number,
    createdAt: row.created_at,
    publishedAt: row.published_at,
  } satisfies PolicyVersionMeta;
}

function toVersion(row: Selectable<PolicyVersionsTable>): PolicyVersion {
  return { ...toVersionMeta(row), body: row.body };
}

export async function insertPolicy(db: Db, row: Insertable<PoliciesTable>): Promise<void> {
  await db.insertInto('policies').values(row).execute();
}

export async function findPolicy(db: Db, id: string): Promise<Policy | undefined> {
  const row = await db.selectFrom('policies').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toPolicy(row);
}

export async function listPolicies(db: Db): Promise<Policy[]> {
  const rows = await db.selectFrom('policies').selectAll().orderBy('created_at').orderBy('id').execute();
  return rows.map(toPolicy);
}

export async function archivePolicy(db: Db, id: string, at: number): Promise<boolean> {
  const r = await db
    .updateTable('policies')
    .set({ archived_at: at })
    .where('id', '=', id)
    .where('archived_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/**
 * Every policy and every version without bodies: the whole catalogue is a handful of rows, and
 * the rules that pick the current versions need all of it.
 */
export async function loadCatalogue(db: Db): Promise<{ policies: Policy[]; versions: PolicyVersionMeta[] }> {
  const policies = await listPolicies(db);
  const versions = await db
    .selectFrom('policy_versions')
    .select(metaColumns)
    .orderBy('policy_id')
    .orderBy('number')
    .execute();
  return { policies, versions: versions.map(toVersionMeta) };
}

export async function listVersions(db: Db): Promise<PolicyVersion[]> {
  const rows = await db
    .selectFrom('policy_versions')
    .selectAll()
    .orderBy('policy_id')
    .orderBy('number')
    .execute();
  return rows.map(toVersion);
}

export async function listVersionsOf(db: Db, policyId: string): Promise<PolicyVersionMeta[]> {
  const rows = await db
    .selectFrom('policy_versions')
    .select(metaColumns)
    .where('policy_id', '=', policyId)
    .orderBy('number')
    .execute();
  return rows.map(toVersionMeta);
}

export async function findVersion(db: Db, id: string): Promise<PolicyVersion | undefined> {
  const row = await db.selectFrom('policy_versions').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toVersion(row);
}

export async function versionBodies(db: Db, ids: readonly string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('policy_versions').select(['id', 'body']).where('id', 'in', ids).execute();
  return new Map(rows.map((r) => [r.id, r.body]));
}

export async function insertVersion(db: Db, row: Insertable<PolicyVersionsTable>): Promise<void> {
  await db.insertInto('policy_versions').values(row).execute();
}

export async function publishVersion(db: Db, id: string, at: number): Promise<boolean> {
  const r = await db
    .updateTable('policy_versions')
    .set({ published_at: at })
    .where('id', '=', id)
    .where('published_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

export interface AcceptanceRow {
  id: string;
  versionId: string;
  acceptedAt: number;
  onBehalfBy: string | null;
  impersonationId: string | null;
  revokedAt: number | null;
}

/** The user's acceptances in force of these versions (revoked ones left out). */
export async function activeAcceptances(
  db: Db,
  userId: string,
  versionIds: readonly string[],
): Promise<AcceptanceRow[]> {
  if (versionIds.length === 0) return [];
  const rows = await db
    .selectFrom('policy_acceptances')
    .selectAll()
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .where('policy_version_id', 'in', versionIds)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    versionId: r.policy_version_id,
    acceptedAt: r.accepted_at,
    onBehalfBy: r.accepted_on_behalf_by,
    impersonationId: r.impersonation_id,
    revokedAt: r.revoked_at,
  }));
}

/**
 * Records an acceptance unless one is in force already (the partial unique index decides, so
 * two concurrent requests record one). True when this call recorded it.
 */
export async function insertAcceptance(db: Db, row: Insertable<PolicyAcceptancesTable>): Promise<boolean> {
  const inserted = await db
    .insertInto('policy_acceptances')
    .values(row)
    .onConflict((oc) => oc.doNothing())
    .returning('id')
    .execute();
  return inserted.length > 0;
}

/** Marks the user's acceptance in force of this version revoked; true when there was one. */
export async function revokeAcceptance(
  db: Db,
  userId: string,
  versionId: string,
  at: number,
): Promise<boolean> {
  const rows = await db
    .updateTable('policy_acceptances')
    .set({ revoked_at: at })
    .where('user_id', '=', userId)
    .where('policy_version_id', '=', versionId)
    .where('revoked_at', 'is', null)
    .returning('id')
    .execute();
  return rows.length > 0;
}

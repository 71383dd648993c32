import type { Selectable } from 'kysely';
import type { Db } from '../db/database.ts';
import type { LoginServiceFlowsTable, LoginServicesTable } from '../db/schema.ts';

export type LoginServiceRow = Selectable<LoginServicesTable>;

export async function insertLoginService(db: Db, row: LoginServiceRow): Promise<void> {
  await db.insertInto('login_services').values(row).execute();
}

export async function findLoginService(db: Db, id: string): Promise<LoginServiceRow | undefined> {
  return db.selectFrom('login_services').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function listLoginServices(db: Db): Promise<LoginServiceRow[]> {
  return db.selectFrom('login_services').selectAll().orderBy('display_name').orderBy('id').execute();
}

/** The services with a button on the sign-in pages (R-ADM-17). */
export async function listShownLoginServices(db: Db): Promise<LoginServiceRow[]> {
  return db
    .selectFrom('login_services')
    .selectAll()
    .where('show_on_sign_in', '=', true)
    .orderBy('display_name')
    .orderBy('id')
    .execute();
}

/** Conditional on the version the caller read: false when another writer came first. */
export async function updateLoginService(
  db: Db,
  id: string,
  expectedVersion: number,
  changes: Partial<Omit<LoginServiceRow, 'id' | 'version'>>,
): Promise<boolean> {
  const result = await db
    .updateTable('login_services')
    .set((eb) => ({ ...changes, version: eb('version', '+', 1) }))
    .where('id', '=', id)
    .where('version', '=', expectedVersion)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export async function deleteLoginService(db: Db, id: string): Promise<boolean> {
  const result = await db.deleteFrom('login_services').where('id', '=', id).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

// --- added by the sign-in flow (issue 8, helper ls) ---

export type LoginServiceFlowRow = Selectable<LoginServiceFlowsTable>;

export async function countLinksOfService(db: Db, serviceId: string): Promise<number> {
  const row = await db
    .selectFrom('linked_accounts')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('service_id', '=', serviceId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function insertLoginServiceFlow(db: Db, row: LoginServiceFlowRow): Promise<void> {
  await db.insertInto('login_service_flows').values(row).execute();
}

/**
 * Takes a flow out, once: of two callbacks with the same state, only the one whose delete
 * removed the row gets it (a replayed callback finds nothing). Expired flows count as absent.
 */
export async function consumeLoginServiceFlow(
  db: Db,
  stateHash: string,
  now: number,
): Promise<LoginServiceFlowRow | undefined> {
  const row = await db
    .selectFrom('login_service_flows')
    .selectAll()
    .where('state_hash', '=', stateHash)
    .executeTakeFirst();
  if (!row) return undefined;
  const result = await db
    .deleteFrom('login_service_flows')
    .where('state_hash', '=', stateHash)
    .executeTakeFirst();
  if (Number(result.numDeletedRows) !== 1 || row.expires_at <= now) return undefined;
  return row;
}

export async function deleteExpiredLoginServiceFlows(db: Db, now: number): Promise<void> {
  await db.deleteFrom('login_service_flows').where('expires_at', '<=', now).execute();
}

/** The profiles that hold this (lower-cased) address verified; linking by e-mail needs one. */
export async function verifiedOwners(db: Db, addressLower: string, limit = 2): Promise<string[]> {
  const rows = await db
    .selectFrom('user_emails')
    .select('user_id')
    .distinct()
    .where('address_lower', '=', addressLower)
    .where('verified', '=', true)
    .limit(limit)
    .execute();
  return rows.map((r) => r.user_id);
}

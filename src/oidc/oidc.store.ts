import type { Db } from '../db/database.ts';

// oidc-provider's state, its signing keys and the Behalf session behind each grant. All of it
// lives in the database, so any instance can answer any request of a flow (issue 9).

export interface PayloadRow {
  payload: string;
  expires_at: number | null;
  consumed_at: number | null;
}

export async function upsertPayload(
  db: Db,
  row: {
    model: string;
    id: string;
    payload: string;
    grant_id: string | null;
    uid: string | null;
    user_code: string | null;
    expires_at: number | null;
  },
): Promise<void> {
  await db
    .insertInto('oidc_payloads')
    .values({ ...row, consumed_at: null })
    .onConflict((oc) =>
      oc.columns(['model', 'id']).doUpdateSet({
        payload: row.payload,
        grant_id: row.grant_id,
        uid: row.uid,
        user_code: row.user_code,
        expires_at: row.expires_at,
      }),
    )
    .execute();
}

export async function findPayload(
  db: Db,
  model: string,
  by: { id: string } | { uid: string } | { user_code: string },
): Promise<PayloadRow | undefined> {
  let q = db
    .selectFrom('oidc_payloads')
    .select(['payload', 'expires_at', 'consumed_at'])
    .where('model', '=', model);
  if ('id' in by) q = q.where('id', '=', by.id);
  else if ('uid' in by) q = q.where('uid', '=', by.uid);
  else q = q.where('user_code', '=', by.user_code);
  return q.executeTakeFirst();
}

/**
 * Marks a code or refresh token used, atomically: true only for the one caller that changed
 * the row, so of parallel redemptions exactly one wins (src/oidc/adapter.ts).
 */
export async function consumePayload(db: Db, model: string, id: string, now: number): Promise<boolean> {
  const result = await db
    .updateTable('oidc_payloads')
    .set({ consumed_at: now })
    .where('model', '=', model)
    .where('id', '=', id)
    .where('consumed_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export async function deletePayload(db: Db, model: string, id: string): Promise<void> {
  await db.deleteFrom('oidc_payloads').where('model', '=', model).where('id', '=', id).execute();
}

export async function deleteByGrant(db: Db, grantId: string): Promise<void> {
  await db.deleteFrom('oidc_payloads').where('grant_id', '=', grantId).execute();
}

export async function deleteExpiredPayloads(db: Db, now: number): Promise<void> {
  await db.deleteFrom('oidc_payloads').where('expires_at', '<', now).execute();
}

export async function listSigningKeys(db: Db): Promise<{ kid: string; jwk: string; created_at: number }[]> {
  return db
    .selectFrom('oidc_keys')
    .selectAll()
    .orderBy('created_at', 'desc')
    .orderBy('kid', 'desc')
    .execute();
}

/** Adds a signing key (callers hold the `oidc-keys` exclusive lock, see keys.ts). */
export async function insertSigningKey(
  db: Db,
  row: { kid: string; jwk: string; created_at: number },
): Promise<void> {
  await db.insertInto('oidc_keys').values(row).execute();
}

export interface GrantLink {
  grant_id: string;
  user_id: string;
  session_id: string;
  impersonation_id: string | null;
  created_at: number;
  /** The app the grant is for (0017). */
  client_id?: string | null;
}

export async function insertGrantLink(db: Db, link: GrantLink): Promise<void> {
  await db.insertInto('oidc_grant_links').values(link).execute();
}

export async function findGrantLink(db: Db, grantId: string): Promise<GrantLink | undefined> {
  return db
    .selectFrom('oidc_grant_links')
    .select(['grant_id', 'user_id', 'session_id', 'impersonation_id', 'created_at', 'client_id'])
    .where('grant_id', '=', grantId)
    .executeTakeFirst();
}

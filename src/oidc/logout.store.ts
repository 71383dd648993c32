import type { Selectable } from 'kysely';
import type { Db } from '../db/database.ts';
import type { OidcLogoutDeliveriesTable } from '../db/schema.ts';
import { claimLeases, dueLeaseIds } from '../db/leases.store.ts';
import { newId } from '../shared/ids.ts';

// Back-channel logout (issue 9): which apps to tell when an impersonation or a Behalf session
// ends, and the queue of logout tokens to send. Queued in the transaction of the end, so no
// committed end goes untold and no rolled-back one is told; delivered by logout-worker.ts.

export type LogoutDelivery = Selectable<OidcLogoutDeliveriesTable>;

/** The provider's session id for the grant's app, from the grant's first code (adapter.ts). */
export async function setGrantSid(db: Db, grantId: string, sid: string): Promise<void> {
  await db
    .updateTable('oidc_grant_links')
    .set({ sid })
    .where('grant_id', '=', grantId)
    .where('sid', 'is', null)
    .execute();
}

/**
 * Ends the grants made in this impersonation or Behalf session (their tokens are refused from
 * now on, provider.ts) and queues a logout token for each app with a back-channel logout URI
 * among them. Each grant ends once (one ended already, by an earlier end or a parallel one, is
 * skipped), and one token goes per app, user and provider session. Returns how many deliveries
 * were queued.
 */
export async function queueBackchannelLogout(
  db: Db,
  by: { impersonationId: string } | { sessionId: string },
  cause: string,
  now: number,
): Promise<number> {
  let q = db
    .selectFrom('oidc_grant_links as g')
    .leftJoin('oidc_apps as a', 'a.id', 'g.client_id')
    .select(['g.grant_id', 'g.client_id', 'g.user_id', 'g.sid', 'a.backchannel_logout_uri'])
    .where('g.ended_at', 'is', null);
  q =
    'impersonationId' in by
      ? q.where('g.impersonation_id', '=', by.impersonationId)
      : q.where('g.session_id', '=', by.sessionId);
  const grants = await q.orderBy('g.grant_id').execute();
  const targets = new Map<string, { clientId: string; sub: string; sid: string | null }>();
  for (const g of grants) {
    const marked = await db
      .updateTable('oidc_grant_links')
      .set({ ended_at: now })
      .where('grant_id', '=', g.grant_id)
      .where('ended_at', 'is', null)
      .executeTakeFirst();
    if (Number(marked.numUpdatedRows) === 0 || !g.client_id || !g.backchannel_logout_uri) continue;
    const clientId = g.client_id;
    targets.set(JSON.stringify([clientId, g.user_id, g.sid]), { clientId, sub: g.user_id, sid: g.sid });
  }
  for (const t of targets.values()) await insertLogoutDelivery(db, { ...t, cause }, now);
  return targets.size;
}

/**
 * Queues one logout token (the provider's own RP-initiated logout, backchannel.ts), and ends
 * the grants of that app and provider session, so a later end does not tell them again.
 */
export async function queueProviderLogout(
  db: Db,
  t: { clientId: string; sub: string; sid: string | null },
  now: number,
): Promise<void> {
  if (t.sid !== null) {
    await db
      .updateTable('oidc_grant_links')
      .set({ ended_at: now })
      .where('client_id', '=', t.clientId)
      .where('sid', '=', t.sid)
      .where('ended_at', 'is', null)
      .execute();
  }
  await insertLogoutDelivery(db, { ...t, cause: 'rp_logout' }, now);
}

async function insertLogoutDelivery(
  db: Db,
  t: { clientId: string; sub: string; sid: string | null; cause: string },
  now: number,
): Promise<void> {
  await db
    .insertInto('oidc_logout_deliveries')
    .values({
      id: newId(now),
      client_id: t.clientId,
      sub: t.sub,
      sid: t.sid,
      cause: t.cause,
      created_at: now,
      available_at: now,
      last_error: null,
      lease_owner: null,
      lease_until: null,
      delivered_at: null,
    })
    .execute();
}

/** Ids of pending deliveries that are due and not held by a live lease, oldest first. */
export async function dueLogoutIds(db: Db, now: number, limit: number): Promise<string[]> {
  return dueLeaseIds(db, 'oidc_logout_deliveries', now, limit);
}

/**
 * Takes a delivery for `owner` until `leaseUntil`, if it is still pending, due and unleased:
 * one conditional UPDATE (db/leases.store.ts), so of several instances racing for a row
 * exactly one gets it.
 */
export async function claimLogoutDelivery(
  db: Db,
  id: string,
  owner: string,
  now: number,
  leaseUntil: number,
): Promise<LogoutDelivery | undefined> {
  return (await claimLeases(db, 'oidc_logout_deliveries', [id], owner, now, leaseUntil))[0];
}

/** Records the outcome of an attempt, only while this worker still holds the row. */
export async function finishLogoutAttempt(
  db: Db,
  id: string,
  owner: string,
  outcome: { delivered: number } | { retryAt: number; error: string } | { failed: string },
): Promise<void> {
  await db
    .updateTable('oidc_logout_deliveries')
    .set({
      attempts: (eb) => eb('attempts', '+', 1),
      lease_owner: null,
      lease_until: null,
      ...('delivered' in outcome
        ? { status: 'delivered', delivered_at: outcome.delivered, last_error: null }
        : 'retryAt' in outcome
          ? { available_at: outcome.retryAt, last_error: outcome.error }
          : { status: 'failed', last_error: outcome.failed }),
    })
    .where('id', '=', id)
    .where('lease_owner', '=', owner)
    .where('status', '=', 'pending')
    .execute();
}

export async function listLogoutDeliveries(db: Db): Promise<LogoutDelivery[]> {
  return db.selectFrom('oidc_logout_deliveries').selectAll().orderBy('id').execute();
}

/** The sweeper's part: delivered and given-up rows older than `before` (kept a while to inspect). */
export async function deleteFinishedLogoutDeliveries(db: Db, before: number): Promise<void> {
  await db
    .deleteFrom('oidc_logout_deliveries')
    .where('status', 'in', ['delivered', 'failed'])
    .where('created_at', '<', before)
    .execute();
}

import type { Selectable } from 'kysely';
import type { Db } from '../db/database.ts';
import type { LinkedAccountsTable } from '../db/schema.ts';

export type LinkedAccountRow = Selectable<LinkedAccountsTable>;

/** A link with the display name of its service, as lists show it. */
export interface LinkedAccountView extends LinkedAccountRow {
  service_display_name: string;
  service_display_name_de: string | null;
  service_show_on_sign_in: boolean;
}

/** Throws the dialect's unique violation when (service, subject) is taken; callers that must
 * answer 409 check with findLinkBySubject inside the same transaction first. */
export async function insertLinkedAccount(db: Db, row: LinkedAccountRow): Promise<void> {
  await db.insertInto('linked_accounts').values(row).execute();
}

export async function findLinkBySubject(
  db: Db,
  serviceId: string,
  subject: string,
): Promise<LinkedAccountRow | undefined> {
  return db
    .selectFrom('linked_accounts')
    .selectAll()
    .where('service_id', '=', serviceId)
    .where('subject', '=', subject)
    .executeTakeFirst();
}

export async function findLinkedAccount(
  db: Db,
  userId: string,
  linkId: string,
): Promise<LinkedAccountRow | undefined> {
  return db
    .selectFrom('linked_accounts')
    .selectAll()
    .where('id', '=', linkId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
}

export async function listLinkedAccounts(db: Db, userId: string): Promise<LinkedAccountView[]> {
  const rows = await db
    .selectFrom('linked_accounts as l')
    .innerJoin('login_services as s', 's.id', 'l.service_id')
    .selectAll('l')
    .select([
      's.display_name as service_display_name',
      's.display_name_de as service_display_name_de',
      's.show_on_sign_in as service_show_on_sign_in',
    ])
    .where('l.user_id', '=', userId)
    .orderBy('l.linked_at')
    .orderBy('l.id')
    .execute();
  return rows.map((r) => ({ ...r, service_show_on_sign_in: Boolean(r.service_show_on_sign_in) }));
}

/** R-ADM-04: the user's links at services shown on the sign-in page. */
export async function countUsableLinks(db: Db, userId: string): Promise<number> {
  const row = await db
    .selectFrom('linked_accounts as l')
    .innerJoin('login_services as s', 's.id', 'l.service_id')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('l.user_id', '=', userId)
    .where('s.show_on_sign_in', '=', true)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function touchLinkedAccount(db: Db, linkId: string, now: number): Promise<void> {
  await db.updateTable('linked_accounts').set({ last_used_at: now }).where('id', '=', linkId).execute();
}

export async function deleteLinkedAccount(db: Db, userId: string, linkId: string): Promise<boolean> {
  const result = await db
    .deleteFrom('linked_accounts')
    .where('id', '=', linkId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

// Added for the linked-accounts API and "cannot log in" (helper links, issue 8).

/**
 * R-ADM-04 for a page of the user list: how many links at services shown on the sign-in page
 * each of these users has (absent: none). One query per page, over the index on user_id.
 */
export async function countUsableLinksOf(db: Db, userIds: readonly string[]): Promise<Map<string, number>> {
  if (userIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('linked_accounts as l')
    .innerJoin('login_services as s', 's.id', 'l.service_id')
    .select(['l.user_id', (eb) => eb.fn.countAll<number | string>().as('n')])
    .where('l.user_id', 'in', [...userIds])
    .where('s.show_on_sign_in', '=', true)
    .groupBy('l.user_id')
    .execute();
  return new Map(rows.map((r) => [r.user_id, Number(r.n)]));
}

/** The services a user may link from My Profile (R-ADM-16): linking allowed, domain matching. */
export async function listLinkableServices(
  db: Db,
  domainId: string | null,
): Promise<{ id: string; display_name: string; display_name_de: string | null }[]> {
  return db
    .selectFrom('login_services')
    .select(['id', 'display_name', 'display_name_de'])
    .where('allow_linking', '=', true)
    .where((eb) =>
      domainId === null
        ? eb('domain_id', 'is', null)
        : eb.or([eb('domain_id', 'is', null), eb('domain_id', '=', domainId)]),
    )
    .orderBy('display_name')
    .orderBy('id')
    .execute();
}

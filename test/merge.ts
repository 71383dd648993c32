// Fixtures for the connect-profiles tests (R-ADM-10): two profiles of one person, each holding
// rows in every table that names a user, and a count of those rows per table. The profiles
// and addresses are made through the API; rows the API makes only through long journeys
// (notifications, codes in flight, app grants, terms acceptances) are written to the database.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { Reply, TestServer } from './harness.ts';
import { strongPassword } from './harness.ts';
import { insertLoginService } from '../src/login-services/login-services.store.ts';
import { insertLinkedAccount } from '../src/linked-accounts/linked-accounts.store.ts';
import { mergedTables, type MergedTable } from '../src/users/merge/merge-plan.ts';

export function ok(res: Reply, status: number, what: string): any {
  assert.equal(res.status, status, `${what}: ${JSON.stringify(res.body)}`);
  return res.body;
}

/**
 * Profile B holds `address` verified; profile A holds the same address unverified (added by an
 * administrator), which is what makes "connect profiles" appear on A's page.
 */
export async function connectedPair(s: TestServer, options: { password?: boolean } = {}) {
  const pw = options.password === false ? {} : { password: strongPassword };
  const b = await s.createUser(pw);
  const address = b.primaryEmail as string;
  ok(await s.admin.post(`/api/v1/admin/users/${b.id}/emails/${b.emails[0].id}/verify`), 200, 'verify B');
  const a = await s.createUser(pw);
  ok(await s.admin.post(`/api/v1/admin/users/${a.id}/emails`, { address, verified: false }), 201, 'add to A');
  return { a: await read(s, a.id), b: await read(s, b.id), address };
}

export async function read(s: TestServer, id: string): Promise<any> {
  return ok(await s.admin.get(`/api/v1/admin/users/${id}`), 200, `read ${id}`);
}

let serviceId: string | undefined;

/** One login service for all links of a server (a minimal copy of links' fixture). */
async function loginService(s: TestServer): Promise<string> {
  if (serviceId) return serviceId;
  const now = s.clock.now();
  serviceId = randomUUID();
  await insertLoginService(s.services.database.db, {
    id: serviceId,
    display_name: 'Test IdP',
    display_name_de: null,
    issuer: 'https://idp.example.test',
    client_id: 'behalf',
    secret_ciphertext: 'sealed',
    scopes: '["openid","email"]',
    show_on_sign_in: true,
    allow_linking: true,
    link_by_verified_email: false,
    trust_provider_mfa: false,
    domain_id: null,
    created_at: now,
    updated_at: now,
    version: 1,
  });
  return serviceId;
}

/** Rows of every kind for a user; `shared` keys repeat across profiles (duplicates to resolve). */
export async function seedRows(
  s: TestServer,
  userId: string,
  shared: { policyVersionId: string; acceptedAt: number },
): Promise<void> {
  const db = s.services.database.db;
  const now = s.clock.now();
  await insertLinkedAccount(db, {
    id: randomUUID(),
    user_id: userId,
    service_id: await loginService(s),
    subject: `sub-${randomUUID()}`,
    email: null,
    linked_via: 'admin',
    linked_at: now,
    last_used_at: null,
  });
  for (const title of ['one', 'two']) {
    await db
      .insertInto('notifications')
      .values({
        id: randomUUID(),
        user_id: userId,
        type: 'test',
        title,
        body: '',
        impersonation_id: null,
        created_at: now,
        read_at: null,
      })
      .execute();
  }
  for (const key of ['shared.key', `own.${userId}`]) {
    await db
      .insertInto('user_preferences')
      .values({ user_id: userId, key, value: '"x"', updated_at: now })
      .execute();
  }
  await db
    .insertInto('policy_acceptances')
    .values({
      id: randomUUID(),
      user_id: userId,
      policy_version_id: shared.policyVersionId,
      accepted_at: shared.acceptedAt,
      accepted_on_behalf_by: null,
      impersonation_id: null,
      revoked_at: null,
    })
    .execute();
  await db
    .insertInto('login_challenges')
    .values({
      id: randomUUID(),
      token_hash: randomUUID(),
      user_id: userId,
      method: 'email',
      code_hash: null,
      attempts: 0,
      created_at: now,
      expires_at: now + 60_000,
    })
    .execute();
  await db
    .insertInto('oidc_grant_links')
    .values({
      grant_id: randomUUID(),
      user_id: userId,
      session_id: randomUUID(),
      impersonation_id: null,
      created_at: now,
    })
    .execute();
}

/** A published policy version both profiles can have accepted. */
export async function policyVersion(s: TestServer): Promise<string> {
  const db = s.services.database.db;
  const now = s.clock.now();
  const policyId = randomUUID();
  const versionId = randomUUID();
  await db
    .insertInto('policies')
    .values({
      id: policyId,
      kind: 'terms',
      parent_id: null,
      title: 'Terms',
      created_at: now,
      archived_at: null,
    })
    .execute();
  await db
    .insertInto('policy_versions')
    .values({
      id: versionId,
      policy_id: policyId,
      number: 1,
      body: 'Be nice.',
      created_at: now,
      published_at: now,
    })
    .execute();
  return versionId;
}

/** Rows naming the user, per table the merge handles. */
export async function countRows(s: TestServer, userId: string): Promise<Record<MergedTable, number>> {
  const db = s.services.database.db;
  const out = {} as Record<MergedTable, number>;
  for (const table of mergedTables) {
    if (table === 'power_user_resources') {
      const row = await db
        .selectFrom('power_user_resources')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where((eb) =>
          eb.or([
            eb('power_user_id', '=', userId),
            eb.and([eb('kind', '=', 'user'), eb('resource_id', '=', userId)]),
          ]),
        )
        .executeTakeFirstOrThrow();
      out[table] = Number(row.n);
      continue;
    }
    const row = await db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('user_id', '=', userId)
      .executeTakeFirstOrThrow();
    out[table] = Number(row.n);
  }
  return out;
}

export function previewOf(s: TestServer, survivorId: string, absorbId: string, choices = {}) {
  return s.admin.post(`/api/v1/admin/users/${survivorId}/merge-preview`, { absorbId, choices });
}

/** Previews and merges with the preview's ETags. */
export async function mergeNow(s: TestServer, survivorId: string, absorbId: string, choices = {}) {
  const preview = ok(await previewOf(s, survivorId, absorbId, choices), 200, 'preview');
  const res = await s.admin.post(`/api/v1/admin/users/${survivorId}/merge`, {
    absorbId,
    survivorETag: preview.survivorETag,
    absorbETag: preview.absorbETag,
    choices,
  });
  return { preview, res };
}

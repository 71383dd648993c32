// Fixtures for login services and linked accounts (issue 8). Services are created through the
// store for now: the admin API for login services (helper ls) replaces this when merged, with
// the same signatures. Links are made through the admin wizard (the public surface).
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { newId } from '../src/shared/ids.ts';
import { SecretBox } from '../src/shared/secret-box.ts';
import {
  findLoginService,
  insertLoginService,
  updateLoginService,
  type LoginServiceRow,
} from '../src/login-services/login-services.store.ts';
import { insertLinkedAccount } from '../src/linked-accounts/linked-accounts.store.ts';
import type { Client, TestServer } from './harness.ts';

export interface ServiceOverrides {
  displayName?: string;
  displayNameDe?: string | null;
  issuer?: string;
  showOnSignIn?: boolean;
  allowLinking?: boolean;
  domainId?: string | null;
}

/** A login service row; shown on the sign-in page and linkable unless told otherwise. */
export async function createLoginService(
  server: TestServer,
  overrides: ServiceOverrides = {},
): Promise<{ id: string; displayName: string }> {
  const now = server.clock.now();
  const id = newId(now);
  const displayName = overrides.displayName ?? `Service ${randomBytes(3).toString('hex')}`;
  const box = new SecretBox(server.services.oidcSecret, 'behalf login service secrets (test fixture)');
  const row: LoginServiceRow = {
    id,
    display_name: displayName,
    display_name_de: overrides.displayNameDe ?? null,
    issuer: overrides.issuer ?? `https://idp-${id.slice(-6)}.example.test`,
    client_id: 'behalf',
    secret_ciphertext: box.seal('fixture-secret'),
    scopes: JSON.stringify(['openid', 'email']),
    show_on_sign_in: overrides.showOnSignIn ?? true,
    allow_linking: overrides.allowLinking ?? true,
    link_by_verified_email: false,
    trust_provider_mfa: false,
    domain_id: overrides.domainId ?? null,
    created_at: now,
    updated_at: now,
    version: 1,
  };
  await insertLoginService(server.services.database.db, row);
  return { id, displayName };
}

/** Switches a service on or off the sign-in page (R-ADM-17), as its admin PATCH would. */
export async function setShownOnSignIn(server: TestServer, serviceId: string, shown: boolean): Promise<void> {
  const db = server.services.database.db;
  const row = await findLoginService(db, serviceId);
  assert.ok(row, 'the service exists');
  assert.ok(await updateLoginService(db, serviceId, row.version, { show_on_sign_in: shown }));
}

/** Links (service, subject) to a user with the admin wizard; returns the LinkedAccount. */
export async function linkAccount(
  server: TestServer,
  userId: string,
  serviceId: string,
  subject: string,
  as: Client = server.admin,
): Promise<any> {
  const res = await as.post(`/api/v1/admin/users/${userId}/linked-accounts`, { serviceId, subject });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body;
}

/**
 * A link written through the store, for a profile no administrator may link through the
 * wizard in the test (the first superadmin: R-ADM-08 and "only superadmins administer
 * superadmins"). Stands in for the user linking it from My Profile (helper ls's flow).
 */
export async function linkDirectly(
  server: TestServer,
  userId: string,
  serviceId: string,
  subject: string,
): Promise<string> {
  const id = newId(server.clock.now());
  await insertLinkedAccount(server.services.database.db, {
    id,
    user_id: userId,
    service_id: serviceId,
    subject,
    email: null,
    linked_via: 'profile',
    linked_at: server.clock.now(),
    last_used_at: null,
  });
  return id;
}

/** The signed-in superadmin's own user ID. */
export async function adminId(server: TestServer): Promise<string> {
  return (await server.admin.get('/api/v1/session')).body.user.id as string;
}

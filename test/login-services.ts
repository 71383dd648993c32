// Fixtures for login services and linked accounts (issue 8): services through the admin API,
// links through the admin wizard (the public surface).
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { newId } from '../src/shared/ids.ts';
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

/** A login service, made through the admin API; shown on the sign-in page and linkable unless told otherwise. */
export async function createLoginService(
  server: TestServer,
  overrides: ServiceOverrides = {},
): Promise<{ id: string; displayName: string }> {
  const displayName = overrides.displayName ?? `Service ${randomBytes(3).toString('hex')}`;
  const res = await server.admin.post('/api/v1/admin/login-services', {
    displayName,
    ...(overrides.displayNameDe !== undefined ? { displayNameDe: overrides.displayNameDe } : {}),
    // Never asked: creating a service does not reach its provider.
    issuer: overrides.issuer ?? `https://idp-${randomBytes(3).toString('hex')}.example.test`,
    clientId: 'behalf',
    clientSecret: 'fixture-secret',
    showOnSignIn: overrides.showOnSignIn ?? true,
    allowLinking: overrides.allowLinking ?? true,
    ...(overrides.domainId !== undefined ? { domainId: overrides.domainId } : {}),
  });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return { id: res.body.id, displayName };
}

/** Switches a service on or off the sign-in page (R-ADM-17) through its admin PATCH. */
export async function setShownOnSignIn(server: TestServer, serviceId: string, shown: boolean): Promise<void> {
  const res = await server.admin.patch(`/api/v1/admin/login-services/${serviceId}`, { showOnSignIn: shown });
  assert.equal(res.status, 200, JSON.stringify(res.body));
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

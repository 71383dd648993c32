// Helpers for the power-user, group and domain tests (src/orgs/*.test.ts): everything through
// the API, as the superadmin, failing loudly when a setup step does not answer as expected.
import assert from 'node:assert/strict';
import { Client, strongPassword, type Reply, type TestServer } from './harness.ts';

function expectStatus(res: Reply, status: number, what: string): any {
  assert.equal(res.status, status, `${what}: ${JSON.stringify(res.body)}`);
  return res.body;
}

export async function makeRole(s: TestServer, userId: string, role: string): Promise<any> {
  return expectStatus(await s.admin.put(`/api/v1/admin/users/${userId}/role`, { role }), 200, `role ${role}`);
}

/** A new power user with a password, signed in in their own client. */
export async function signedInPowerUser(s: TestServer): Promise<{ client: Client; user: any }> {
  const user = await s.createUser({ password: strongPassword });
  await makeRole(s, user.id, 'power-user');
  const client = s.client();
  expectStatus(await client.login(user.primaryEmail, strongPassword), 200, 'power user login');
  return { client, user };
}

export async function assign(
  s: TestServer,
  powerUserId: string,
  resources: { users?: string[]; groups?: string[]; domains?: string[] },
): Promise<any> {
  const body = { users: [], groups: [], domains: [], ...resources };
  const res = await s.admin.put(`/api/v1/admin/users/${powerUserId}/power-user-resources`, body);
  return expectStatus(res, 200, 'assign resources');
}

export async function createGroup(s: TestServer, name: string, members: string[] = []): Promise<any> {
  const group = expectStatus(await s.admin.post('/api/v1/admin/groups', { name }), 201, 'create group');
  if (members.length > 0) {
    const res = await s.admin.put(`/api/v1/admin/groups/${group.id}/members`, { users: members });
    expectStatus(res, 200, 'set members');
  }
  return group;
}

export async function createDomain(s: TestServer, name: string, hostName?: string): Promise<any> {
  const body = hostName === undefined ? { name } : { name, hostName };
  return expectStatus(await s.admin.post('/api/v1/admin/domains', body), 201, 'create domain');
}

/** Puts a user into a domain (or none), as an administrator does: `domainId` in the PATCH. */
export async function setDomainOf(s: TestServer, userId: string, domainId: string | null): Promise<any> {
  const res = await s.admin.patch(`/api/v1/admin/users/${userId}`, { domainId });
  return expectStatus(res, 200, 'set domain');
}

/** The newest audit events about a target, newest first. */
export async function auditOf(s: TestServer, targetId: string): Promise<any[]> {
  const res = await s.admin.get(`/api/v1/admin/audit-events?targetId=${targetId}`);
  return expectStatus(res, 200, 'audit events').items;
}

/** A fresh name, so that tests sharing a server do not collide on unique names. */
let n = 0;
export function uniqueName(prefix: string): string {
  return `${prefix} ${++n}-${Math.random().toString(36).slice(2, 8)}`;
}

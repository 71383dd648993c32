// Shared steps of the impersonation tests: start as an administrator, open the handoff in the
// same browser (client), and read what the subject's notifications say.
import assert from 'node:assert/strict';
import type { Client, TestServer } from './harness.ts';

export interface StartOptions {
  reason?: string;
  durationMinutes?: number;
  domainId?: string;
  acceptTermsOnBehalf?: boolean;
  origin?: 'users' | 'power-users';
  /** Issue 12 #2. A string, so that tests can send a wrong one. */
  mode?: string;
}

export async function startImpersonation(actor: Client, subjectId: string, options: StartOptions = {}) {
  return actor.post(`/api/v1/admin/users/${subjectId}/impersonation`, {
    reason: 'Ticket 4711: cannot find the course',
    durationMinutes: 30,
    ...options,
  });
}

/** Starts and opens an impersonation in `actor`'s browser; returns the start answer. */
export async function actAs(actor: Client, subjectId: string, options: StartOptions = {}) {
  const started = await startImpersonation(actor, subjectId, options);
  assert.equal(started.status, 201, JSON.stringify(started.body));
  const opened = await actor.get(started.body.handoffUrl);
  assert.equal(opened.status, 303, JSON.stringify(opened.body));
  return started.body as { impersonationId: string; handoffUrl: string; expiresAt: string };
}

export async function notificationsOf(s: TestServer, login: string, password: string) {
  const c = s.client();
  const res = await c.login(login, password);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  const list = await c.get('/api/v1/account/notifications');
  assert.equal(list.status, 200);
  return list.body as {
    items: Array<{ id: string; type: string; read: boolean; title: string; body: string }>;
    unreadCount: number;
  };
}

export async function auditEvents(s: TestServer, query: string) {
  const res = await s.admin.get(`/api/v1/admin/audit-events?${query}`);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body.items as any[];
}

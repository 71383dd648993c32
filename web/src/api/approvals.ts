import { call, client } from './client.ts';
import type { Schemas } from './types.ts';

// Issue 12 #3 (consent) and #4 (four eyes): asking, listing and deciding requests to act as a user.

export type ApprovalsPreview = Schemas['ImpersonationPreview']['approvals'];
export type ApprovalRequest = Schemas['ImpersonationApproval'];
export type ApprovalKind = ApprovalRequest['kind'];
export type ApprovalState = NonNullable<ApprovalsPreview['consent']>;

export type Decision = 'approve' | 'decline';

const byId = (id: string) => ({ params: { path: { id } } });

export const askApproval = (
  userId: string,
  input: { kind: ApprovalKind; reason: string; durationMinutes: number },
) => call(client.POST('/api/v1/admin/users/{id}/impersonation/approvals', { ...byId(userId), body: input }));

/** The signed-in user's requests waiting for their consent. */
export const myConsentRequests = () => call(client.GET('/api/v1/account/impersonation-requests'));

export const decideConsent = (id: string, decision: Decision) =>
  call(
    client.POST('/api/v1/account/impersonation-requests/{id}/decision', { ...byId(id), body: { decision } }),
  );

export const consentByToken = (token: string) =>
  call(client.POST('/api/v1/account/impersonation-requests/by-token', { body: { token } }));

export const decideConsentByToken = (token: string, decision: Decision) =>
  call(
    client.POST('/api/v1/account/impersonation-requests/by-token/decision', { body: { token, decision } }),
  );

/** Four eyes: the requests of other administrators this one may decide. */
export const fourEyesRequests = () => call(client.GET('/api/v1/admin/impersonation-approvals'));

export const decideFourEyes = (id: string, decision: Decision) =>
  call(
    client.POST('/api/v1/admin/impersonation-approvals/{id}/decision', { ...byId(id), body: { decision } }),
  );

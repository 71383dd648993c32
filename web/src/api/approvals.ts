import { api } from './client.ts';

// Issue 12 #3 (consent) and #4 (four eyes): asking, listing and deciding requests to act as a user.

export type ApprovalKind = 'consent' | 'four_eyes';
export type ApprovalState = 'missing' | 'pending' | 'approved' | 'declined';

export interface ApprovalsPreview {
  consent: ApprovalState | null;
  fourEyes: ApprovalState | null;
  breakGlassAllowed: boolean;
}

export interface ApprovalRequest {
  id: string;
  kind: ApprovalKind;
  actor: { id: string; displayName: string };
  subject: { id: string; displayName: string };
  reason: string;
  plannedMinutes: number;
  status: 'pending' | 'approved' | 'declined' | 'used' | 'expired' | 'withdrawn';
  createdAt: string;
  expiresAt: string;
}

export type Decision = 'approve' | 'decline';

export const askApproval = (
  userId: string,
  input: { kind: ApprovalKind; reason: string; durationMinutes: number },
) =>
  api.post<ApprovalRequest>(
    `/api/v1/admin/users/${encodeURIComponent(userId)}/impersonation/approvals`,
    input,
  );

/** The signed-in user's requests waiting for their consent. */
export const myConsentRequests = () =>
  api.get<{ items: ApprovalRequest[] }>('/api/v1/account/impersonation-requests');

export const decideConsent = (id: string, decision: Decision) =>
  api.post<ApprovalRequest>(`/api/v1/account/impersonation-requests/${encodeURIComponent(id)}/decision`, {
    decision,
  });

export const consentByToken = (token: string) =>
  api.post<ApprovalRequest>('/api/v1/account/impersonation-requests/by-token', { token });

export const decideConsentByToken = (token: string, decision: Decision) =>
  api.post<ApprovalRequest>('/api/v1/account/impersonation-requests/by-token/decision', {
    token,
    decision,
  });

/** Four eyes: the requests of other administrators this one may decide. */
export const fourEyesRequests = () =>
  api.get<{ items: ApprovalRequest[] }>('/api/v1/admin/impersonation-approvals');

export const decideFourEyes = (id: string, decision: Decision) =>
  api.post<ApprovalRequest>(`/api/v1/admin/impersonation-approvals/${encodeURIComponent(id)}/decision`, {
    decision,
  });

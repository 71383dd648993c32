import { api } from './client.ts';

// Policies and their versions (R-IMP-12): settings.manage.

export type PolicyKind = 'privacy' | 'terms';

export interface PolicyVersion {
  id: string;
  number: number;
  body: string;
  createdAt: string;
  /** Null for a draft. */
  publishedAt: string | null;
  /** The version users must have accepted. */
  current: boolean;
}

export interface Policy {
  id: string;
  kind: PolicyKind;
  parentId: string | null;
  title: string;
  createdAt: string;
  archivedAt: string | null;
  inForce: boolean;
  currentVersionId: string | null;
  versions: PolicyVersion[];
}

const base = '/api/v1/admin/policies';
const id = (s: string) => encodeURIComponent(s);

export const listPolicies = () => api.get<{ items: Policy[] }>(base);

export const createPolicy = (input: { kind: PolicyKind; title: string; parentId?: string | null }) =>
  api.post<Policy>(base, input);

export const addPolicyVersion = (policyId: string, input: { body: string; publish: boolean }) =>
  api.post<PolicyVersion>(`${base}/${id(policyId)}/versions`, input);

export const publishPolicyVersion = (policyId: string, versionId: string) =>
  api.post<Policy>(`${base}/${id(policyId)}/versions/${id(versionId)}/publish`);

export const archivePolicy = (policyId: string) => api.post<Policy>(`${base}/${id(policyId)}/archive`);

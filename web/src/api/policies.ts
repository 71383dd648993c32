import { call, client } from './client.ts';
import type { Schemas } from './types.ts';

// Policies and their versions (R-IMP-12): settings.manage.

export type Policy = Schemas['Policy'];
export type PolicyKind = Policy['kind'];
export type PolicyVersion = Schemas['PolicyVersion'];

const byId = (id: string) => ({ params: { path: { id } } });

export const listPolicies = () => call(client.GET('/api/v1/admin/policies'));

export const createPolicy = (input: { kind: PolicyKind; title: string; parentId?: string | null }) =>
  call(client.POST('/api/v1/admin/policies', { body: input }));

export const addPolicyVersion = (policyId: string, input: { body: string; publish: boolean }) =>
  call(client.POST('/api/v1/admin/policies/{id}/versions', { ...byId(policyId), body: input }));

export const publishPolicyVersion = (policyId: string, versionId: string) =>
  call(
    client.POST('/api/v1/admin/policies/{id}/versions/{versionId}/publish', {
      params: { path: { id: policyId, versionId } },
    }),
  );

export const archivePolicy = (policyId: string) =>
  call(client.POST('/api/v1/admin/policies/{id}/archive', byId(policyId)));

import { z } from 'zod';
import type { PolicyView } from './policy-admin.ts';
import type { AcceptedPolicy, PendingWithBody } from './terms.service.ts';
import { policyKinds, type CurrentVersion, type PolicyVersion } from './terms.ts';
import { displayText } from '../shared/text-fields.ts';

// Policies and acceptances as the API shows and takes them. Times are ISO 8601.

const iso = (ms: number) => new Date(ms).toISOString();

export const policyIdParams = z.object({ id: z.uuid() });
export const policyVersionParams = z.object({ id: z.uuid(), versionId: z.uuid() });

export const createPolicyBody = z
  .object({
    kind: z.enum(policyKinds).describe('"privacy" (privacy policy) or "terms" (terms and conditions)'),
    title: displayText(
      z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters'),
    ),
    parentId: z
      .uuid()
      .nullable()
      .optional()
      .describe('Makes this a sub-policy of a privacy policy (then its kind is "privacy" too)'),
  })
  .strict();

export const createVersionBody = z
  .object({
    body: displayText(
      z.string().trim().min(1, 'must not be empty').max(60_000, 'must be at most 60000 characters'),
      'multi-line',
    ).describe('The text users accept'),
    publish: z.boolean().describe('Publish at once: it becomes current and every user is asked again'),
  })
  .strict();

export const policyVersionSchema = z
  .object({
    id: z.string(),
    number: z.number().int().describe('1, 2, ... per policy'),
    body: z.string(),
    createdAt: z.string(),
    publishedAt: z.string().nullable().describe('Null for a draft'),
    current: z.boolean().describe('The version users must have accepted: the highest published one'),
  })
  .meta({ id: 'PolicyVersion' });

export const policySchema = z
  .object({
    id: z.string(),
    kind: z.enum(policyKinds),
    parentId: z.string().nullable(),
    title: z.string(),
    createdAt: z.string(),
    archivedAt: z.string().nullable(),
    inForce: z.boolean().describe('Not archived, and its privacy policy (for a sub-policy) not archived'),
    currentVersionId: z.string().nullable(),
    versions: z.array(policyVersionSchema),
  })
  .meta({ id: 'Policy' });

export function representVersion(v: PolicyVersion, currentVersionId: string | null) {
  return {
    id: v.id,
    number: v.number,
    body: v.body,
    createdAt: iso(v.createdAt),
    publishedAt: v.publishedAt === null ? null : iso(v.publishedAt),
    current: v.id === currentVersionId,
  };
}

export function representPolicy(view: PolicyView): z.infer<typeof policySchema> {
  const p = view.policy;
  return {
    id: p.id,
    kind: p.kind,
    parentId: p.parentId,
    title: p.title,
    createdAt: iso(p.createdAt),
    archivedAt: p.archivedAt === null ? null : iso(p.archivedAt),
    inForce: view.inForce,
    currentVersionId: view.currentVersionId,
    versions: view.versions.map((v) => representVersion(v, view.currentVersionId)),
  };
}

/** What the session and login answers carry so that a client can prompt (R-IMP-12). */
export const pendingTermSchema = z
  .object({ versionId: z.string(), policyId: z.string(), kind: z.enum(policyKinds), title: z.string() })
  .meta({ id: 'PendingTerm' });

export function representPendingTerms(pending: readonly CurrentVersion[]) {
  return pending.map(({ versionId, policyId, kind, title }) => ({ versionId, policyId, kind, title }));
}

export const accountTermsSchema = z
  .object({
    pending: z.array(
      z.object({
        versionId: z.string(),
        policyId: z.string(),
        parentId: z.string().nullable().describe('Set for a sub-policy of a privacy policy'),
        kind: z.enum(policyKinds),
        title: z.string(),
        number: z.number().int(),
        publishedAt: z.string(),
        body: z.string(),
      }),
    ),
    accepted: z.array(
      z.object({
        policyId: z.string(),
        versionId: z.string(),
        kind: z.enum(policyKinds),
        title: z.string(),
        number: z.number().int(),
        acceptedAt: z.string(),
        onBehalf: z
          .boolean()
          .describe('Accepted by a superadmin for this user while acting as them (R-IMP-12)'),
      }),
    ),
  })
  .meta({ id: 'AccountTerms' });

export function representAccountTerms(o: { pending: PendingWithBody[]; accepted: AcceptedPolicy[] }) {
  return {
    pending: o.pending.map((v) => ({
      versionId: v.versionId,
      policyId: v.policyId,
      parentId: v.parentId,
      kind: v.kind,
      title: v.title,
      number: v.number,
      publishedAt: iso(v.publishedAt),
      body: v.body,
    })),
    accepted: o.accepted.map((a) => ({ ...a, acceptedAt: iso(a.acceptedAt) })),
  };
}

export const acceptBody = z
  .object({
    versionIds: z
      .array(z.uuid())
      .min(1, 'name at least one version')
      .max(100, 'at most 100 versions at once')
      .describe('Current versions to accept (from `pending`)'),
  })
  .strict();

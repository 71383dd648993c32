import type { Role } from '../permissions/catalogue.ts';

// Policies and their acceptance (R-IMP-12, R-ADM-16): the model and the pure rules that decide
// what is current, what a user still has to accept, and which changes are allowed. No I/O;
// tested by tables (terms.rules.test.ts).

export const policyKinds = ['privacy', 'terms'] as const;
export type PolicyKind = (typeof policyKinds)[number];

export interface Policy {
  id: string;
  kind: PolicyKind;
  /** Set for a sub-policy of a privacy policy. */
  parentId: string | null;
  title: string;
  createdAt: number;
  archivedAt: number | null;
}

/** A version without its body: what the rules need (bodies can be long and are read apart). */
export interface PolicyVersionMeta {
  id: string;
  policyId: string;
  number: number;
  createdAt: number;
  publishedAt: number | null;
}

export interface PolicyVersion extends PolicyVersionMeta {
  body: string;
}

/** A version users must have accepted: the highest published version of a policy in force. */
export interface CurrentVersion {
  versionId: string;
  policyId: string;
  parentId: string | null;
  kind: PolicyKind;
  title: string;
  number: number;
  publishedAt: number;
}

export interface Acceptance {
  versionId: string;
  revokedAt: number | null;
}

/**
 * A policy is in force when neither it nor its parent is archived: archiving a privacy policy
 * withdraws its sub-policies with it.
 */
export function inForce(policy: Policy, byId: ReadonlyMap<string, Policy>): boolean {
  if (policy.archivedAt !== null) return false;
  if (policy.parentId === null) return true;
  const parent = byId.get(policy.parentId);
  return parent !== undefined && parent.archivedAt === null;
}

/**
 * The current version of every policy in force: its highest-numbered published version. A policy
 * with nothing published yet asks nothing of anyone. Order: top-level policies by creation, each
 * followed by its sub-policies, so a client can show them as they belong together.
 */
export function currentVersions(
  policies: readonly Policy[],
  versions: readonly PolicyVersionMeta[],
): CurrentVersion[] {
  const byId = new Map(policies.map((p) => [p.id, p]));
  const latest = new Map<string, PolicyVersionMeta>();
  for (const v of versions) {
    if (v.publishedAt === null) continue;
    const seen = latest.get(v.policyId);
    if (!seen || v.number > seen.number) latest.set(v.policyId, v);
  }
  const out: CurrentVersion[] = [];
  for (const p of orderPolicies(policies)) {
    const v = latest.get(p.id);
    if (!v || !inForce(p, byId)) continue;
    out.push({
      versionId: v.id,
      policyId: p.id,
      parentId: p.parentId,
      kind: p.kind,
      title: p.title,
      number: v.number,
      publishedAt: v.publishedAt!,
    });
  }
  return out;
}

/** Top-level policies by creation (then id), each directly followed by its sub-policies. */
export function orderPolicies<P extends Policy>(policies: readonly P[]): P[] {
  const byAge = [...policies].sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id));
  const out: P[] = [];
  for (const top of byAge.filter((p) => p.parentId === null)) {
    out.push(top, ...byAge.filter((p) => p.parentId === top.id));
  }
  // A sub-policy whose parent is missing from the list still shows, at the end.
  for (const p of byAge) if (!out.includes(p)) out.push(p);
  return out;
}

/**
 * The current versions a user still has to accept: those without an acceptance in force. A
 * revoked acceptance counts as none, and an acceptance of an older version does not carry over
 * to a newer one, so publishing a new version asks everyone again.
 */
export function pendingVersions<V extends { versionId: string }>(
  current: readonly V[],
  acceptances: readonly Acceptance[],
): V[] {
  const accepted = new Set(acceptances.filter((a) => a.revokedAt === null).map((a) => a.versionId));
  return current.filter((v) => !accepted.has(v.versionId));
}

/** Why a policy cannot be created under this parent (and which field is wrong), or null. */
export function parentProblem(
  kind: PolicyKind,
  parent: Policy | undefined | null,
): { field: 'parentId' | 'kind'; message: string; kind: 'invalid_parent' } | null {
  const wrong = (field: 'parentId' | 'kind', message: string) => ({
    field,
    message,
    kind: 'invalid_parent' as const,
  });
  if (parent === null) return null;
  if (parent === undefined) return wrong('parentId', 'The parent policy does not exist.');
  if (parent.kind !== 'privacy') return wrong('parentId', 'Only a privacy policy can have sub-policies.');
  if (parent.parentId !== null) return wrong('parentId', 'A sub-policy cannot have sub-policies of its own.');
  if (parent.archivedAt !== null) return wrong('parentId', 'The parent policy is archived.');
  if (kind !== 'privacy')
    return wrong('kind', 'A sub-policy of a privacy policy is itself of kind "privacy".');
  return null;
}

export type PublishDecision =
  | { kind: 'publish' }
  | { kind: 'already-published' }
  | { kind: 'archived' }
  | { kind: 'superseded'; currentNumber: number };

/**
 * Publishing makes a version current, so it must be newer than the one in force: publishing an
 * older draft would either do nothing (the newer one stays current) or silently roll back.
 */
export function decidePublish(
  policy: Policy,
  version: PolicyVersionMeta,
  siblings: readonly PolicyVersionMeta[],
): PublishDecision {
  if (policy.archivedAt !== null) return { kind: 'archived' };
  if (version.publishedAt !== null) return { kind: 'already-published' };
  const newer = siblings.filter((v) => v.publishedAt !== null && v.number > version.number);
  if (newer.length > 0) return { kind: 'superseded', currentNumber: Math.max(...newer.map((v) => v.number)) };
  return { kind: 'publish' };
}

/**
 * R-IMP-12: acceptance by someone else than the user happens only while impersonating, and only
 * a superadmin may give it; power users (and everyone else) are refused.
 */
export function mayAcceptOnBehalf(actorRole: Role): boolean {
  return actorRole === 'superadmin';
}

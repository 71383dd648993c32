import { uniqueViolation, type Database, type Db, type Tx } from '../db/database.ts';
import type { Clock } from '../shared/clock.ts';
import { AppError } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import type { AuthedContext, RequestContext } from '../shared/request-context.ts';
import { authorize } from '../permissions/authorize.ts';
import { recordAudit } from '../audit/audit.ts';
import {
  currentVersions,
  decidePublish,
  inForce,
  orderPolicies,
  parentProblem,
  type Policy,
  type PolicyKind,
  type PolicyVersion,
} from './terms.ts';
import {
  archivePolicy,
  findPolicy,
  findVersion,
  insertPolicy,
  insertVersion,
  listPolicies,
  listVersions,
  listVersionsOf,
  publishVersion,
} from './terms.store.ts';

// Administration of policies and their versions (settings.manage). Every change is audited in
// its own transaction; publishing a version makes it current, which asks every user again
// because acceptances are of versions, not of policies.

export interface PolicyView {
  policy: Policy;
  /** False when archived, or when the privacy policy it belongs to is archived. */
  inForce: boolean;
  currentVersionId: string | null;
  versions: PolicyVersion[];
}

export interface NewPolicy {
  kind: PolicyKind;
  title: string;
  parentId?: string | null | undefined;
}

const notFound = () => new AppError('policy_not_found', 'There is no policy with this ID.');
const archived = () => new AppError('policy_archived', 'This policy is archived; it takes no new versions.');

export class PolicyAdmin {
  private readonly database: Database;
  private readonly clock: Clock;
  private readonly changed: () => Promise<void>;

  constructor(deps: { database: Database; clock: Clock; changed: () => Promise<void> }) {
    this.database = deps.database;
    this.clock = deps.clock;
    this.changed = deps.changed;
  }

  /** Every policy (archived ones too), parents followed by their sub-policies. */
  async list(ctx: AuthedContext): Promise<PolicyView[]> {
    authorize(ctx, 'settings.manage');
    return views(this.database.db);
  }

  async view(policyId: string): Promise<PolicyView> {
    const found = (await views(this.database.db)).find((v) => v.policy.id === policyId);
    if (!found) throw notFound();
    return found;
  }

  async create(ctx: AuthedContext, input: NewPolicy): Promise<PolicyView> {
    authorize(ctx, 'settings.manage');
    const now = this.clock.now();
    const id = newId(now);
    await this.database.transaction(async (trx) => {
      const parentId = input.parentId ?? null;
      const parent = parentId === null ? null : await findPolicy(trx, parentId);
      const problem = parentProblem(input.kind, parent);
      if (problem) {
        throw new AppError('invalid_policy_parent', problem.message, { fieldErrors: [problem] });
      }
      await insertPolicy(trx, {
        id,
        kind: input.kind,
        parent_id: parentId,
        title: input.title,
        created_at: now,
        archived_at: null,
      });
      await recordAudit(trx, this.clock, ctx, {
        action: 'policy.created',
        target: { type: 'policy', id, label: input.title },
        changes: {
          kind: { before: null, after: input.kind },
          title: { before: null, after: input.title },
          parentId: { before: null, after: parentId },
        },
      });
    });
    await this.changed();
    return this.view(id);
  }

  /** A new version, numbered after the last one; published at once when asked. */
  async addVersion(
    ctx: AuthedContext,
    policyId: string,
    input: { body: string; publish: boolean },
  ): Promise<PolicyVersion> {
    authorize(ctx, 'settings.manage');
    const now = this.clock.now();
    const id = newId(now);
    try {
      await this.database.transaction(async (trx) => {
        const policy = await findPolicy(trx, policyId);
        if (!policy) throw notFound();
        if (policy.archivedAt !== null) throw archived();
        const siblings = await listVersionsOf(trx, policyId);
        const number = Math.max(0, ...siblings.map((v) => v.number)) + 1;
        await insertVersion(trx, {
          id,
          policy_id: policyId,
          number,
          body: input.body,
          created_at: now,
          published_at: input.publish ? now : null,
        });
        await recordAudit(trx, this.clock, ctx, {
          action: 'policy.version_added',
          target: { type: 'policy', id: policyId, label: policy.title },
          details: { versionId: id, number, published: input.publish },
        });
        if (input.publish) await this.auditPublished(trx, ctx, policy, siblings, { id, number });
      });
    } catch (error) {
      // Someone added a version at the same moment and took the number.
      if (uniqueViolation(error) !== null) {
        throw new AppError('conflict', 'Another version was added at the same time; try again.');
      }
      throw error;
    }
    await this.changed();
    return (await findVersion(this.database.db, id))!;
  }

  async publish(ctx: AuthedContext, policyId: string, versionId: string): Promise<PolicyView> {
    authorize(ctx, 'settings.manage');
    let changed = false;
    await this.database.transaction(async (trx) => {
      const policy = await findPolicy(trx, policyId);
      if (!policy) throw notFound();
      const siblings = await listVersionsOf(trx, policyId);
      const version = siblings.find((v) => v.id === versionId);
      if (!version) throw new AppError('policy_not_found', 'This policy has no version with this ID.');
      const decision = decidePublish(policy, version, siblings);
      if (decision.kind === 'archived') throw archived();
      if (decision.kind === 'superseded') {
        throw new AppError(
          'policy_version_superseded',
          `Version ${decision.currentNumber} is published already; add a new version instead.`,
        );
      }
      if (decision.kind === 'already-published') return;
      if (!(await publishVersion(trx, versionId, this.clock.now()))) return;
      await this.auditPublished(trx, ctx, policy, siblings, version);
      changed = true;
    });
    if (changed) await this.changed();
    return this.view(policyId);
  }

  /** Archiving withdraws the policy (and a privacy policy's sub-policies) from what users must accept. */
  async archive(ctx: AuthedContext, policyId: string): Promise<PolicyView> {
    authorize(ctx, 'settings.manage');
    let changed = false;
    await this.database.transaction(async (trx) => {
      const policy = await findPolicy(trx, policyId);
      if (!policy) throw notFound();
      if (!(await archivePolicy(trx, policyId, this.clock.now()))) return;
      await recordAudit(trx, this.clock, ctx, {
        action: 'policy.archived',
        target: { type: 'policy', id: policyId, label: policy.title },
      });
      changed = true;
    });
    if (changed) await this.changed();
    return this.view(policyId);
  }

  private async auditPublished(
    trx: Tx,
    ctx: RequestContext,
    policy: Policy,
    siblings: ReadonlyArray<{ number: number; publishedAt: number | null }>,
    version: { id: string; number: number },
  ): Promise<void> {
    const previous = siblings.filter((v) => v.publishedAt !== null).map((v) => v.number);
    await recordAudit(trx, this.clock, ctx, {
      action: 'policy.version_published',
      target: { type: 'policy', id: policy.id, label: policy.title },
      changes: {
        currentVersion: { before: previous.length > 0 ? Math.max(...previous) : null, after: version.number },
      },
      details: { versionId: version.id },
    });
  }
}

async function views(db: Db): Promise<PolicyView[]> {
  const policies = await listPolicies(db);
  const versions = await listVersions(db);
  const current = new Map(currentVersions(policies, versions).map((v) => [v.policyId, v.versionId]));
  const byId = new Map(policies.map((p) => [p.id, p]));
  return orderPolicies(policies).map((policy) => ({
    policy,
    inForce: inForce(policy, byId),
    currentVersionId: current.get(policy.id) ?? null,
    versions: versions.filter((v) => v.policyId === policy.id),
  }));
}

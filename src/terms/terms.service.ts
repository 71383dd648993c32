import type { Database, Db, Tx } from '../db/database.ts';
import type { Clock } from '../shared/clock.ts';
import { AppError } from '../shared/errors.ts';
import { emit, type DomainHooks } from '../shared/hooks.ts';
import { newId } from '../shared/ids.ts';
import type { Principal, RequestContext } from '../shared/request-context.ts';
import { recordAudit } from '../audit/audit.ts';
import { displayName } from '../users/user.ts';
import { findUser } from '../users/users.store.ts';
import { PolicyAdmin } from './policy-admin.ts';
import { currentVersions, mayAcceptOnBehalf, pendingVersions, type CurrentVersion } from './terms.ts';
import {
  activeAcceptances,
  insertAcceptance,
  loadCatalogue,
  revokeAcceptance,
  versionBodies,
} from './terms.store.ts';

// Acceptance of policies by users (R-IMP-12, R-ADM-16). The administration of the policies
// themselves lives in PolicyAdmin (policy-admin.ts), reachable as `terms.admin`.

export type SignedInContext = RequestContext & { user: Principal };

export interface PendingWithBody extends CurrentVersion {
  body: string;
}

export interface AcceptedPolicy {
  policyId: string;
  versionId: string;
  kind: CurrentVersion['kind'];
  title: string;
  number: number;
  acceptedAt: number;
  onBehalf: boolean;
}

export interface OnBehalf {
  /** The person accepting for the subject (a superadmin starting an impersonation). */
  actorId: string;
  impersonationId: string | null;
}

export class TermsService {
  readonly admin: PolicyAdmin;
  private readonly database: Database;
  private readonly clock: Clock;
  private readonly hooks: DomainHooks;
  /** The current versions, for the session answer only (see pendingSummary). */
  private cached: CurrentVersion[] | null = null;
  private generation = 0;

  constructor(deps: { database: Database; clock: Clock; hooks: DomainHooks }) {
    this.database = deps.database;
    this.clock = deps.clock;
    this.hooks = deps.hooks;
    this.admin = new PolicyAdmin({ ...deps, changed: () => this.catalogueChanged() });
    deps.database.onBroadcast((m) => {
      if (m === 'terms' || m === '*') this.forget();
    });
  }

  /** The current versions of every policy in force, read from `db` (a transaction or not). */
  async currentFor(db: Db): Promise<CurrentVersion[]> {
    const { policies, versions } = await loadCatalogue(db);
    return currentVersions(policies, versions);
  }

  /**
   * The current versions this user has not accepted (or has revoked). Always read from `db`, so
   * a caller deciding something (the impersonation start) decides on committed truth, inside
   * its own transaction when it passes one.
   */
  async pendingFor(db: Db, userId: string): Promise<CurrentVersion[]> {
    const current = await this.currentFor(db);
    return pendingVersions(
      current,
      await activeAcceptances(
        db,
        userId,
        current.map((v) => v.versionId),
      ),
    );
  }

  /**
   * pendingFor for the session answer and the login answer, which only prompt a client.
   * GET /api/v1/session is the hottest route there is: with no policy in force (the usual
   * installation) this costs no query at all; otherwise one indexed query.
   */
  async pendingSummary(userId: string): Promise<CurrentVersion[]> {
    const current = await this.cachedCurrent();
    if (current.length === 0) return [];
    const acceptances = await activeAcceptances(
      this.database.db,
      userId,
      current.map((v) => v.versionId),
    );
    return pendingVersions(current, acceptances);
  }

  /**
   * True when this instance knows no policy is in force, so that every user's pendingSummary
   * is empty without a query; false when it would have to read (the warm session check's fast
   * path then leaves the request to the route).
   */
  knownNoneInForce(): boolean {
    return this.cached !== null && this.cached.length === 0;
  }

  /** R-ADM-16: what My Profile shows: what is still to accept, and what is accepted now. */
  async overview(userId: string): Promise<{ pending: PendingWithBody[]; accepted: AcceptedPolicy[] }> {
    const db = this.database.db;
    const current = await this.currentFor(db);
    const acceptances = await activeAcceptances(
      db,
      userId,
      current.map((v) => v.versionId),
    );
    const pending = pendingVersions(current, acceptances);
    const bodies = await versionBodies(
      db,
      pending.map((v) => v.versionId),
    );
    const byVersion = new Map(acceptances.map((a) => [a.versionId, a]));
    const accepted: AcceptedPolicy[] = [];
    for (const v of current) {
      const a = byVersion.get(v.versionId);
      if (!a) continue;
      const { policyId, versionId, kind, title, number } = v;
      accepted.push({
        policyId,
        versionId,
        kind,
        title,
        number,
        acceptedAt: a.acceptedAt,
        onBehalf: a.onBehalfBy !== null,
      });
    }
    return { pending: pending.map((v) => ({ ...v, body: bodies.get(v.versionId) ?? '' })), accepted };
  }

  /**
   * The signed-in user accepts these versions; each must be current. Idempotent: versions
   * accepted already stay as they are. In an impersonated session the acceptance is the
   * actor's on the subject's behalf (R-IMP-12), which only a superadmin may give.
   */
  async accept(ctx: SignedInContext, versionIds: readonly string[]): Promise<void> {
    const actor = ctx.actor !== null && ctx.actor.id !== ctx.user.id ? ctx.actor : null;
    if (actor && !mayAcceptOnBehalf(actor.role)) {
      throw new AppError(
        'forbidden',
        'Only a superadmin can accept terms on behalf of the user they act as.',
      );
    }
    const wanted = [...new Set(versionIds)];
    await this.database.transaction(async (trx) => {
      const current = await this.currentFor(trx);
      const byId = new Map(current.map((v) => [v.versionId, v]));
      const notCurrent = wanted.filter((id) => !byId.has(id));
      if (notCurrent.length > 0) {
        throw new AppError(
          'policy_version_not_current',
          'Only the current version of a policy in force can be accepted; reload the terms and try again.',
          {
            extra: { versionIds: notCurrent },
            fieldErrors: notCurrent.map((id) => ({
              field: `versionIds.${versionIds.indexOf(id)}`,
              message: 'is not a current policy version',
              kind: 'not_current' as const,
            })),
          },
        );
      }
      const by = actor ? { actorId: actor.id, impersonationId: ctx.impersonationId } : null;
      const recorded = await this.record(
        trx,
        ctx.user.id,
        wanted.map((id) => byId.get(id)!),
        by,
      );
      if (recorded.length === 0) return;
      await recordAudit(trx, this.clock, ctx, {
        action: by ? 'terms.accepted_on_behalf' : 'terms.accepted',
        target: { type: 'user', id: ctx.user.id, label: ctx.user.displayName },
        details: { versions: recorded.map(versionRef), ...(by ? { acceptedOnBehalfBy: by.actorId } : {}) },
      });
    });
  }

  /**
   * R-IMP-12: a superadmin starting an impersonation accepts every pending current version for
   * the subject. Runs inside the caller's transaction so the acceptance exists exactly when the
   * impersonation does. Returns what it recorded (nothing when nothing was pending). The caller
   * decides whether the actor may impersonate at all; this refuses anyone but a superadmin as a
   * second line of defence.
   */
  async acceptOnBehalf(
    trx: Tx,
    ctx: RequestContext,
    subjectId: string,
    by: OnBehalf,
  ): Promise<CurrentVersion[]> {
    const pending = await this.pendingFor(trx, subjectId);
    if (pending.length === 0) return [];
    const actor = await findUser(trx, by.actorId);
    if (!actor || !mayAcceptOnBehalf(actor.role)) {
      throw new AppError('forbidden', 'Only a superadmin can accept terms on behalf of another user.');
    }
    const subject = await findUser(trx, subjectId);
    if (!subject) throw new AppError('user_not_found', 'There is no user with this ID.');
    const recorded = await this.record(trx, subjectId, pending, by);
    if (recorded.length > 0) {
      await recordAudit(trx, this.clock, ctx, {
        action: 'terms.accepted_on_behalf',
        target: { type: 'user', id: subjectId, label: displayName(subject) },
        details: {
          versions: recorded.map(versionRef),
          acceptedOnBehalfBy: by.actorId,
          impersonationId: by.impersonationId,
        },
      });
    }
    return recorded;
  }

  /**
   * The signed-in user withdraws acceptance of a policy's current version: it becomes pending
   * again (asked at the next login). The termsRevoked hook runs in the same transaction, so an
   * impersonation of this user ends with the revocation or not at all (R-IMP-12).
   */
  async revoke(ctx: SignedInContext, policyId: string): Promise<void> {
    await this.database.transaction(async (trx) => {
      const current = (await this.currentFor(trx)).find((v) => v.policyId === policyId);
      if (!current) throw new AppError('policy_not_found', 'There is no policy in force with this ID.');
      const revoked = await revokeAcceptance(trx, ctx.user.id, current.versionId, this.clock.now());
      if (!revoked) {
        throw new AppError(
          'acceptance_not_found',
          'You have not accepted the current version of this policy.',
        );
      }
      await recordAudit(trx, this.clock, ctx, {
        action: 'terms.revoked',
        target: { type: 'user', id: ctx.user.id, label: ctx.user.displayName },
        details: { versions: [versionRef(current)] },
      });
      await emit(this.hooks.termsRevoked, trx, ctx, { userId: ctx.user.id });
    });
  }

  /** Inserts acceptances of these versions; returns those this call recorded. */
  private async record(
    trx: Tx,
    userId: string,
    versions: readonly CurrentVersion[],
    by: OnBehalf | null,
  ): Promise<CurrentVersion[]> {
    const now = this.clock.now();
    const recorded: CurrentVersion[] = [];
    for (const v of versions) {
      const inserted = await insertAcceptance(trx, {
        id: newId(now),
        user_id: userId,
        policy_version_id: v.versionId,
        accepted_at: now,
        accepted_on_behalf_by: by?.actorId ?? null,
        impersonation_id: by?.impersonationId ?? null,
        revoked_at: null,
      });
      if (inserted) recorded.push(v);
    }
    return recorded;
  }

  private async cachedCurrent(): Promise<CurrentVersion[]> {
    if (this.cached) return this.cached;
    // A change committed while we read would leave us caching the old catalogue; the
    // generation tells us an invalidation arrived meanwhile, and then we do not keep it.
    const generation = this.generation;
    const current = await this.currentFor(this.database.db);
    if (generation === this.generation) this.cached = current;
    return current;
  }

  private forget(): void {
    this.cached = null;
    this.generation++;
  }

  /** Called by PolicyAdmin after a committed change: every instance drops its copy. */
  private async catalogueChanged(): Promise<void> {
    this.forget();
    await this.database.broadcast('invalidate', 'terms');
  }
}

function versionRef(v: CurrentVersion) {
  return { policyId: v.policyId, versionId: v.versionId, title: v.title, number: v.number };
}

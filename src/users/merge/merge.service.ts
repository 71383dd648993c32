import type { Database } from '../../db/database.ts';
import type { AuthedContext } from '../../shared/request-context.ts';
import { authorize } from '../../permissions/authorize.ts';
import { can, canGrant } from '../../permissions/can.ts';
import { actorOf } from '../../shared/request-context.ts';
import type { Clock } from '../../shared/clock.ts';
import { AppError } from '../../shared/errors.ts';
import { emit, type DomainHooks } from '../../shared/hooks.ts';
import { recordAudit, diff } from '../../audit/audit.ts';
import type { SessionService } from '../../sessions/sessions.service.ts';
import { deleteSessionsOfUser } from '../../sessions/sessions.store.ts';
import { deleteUserRow, listEmails, updateUserRow } from '../users.store.ts';
import { displayName, searchTextOf } from '../user.ts';
import type { UserAggregate, UsersService } from '../users.service.ts';
import { mapUniqueViolation } from '../constraints.ts';
import {
  defaultSurvivor,
  planMerge,
  type MergeChoices,
  type MergePlan,
  type MergeSide,
} from './merge-plan.ts';
import { applyPlan, claimBoth, readSide, recordMerge, verifiedElsewhere } from './merge.store.ts';

// R-ADM-10: connecting two profiles of one person. The preview and the merge run the same
// plan (merge-plan.ts) on the same facts; the merge re-reads them inside its transaction,
// after claiming both rows at the versions the preview showed, so a stale preview is refused
// (412) and what is written is exactly what the plan says for the state it claimed.

export interface MergeInput {
  absorbId: string;
  survivorVersion: number;
  absorbVersion: number;
  choices: MergeChoices;
}

export interface MergePreview {
  plan: MergePlan;
  survivor: UserAggregate;
  absorbed: UserAggregate;
  /** The holder of the verified address: who survives unless the administrator picks the other. */
  suggestedSurvivorId: string;
}

const stale = () =>
  new AppError(
    'precondition_failed',
    'One of the profiles changed since the preview (or was connected elsewhere); preview again.',
  );

export class MergeService {
  private readonly database: Database;
  private readonly clock: Clock;
  private readonly users: UsersService;
  private readonly sessions: SessionService;
  private readonly hooks: DomainHooks;

  constructor(deps: {
    database: Database;
    clock: Clock;
    users: UsersService;
    sessions: SessionService;
    hooks: DomainHooks;
  }) {
    this.database = deps.database;
    this.clock = deps.clock;
    this.users = deps.users;
    this.sessions = deps.sessions;
    this.hooks = deps.hooks;
  }

  /** The profiles with an unverified address of this user verified in them (R-ADM-10). */
  async candidates(ctx: AuthedContext, userId: string) {
    const { user } = await this.users.load(userId);
    authorize(ctx, 'users.update', user);
    const found = await verifiedElsewhere(this.database.db, userId);
    const out = [];
    for (const c of found) {
      const other = await this.users.load(c.userId);
      if (!can(actorOf(ctx), 'users.read', other.user).allowed) continue;
      out.push({ emailId: c.emailId, address: c.address, user: other });
    }
    return out;
  }

  async preview(
    ctx: AuthedContext,
    survivorId: string,
    absorbId: string,
    choices: MergeChoices,
  ): Promise<MergePreview> {
    const [survivor, absorbed] = await this.readBoth(survivorId, absorbId);
    const plan = planMerge(survivor, absorbed, choices, false);
    this.authorizeMerge(ctx, survivor, absorbed, plan);
    return {
      plan,
      survivor: { user: survivor.user, emails: survivor.emails },
      absorbed: { user: absorbed.user, emails: absorbed.emails },
      suggestedSurvivorId: defaultSurvivor(survivor, absorbed),
    };
  }

  async merge(ctx: AuthedContext, survivorId: string, input: MergeInput): Promise<UserAggregate> {
    // Checked before the transaction for a clear answer; checked again inside on fresh facts.
    // A stale preview is refused first: what the administrator decided on may no longer hold.
    const [before, beforeAbsorbed] = await this.readBoth(survivorId, input.absorbId);
    if (before.user.version !== input.survivorVersion || beforeAbsorbed.user.version !== input.absorbVersion)
      throw stale();
    this.authorizeMerge(ctx, before, beforeAbsorbed, planMerge(before, beforeAbsorbed, input.choices, true));
    const now = this.clock.now();
    try {
      await this.database.transaction(async (trx) => {
        const claimed = await claimBoth(trx, [
          { id: survivorId, version: input.survivorVersion },
          { id: input.absorbId, version: input.absorbVersion },
        ]);
        if (!claimed) throw stale();
        const survivor = await readSide(trx, survivorId);
        const absorbed = await readSide(trx, input.absorbId);
        if (!survivor || !absorbed) throw stale();
        const plan = planMerge(survivor, absorbed, input.choices, true);
        this.authorizeMerge(ctx, survivor, absorbed, plan);

        await deleteSessionsOfUser(trx, absorbed.user.id);
        await applyPlan(trx, plan, now);
        await recordMerge(trx, {
          absorbed_id: absorbed.user.id,
          survivor_id: survivor.user.id,
          absorbed_label: displayName(absorbed.user),
          merged_at: now,
        });
        // Handlers of other modules (impersonations, assignments) see the row before it goes.
        await emit(this.hooks.userDeleted, trx, ctx, { userId: absorbed.user.id });
        if (!(await deleteUserRow(trx, absorbed.user.id, input.absorbVersion + 1))) throw stale();

        const rights = plan.result.rights;
        const emails = await listEmails(trx, survivor.user.id);
        const written = await updateUserRow(trx, survivor.user.id, input.survivorVersion + 1, {
          role: rights.role,
          system_permissions: JSON.stringify(rights.system),
          general_permissions: JSON.stringify(rights.general),
          domain_id: plan.result.domainId,
          search_text: searchTextOf(
            survivor.user,
            emails.map((e) => e.address),
          ),
          updated_at: now,
        });
        if (!written) throw stale();
        const changes = diff(
          {
            role: survivor.user.role,
            systemPermissions: [...survivor.user.systemPermissions].sort(),
            generalPermissions: [...survivor.user.generalPermissions].sort(),
            domainId: survivor.user.domainId,
          },
          {
            role: rights.role,
            systemPermissions: rights.system,
            generalPermissions: rights.general,
            domainId: plan.result.domainId,
          },
        );
        // Rights that changed give the survivor's sessions new tokens and re-check what they
        // may do (DESIGN.md section 5), as any other change of rights does.
        await emit(this.hooks.userChanged, trx, ctx, {
          userId: survivor.user.id,
          fields: Object.keys(changes),
        });
        await recordAudit(trx, this.clock, ctx, {
          action: 'user.merged',
          target: { type: 'user', id: survivor.user.id, label: displayName(survivor.user) },
          changes,
          details: auditDetails(plan, absorbed, input.choices),
        });
      });
    } catch (error) {
      throw mapUniqueViolation(error);
    }
    await this.sessions.forgetUser(input.absorbId);
    await this.sessions.forgetUser(survivorId);
    return this.users.load(survivorId);
  }

  private async readBoth(survivorId: string, absorbId: string): Promise<[MergeSide, MergeSide]> {
    const db = this.database.db;
    const survivor = await readSide(db, survivorId);
    if (!survivor) await this.users.load(survivorId); // throws the right 404
    const absorbed = await readSide(db, absorbId);
    if (!absorbed) await this.users.load(absorbId);
    return [survivor!, absorbed!];
  }

  /**
   * Who may connect: whoever may edit, reset the sign-in of and delete the absorbed profile,
   * and edit and reset the sign-in of the survivor (its ways in grow), never their own profile
   * (R-ADM-08). Rights that change on the survivor are granted by the administrator, so only
   * what they may grant (no escalation); a role or a power user's reach only by superadmins.
   */
  private authorizeMerge(
    ctx: AuthedContext,
    survivor: MergeSide,
    absorbed: MergeSide,
    plan: MergePlan,
  ): void {
    for (const action of ['users.update', 'users.credentials', 'users.delete'] as const) {
      authorize(ctx, action, absorbed.user);
    }
    for (const action of ['users.update', 'users.credentials'] as const)
      authorize(ctx, action, survivor.user);
    const { rights } = plan.result;
    const s = survivor.user;
    if (rights.role !== s.role) authorize(ctx, 'users.role', s);
    if (plan.resources.move.length > 0) authorize(ctx, 'users.resources', s);
    const sameSystem = [...s.systemPermissions].sort().join() === rights.system.join();
    const sameGeneral = [...s.generalPermissions].sort().join() === rights.general.join();
    if (!sameSystem || !sameGeneral) {
      const decision = canGrant(actorOf(ctx), s, rights.system, rights.general);
      if (!decision.allowed) {
        throw new AppError(decision.reason, 'You cannot give the surviving profile rights you do not hold.');
      }
    }
  }
}

function auditDetails(plan: MergePlan, absorbed: MergeSide, choices: MergeChoices) {
  const moved: Record<string, number> = {};
  const dropped: Record<string, number> = {};
  for (const [table, outcome] of Object.entries(plan.tables)) {
    if (outcome.moved > 0) moved[table] = outcome.moved;
    if (outcome.dropped > 0) dropped[table] = outcome.dropped;
  }
  return {
    absorbedId: plan.absorbedId,
    absorbedLabel: displayName(absorbed.user),
    survivorId: plan.survivorId,
    connectingAddresses: plan.connectingAddresses,
    choices,
    moved,
    dropped,
    droppedProfile: plan.droppedProfile,
  };
}

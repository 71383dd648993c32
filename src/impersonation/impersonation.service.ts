import { authorize } from '../permissions/authorize.ts';
import { lockChain, type Database, type Tx } from '../db/database.ts';
import type { Clock } from '../shared/clock.ts';
import { AppError } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import { systemContext, type RequestContext } from '../shared/request-context.ts';
import type { AuthedContext } from '../shared/request-context.ts';
import { recordAudit } from '../audit/audit.ts';
import type { SettingsService } from '../settings/settings.service.ts';
import type { SessionService } from '../sessions/sessions.service.ts';
import { hashToken, newToken } from '../sessions/token.ts';
import { findUser } from '../users/users.store.ts';
import { displayName, type User } from '../users/user.ts';
import { decideImpersonation, mayImpersonateAtAll } from './rule.ts';
import { impersonationFacts, needsReach } from './facts.ts';
import { denialMessages, type EndReason } from './messages.ts';
import type { ImpersonationPorts } from './ports.ts';
import type { ApprovalsService } from './approvals.service.ts';
import { evaluateStart } from './evaluate.ts';
import { previewImpersonation, type ImpersonationPreview, type PreviewDeps } from './preview.ts';
import { endImpersonation, endInOwnTransaction, expireDue, type Ender } from './ending.ts';
import { handoffHostFor, handoffTtlMs, ImpersonationBrowserFlow } from './browser-flow.ts';
import { decideMode, type ImpersonationMode } from './mode.ts';
import { assertStepUp } from './step-up.service.ts';
import {
  activeImpersonationsOf,
  findImpersonation,
  insertHandoff,
  insertImpersonation,
} from './impersonation.store.ts';

export interface StartInput {
  reason: string;
  durationMinutes: number;
  domainId?: string | undefined;
  acceptTermsOnBehalf?: boolean | undefined;
  origin: 'users' | 'power-users';
  /** Issue 12 #2: 'read-only' only looks; without it, the setting's default. */
  mode?: ImpersonationMode | undefined;
  /** Issue 12 #3: a superadmin starts without the user's consent, loudly. */
  breakGlass?: boolean | undefined;
}

export interface Started {
  impersonationId: string;
  handoffToken: string;
  /** The domain's host name (with PUBLIC_URL's port), when the session is to run there (R-IMP-02). */
  handoffHost: string | null;
  expiresAt: number;
}

export class ImpersonationService {
  private readonly database: Database;
  private readonly clock: Clock;
  private readonly settings: SettingsService;
  private readonly sessions: SessionService;
  private readonly ports: ImpersonationPorts;
  private readonly ender: Ender;
  private readonly publicUrl: string;
  private readonly approvals: ApprovalsService;
  /** What the rule and the preview read (evaluate.ts, preview.ts). */
  private readonly rule: PreviewDeps;
  /** Handoff, "back to your account" and logout: switching the browser between sessions. */
  readonly browser: ImpersonationBrowserFlow;

  constructor(deps: {
    database: Database;
    clock: Clock;
    settings: SettingsService;
    sessions: SessionService;
    ports: ImpersonationPorts;
    publicUrl: string;
    approvals: ApprovalsService;
  }) {
    this.publicUrl = deps.publicUrl;
    this.approvals = deps.approvals;
    this.database = deps.database;
    this.clock = deps.clock;
    this.settings = deps.settings;
    this.sessions = deps.sessions;
    this.ports = deps.ports;
    this.ender = { database: deps.database, clock: deps.clock, ports: deps.ports };
    this.rule = {
      database: deps.database,
      clock: deps.clock,
      settings: deps.settings,
      ports: deps.ports,
      approvals: deps.approvals,
    };
    this.browser = new ImpersonationBrowserFlow({
      ...this.ender,
      sessions: deps.sessions,
      publicUrl: deps.publicUrl,
    });
  }

  /** R-IMP-10: an impersonation found past its end while resolving its session ends now. */
  async expire(impersonationId: string): Promise<void> {
    await endInOwnTransaction(this.ender, this.systemCtx(impersonationId), impersonationId, 'expired');
  }

  // R-IMP-10, R-IMP-12: changes elsewhere end impersonations inside their own transaction. These
  // handle the domain events (shared/hooks.ts); src/services.ts subscribes them.

  /** A deleted user's impersonations end, whether they were acted as or acted. */
  async userDeleted(trx: Tx, ctx: RequestContext, userId: string): Promise<void> {
    await this.endAllOf(trx, ctx, userId, 'subject', 'subject_deleted');
    await this.endAllOf(trx, ctx, userId, 'actor', 'actor_demoted');
  }

  async termsRevoked(trx: Tx, ctx: RequestContext, userId: string): Promise<void> {
    await this.endAllOf(trx, ctx, userId, 'subject', 'terms_revoked');
  }

  /** A password reset ends the user's sessions; impersonations of and by them end with them. */
  async credentialsReset(trx: Tx, ctx: RequestContext, userId: string): Promise<void> {
    await this.endAllOf(trx, ctx, userId, 'subject', 'revoked');
    await this.endAllOf(trx, ctx, userId, 'actor', 'revoked');
  }

  /**
   * After a change to a user's activity, role or rights: ends what the rule no longer allows,
   * whether the user acts in it (`actor_demoted`) or is acted as (`subject_deactivated`,
   * `revoked`). The next request of that impersonation session is refused on every instance,
   * because impersonation sessions are read from the database on every request.
   */
  async recheck(trx: Tx, ctx: RequestContext, userId: string, fields: string[]): Promise<void> {
    if (!fields.some((f) => ['active', 'role', 'systemPermissions', 'generalPermissions'].includes(f)))
      return;
    for (const as of ['actor', 'subject'] as const) {
      for (const imp of await activeImpersonationsOf(trx, userId, as)) {
        const actor = await findUser(trx, imp.actor_id);
        const subject = await findUser(trx, imp.subject_id);
        if (!actor || !subject) continue;
        const allowed = actor.active && (await this.stillAllowed(trx, imp.domain_id, actor, subject));
        if (allowed) continue;
        const reason = as === 'actor' ? 'actor_demoted' : subject.active ? 'revoked' : 'subject_deactivated';
        await endImpersonation(this.ender, trx, ctx, imp.id, reason);
      }
    }
  }

  /** The rule again, for a running impersonation: only who may act as whom (not terms, not notifications). */
  private async stillAllowed(trx: Tx, domainId: string | null, actor: User, subject: User): Promise<boolean> {
    // A power user who also holds system permissions keeps their reach (issue 7 #6).
    const reach = needsReach(actor) ? await this.ports.reachOf(trx, actor.id, subject.id) : null;
    const facts = impersonationFacts({
      actor,
      impersonating: false,
      subject,
      reach,
      domainId,
      notificationsEnabled: true,
      termsPending: false,
      acceptTermsOnBehalf: false,
    });
    const decision = decideImpersonation(facts.actor, facts.subject, facts.context);
    return decision.allowed;
  }

  /** R-IMP-02: refuses, before its input is read, an actor who may never start an impersonation. */
  assertMayImpersonate(ctx: AuthedContext): void {
    const denial = mayImpersonateAtAll({ ...ctx.user, impersonating: ctx.impersonationId !== null });
    if (denial === 'nested_impersonation') {
      throw new AppError('nested_impersonation', 'You are acting as another user already; go back first.');
    }
    if (denial === 'missing_permission') {
      throw new AppError('missing_permission', 'You do not have the permission to act as other users.');
    }
  }

  /** R-IMP-01, 02, 11, 12: checks the rule and records the start (the handoff notifies, R-IMP-09). */
  async start(ctx: AuthedContext, subjectId: string, input: StartInput): Promise<Started> {
    const db = this.database.db;
    const settings = await this.settings.get();
    const subject = await findUser(db, subjectId);
    if (!subject) throw new AppError('user_not_found', 'There is no user with this ID.');
    const reason = input.reason.trim();
    if (settings.impersonation.reasonRequired && reason === '') {
      throw new AppError('reason_required', 'State why you act as this user.', {
        fieldErrors: [{ field: 'reason', message: 'is required', kind: 'required' }],
      });
    }
    const max = settings.impersonation.maxDurationMinutes;
    if (input.durationMinutes > max) {
      throw new AppError('duration_too_long', `An impersonation may last at most ${max} minutes.`, {
        fieldErrors: [
          {
            field: 'durationMinutes',
            message: `must be at most ${max}`,
            kind: 'too_big',
            params: { origin: 'number', maximum: max },
          },
        ],
      });
    }

    const actor = ctx.user;
    const modeDecision = decideMode(input.mode, settings.impersonation, actor);
    if (!modeDecision.allowed) {
      throw new AppError('act_not_allowed', "You may only look at this user's account, not act in it.", {
        fieldErrors: [{ field: 'mode', message: 'must be read-only for you', kind: 'invalid_value' }],
      });
    }
    const { decision, domain } = await evaluateStart(this.rule, ctx, subject, {
      domainId: input.domainId,
      acceptTermsOnBehalf: input.acceptTermsOnBehalf === true,
      requireDomainPick: true,
    });
    if (!decision.allowed) throw new AppError(decision.reason, denialMessages[decision.reason]);
    await assertStepUp(db, this.clock.now(), settings.impersonation.stepUpMinutes, ctx);

    const now = this.clock.now();
    const id = newId(now);
    const expiresAt = now + input.durationMinutes * 60_000;
    const handoffToken = newToken();
    const actorSessionId = ctx.session!.id;
    const subjectLabel = displayName(subject);
    const handoffHost = domain?.hostName ? handoffHostFor(this.publicUrl, domain.hostName) : null;
    await this.database.transaction(async (trx) => {
      // Issue 7 #7b: one actor runs at most one impersonation. A new start ends the actor's
      // others ('superseded'), opened or not, in any browser: refusing could leave an actor
      // locked out by one left open elsewhere. Starts of one actor wait for each other here
      // (SQLite's single writer does the same), so parallel starts leave exactly one.
      await lockChain(trx, `impersonation-actor:${actor.id}`);
      // Issue 12 #3, #4: spends the consent or approval this start needs, or refuses it.
      const approval = await this.approvals.admit(trx, ctx, subject, {
        ...input,
        reason,
        impersonationId: id,
      });
      for (const old of await activeImpersonationsOf(trx, actor.id, 'actor')) {
        await endImpersonation(this.ender, trx, ctx, old.id, 'superseded');
      }
      await insertImpersonation(trx, {
        id,
        actor_id: actor.id,
        actor_label: actor.displayName,
        actor_session_id: actorSessionId,
        subject_id: subject.id,
        subject_label: subjectLabel,
        reason,
        origin: input.origin,
        domain_id: domain?.id ?? null,
        planned_minutes: input.durationMinutes,
        terms_accepted_on_behalf: decision.acceptsTermsOnBehalf,
        started_at: now,
        expires_at: expiresAt,
        handed_off_at: null,
        ended_at: null,
        end_reason: null,
        mode: modeDecision.mode,
      });
      await insertHandoff(trx, {
        token_hash: hashToken(handoffToken),
        impersonation_id: id,
        actor_session_id: actorSessionId,
        expires_at: now + handoffTtlMs,
        host: handoffHost,
      });
      if (decision.acceptsTermsOnBehalf) {
        await this.ports.acceptTermsOnBehalf(trx, ctx, subject.id, {
          actorId: actor.id,
          impersonationId: id,
        });
      }
      // Issue 7 #7c: the start belongs to the impersonation's trail (filtering by its ID finds it).
      await recordAudit(
        trx,
        this.clock,
        { ...ctx, impersonationId: id },
        {
          action: 'impersonation.started',
          target: { type: 'user', id: subject.id, label: subjectLabel },
          // Issue 10 #11: the start shows its reason like every event of the impersonation.
          impersonationReason: reason,
          details: {
            impersonationId: id,
            reason,
            plannedMinutes: input.durationMinutes,
            expiresAt: new Date(expiresAt).toISOString(),
            origin: input.origin,
            domainId: domain?.id ?? null,
            termsAcceptedOnBehalf: decision.acceptsTermsOnBehalf,
            mode: modeDecision.mode,
            ...approval,
          },
        },
      );
      // Issue 10 #3: the subject is told when the handoff opens the session (browser-flow.ts),
      // not here: a start whose link is never opened acts as nobody and ends silently.
    });
    return { impersonationId: id, handoffToken, handoffHost, expiresAt };
  }

  /** What the start dialog needs before the actor confirms (R-IMP-01): preview.ts. */
  preview(ctx: AuthedContext, subjectId: string): Promise<ImpersonationPreview> {
    return previewImpersonation(this.rule, ctx, subjectId);
  }

  /** The expiry job's work (R-IMP-10): ends every impersonation past its end time or never opened. */
  expireDue(): Promise<number> {
    return expireDue(this.ender, handoffTtlMs);
  }

  /** An administrator's "end now" from the list of active impersonations. */
  async revoke(ctx: AuthedContext, id: string): Promise<void> {
    authorize(ctx, 'impersonations.manage');
    const imp = await findImpersonation(this.database.db, id);
    if (!imp) throw new AppError('impersonation_not_found', 'There is no such impersonation.');
    if (imp.ended_at !== null)
      throw new AppError('impersonation_ended', 'This impersonation has ended already.');
    await endInOwnTransaction(this.ender, ctx, id, 'revoked');
  }

  /** Ends, inside `trx`, every active impersonation the user takes part in as `as`. */
  async endAllOf(trx: Tx, ctx: RequestContext, userId: string, as: 'actor' | 'subject', reason: EndReason) {
    for (const imp of await activeImpersonationsOf(trx, userId, as)) {
      await endImpersonation(this.ender, trx, ctx, imp.id, reason);
    }
  }

  private systemCtx(id: string): RequestContext {
    return { ...systemContext(`impersonation:${id}`), impersonationId: id };
  }

  get ending(): Ender {
    return this.ender;
  }
}

import type { Clock } from '../shared/clock.ts';
import { AppError } from '../shared/errors.ts';
import type { AuthedContext } from '../shared/request-context.ts';
import { findUser } from '../users/users.store.ts';
import type { DenialReason } from './rule.ts';
import { denialMessages } from './messages.ts';
import type { ApprovalsPreview, ApprovalsService } from './approvals.service.ts';
import { evaluateStart, type EvaluationDeps } from './evaluate.ts';
import { previewMode, type ImpersonationMode } from './mode.ts';
import { stepUpStatus, type StepUpStatus } from './step-up.service.ts';

// The start dialog's preview (R-IMP-01): the same rule as the start (evaluate.ts), asked
// before the actor confirms, and what the dialog must ask for. It changes nothing.

export interface ImpersonationPreview {
  allowed: boolean;
  code: DenialReason | null;
  message: string | null;
  needsTermsAcceptance: boolean;
  domainRequired: boolean;
  domains: Array<{ id: string; name: string; hostName: string | null }>;
  reasonRequired: boolean;
  maxDurationMinutes: number;
  /** Issue 12 #2: the mode a start gets without a pick, and whether this actor may act. */
  defaultMode: ImpersonationMode;
  actAllowed: boolean;
  /** Issue 12 #3, #4: consent and four eyes this start needs, and how far each has come. */
  approvals: ApprovalsPreview;
  /** Issue 12 #5: whether the actor must prove again first, and how they can. */
  stepUp: StepUpStatus;
}

export interface PreviewDeps extends EvaluationDeps {
  clock: Clock;
  approvals: Pick<ApprovalsService, 'preview'>;
}

/**
 * What the start dialog needs before the actor confirms (R-IMP-01): may this actor act as this
 * user, and if not, why; whether a domain must be picked and which; whether terms must be
 * accepted on the user's behalf; the reason and duration rules.
 */
export async function previewImpersonation(
  deps: PreviewDeps,
  ctx: AuthedContext,
  subjectId: string,
): Promise<ImpersonationPreview> {
  const subject = await findUser(deps.database.db, subjectId);
  if (!subject) throw new AppError('user_not_found', 'There is no user with this ID.');
  const settings = (await deps.settings.get()).impersonation;
  const first = await evaluateStart(deps, ctx, subject, {
    domainId: undefined,
    acceptTermsOnBehalf: false,
    requireDomainPick: false,
  });
  // A power user in a platform with domains picks the subject's domain, if it is theirs.
  const candidates =
    first.isPowerUser &&
    first.domainsInUse &&
    first.reach?.subjectDomainId &&
    first.reach.assignedDomainIds.includes(first.reach.subjectDomainId)
      ? [first.reach.subjectDomainId]
      : [];
  const domains = [];
  for (const id of candidates) {
    const d = await deps.ports.findDomain(deps.database.db, id);
    if (d) domains.push(d);
  }
  const { decision } =
    domains.length > 0
      ? await evaluateStart(deps, ctx, subject, {
          domainId: domains[0]!.id,
          acceptTermsOnBehalf: false,
          requireDomainPick: false,
        })
      : first;
  const needsTermsAcceptance =
    !decision.allowed && decision.reason === 'terms_not_accepted' && ctx.user.role === 'superadmin';
  const allowed = decision.allowed || needsTermsAcceptance;
  return {
    allowed,
    code: allowed ? null : (decision as { reason: DenialReason }).reason,
    message: allowed ? null : denialMessages[(decision as { reason: DenialReason }).reason],
    needsTermsAcceptance,
    domainRequired: first.domainOnlyPath && first.domainsInUse,
    domains,
    reasonRequired: settings.reasonRequired,
    maxDurationMinutes: settings.maxDurationMinutes,
    ...previewMode(settings, ctx.user),
    approvals: await deps.approvals.preview(ctx, subject),
    stepUp: await stepUpStatus(deps.database.db, deps.clock.now(), settings.stepUpMinutes, ctx),
  };
}

import { z } from 'zod';

// Issue 12 #3 (consent) and #4 (four eyes), R-IMP-17: which approvals a start needs, who may
// give them, and whether a superadmin may break the glass. Pure; approval-rule.test.ts tables it.
// The settings live here so that the rule and its inputs change together.

export const consentModes = ['never', 'privileged', 'always'] as const;
export type ConsentMode = (typeof consentModes)[number];
export const fourEyesModes = ['off', 'privileged', 'privileged-and-group'] as const;
export type FourEyesMode = (typeof fourEyesModes)[number];

export const approvalSettings = z
  .object({
    /** Issue 12 #3: when acting needs the user's consent. */
    consent: z.enum(consentModes),
    /** Issue 12 #4: when acting needs a second administrator's approval. */
    fourEyes: z.enum(fourEyesModes),
    /** With 'privileged-and-group': the members of this group need four eyes too. */
    fourEyesGroupId: z.uuid().nullable(),
    /** How long a request may be decided, and an approval used, in minutes. */
    windowMinutes: z
      .number()
      .int()
      .min(5)
      .max(7 * 24 * 60),
  })
  .strict();
export type ApprovalSettings = z.infer<typeof approvalSettings>;

/** All off: Behalf behaves as it did before approvals existed. */
export const defaultApprovalSettings: ApprovalSettings = {
  consent: 'never',
  fourEyes: 'off',
  fourEyesGroupId: null,
  windowMinutes: 240,
};

export const approvalKinds = ['consent', 'four_eyes'] as const;
export type ApprovalKind = (typeof approvalKinds)[number];

const approvalState = z
  .enum(['missing', 'pending', 'approved', 'declined'])
  .nullable()
  .describe("null: not needed; otherwise how far this actor's latest request has come");

/** The start dialog's part of the preview (impersonation.routes.ts). */
export const approvalsPreviewSchema = z.object({
  consent: approvalState,
  fourEyes: approvalState,
  breakGlassAllowed: z.boolean().describe('A superadmin may start without consent (break-glass)'),
});

export interface ApprovalFacts {
  subject: { role: string; systemPermissions: readonly string[] };
  /** The subject is a member of the setting's group (fourEyesGroupId). */
  subjectInGroup: boolean;
}

/** System administrators and power users: the subjects whose accounts reach furthest. */
export function isPrivileged(subject: ApprovalFacts['subject']): boolean {
  return subject.role !== 'user' || subject.systemPermissions.length > 0;
}

/** The approvals a start needs, before break-glass: [] with every setting off. */
export function requiredApprovals(settings: ApprovalSettings, facts: ApprovalFacts): ApprovalKind[] {
  const needed: ApprovalKind[] = [];
  const privileged = isPrivileged(facts.subject);
  if (settings.consent === 'always' || (settings.consent === 'privileged' && privileged)) {
    needed.push('consent');
  }
  const group = settings.fourEyes === 'privileged-and-group' && facts.subjectInGroup;
  if (settings.fourEyes !== 'off' && (privileged || group)) needed.push('four_eyes');
  return needed;
}

export type BreakGlassDecision =
  { allowed: true } | { allowed: false; reason: 'break_glass_not_allowed' | 'break_glass_reason_required' };

/**
 * Issue 12 #3: only a superadmin breaks the glass, always with a reason (whatever the reason
 * setting says), and it waives consent only: four eyes still hold, since a second person is the
 * point of that setting.
 */
export function decideBreakGlass(actorRole: string, reason: string): BreakGlassDecision {
  if (actorRole !== 'superadmin') return { allowed: false, reason: 'break_glass_not_allowed' };
  if (reason.trim() === '') return { allowed: false, reason: 'break_glass_reason_required' };
  return { allowed: true };
}

export interface Decider {
  id: string;
  impersonating: boolean;
  /** Four eyes: may this administrator act as the subject themselves (the rule, computed by the caller)? */
  mayActAsSubject: boolean;
}

export type DeciderDenial = 'approval_not_found' | 'self_approval' | 'blocked_during_impersonation';

/**
 * Who may decide a request. Consent: the user alone, in their own session (never an
 * administrator acting as them). Four eyes: another administrator who could act as the user
 * themselves, never the actor, never the user. A request someone may not decide answers as
 * missing for consent, so that its ID reveals nothing.
 */
export function deciderDenial(
  kind: ApprovalKind,
  request: { actorId: string; subjectId: string },
  decider: Decider,
): DeciderDenial | null {
  if (decider.impersonating) return 'blocked_during_impersonation';
  if (kind === 'consent') return decider.id === request.subjectId ? null : 'approval_not_found';
  if (decider.id === request.actorId) return 'self_approval';
  if (decider.id === request.subjectId || !decider.mayActAsSubject) return 'approval_not_found';
  return null;
}

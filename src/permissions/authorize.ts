import { AppError } from '../shared/errors.ts';
import { actorOf, type AuthedContext } from '../shared/request-context.ts';
import { can, type Action, type TargetUser } from './can.ts';

// Services decide authorization here (issue 10 #19), not the HTTP edge: this module lives in the
// permissions domain so that no service needs to import src/http/.

export const denialMessages = {
  missing_permission: 'You do not have the permission this needs.',
  self_administration: 'Administrators cannot do this to their own account; use My Profile.',
  target_is_superadmin: 'Only superadmins can administer a superadmin.',
  escalation: "You cannot administer someone with rights you don't have yourself.",
} as const;

/** Asks the one authorization rule and turns a denial into a 403 with its reason as `code`. */
export function authorize(ctx: AuthedContext, action: Action, target?: TargetUser): void {
  const decision = can(actorOf(ctx), action, target);
  if (!decision.allowed) throw new AppError(decision.reason, denialMessages[decision.reason]);
}

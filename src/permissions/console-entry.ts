import { isAdministrator, isPowerUser, type Actor } from './can.ts';

// Who may enter the admin console at all (every /api/v1/admin route). The HTTP guard asks this
// before the body is read, so a caller without rights learns nothing about a route's schema
// (401/403 before 422). It is a pre-check only: each service still asks `authorize()` about its
// own action and target.

export type ConsoleDenial = 'admin_unavailable_while_impersonating' | 'missing_permission' | 'forbidden';

export const consoleDenialMessages: Record<ConsoleDenial, string> = {
  admin_unavailable_while_impersonating:
    'The user you act as has no administrator functions; your own are unavailable while acting.',
  missing_permission: 'Power users may only read and act on the users assigned to them.',
  forbidden: 'This needs administrator rights.',
};

/**
 * `actor` holds the rights the request runs with (the subject's while impersonating);
 * `openToPowerUsers` says the route serves power users too (they must opt in route by route).
 */
export function mayAdministerAtAll(
  actor: Pick<Actor, 'role' | 'systemPermissions'>,
  request: { impersonating: boolean; openToPowerUsers: boolean },
): ConsoleDenial | null {
  const administrator = isAdministrator(actor);
  const powerUser = isPowerUser(actor);
  // R-IMP-03, issue 10 #4: inside an impersonation the console opens with the subject's rights
  // and reach, and the actor's own are not there to use. Acting as someone without any is said
  // as such.
  if (request.impersonating && !administrator && !powerUser) return 'admin_unavailable_while_impersonating';
  if (administrator) return null;
  if (powerUser) return request.openToPowerUsers ? null : 'missing_permission';
  return 'forbidden';
}

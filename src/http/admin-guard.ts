import type { FastifyInstance } from 'fastify';
import { AppError } from '../shared/errors.ts';
import { isAdministrator, isPowerUser } from '../permissions/can.ts';
import { requireUser } from './context.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * The route serves power users too (R-IMP-02): it asks `authorize()` with the target's
     * reach (services.orgs) and so admits them to the users assigned to them only. Every other
     * admin route stays closed to them at the guard.
     */
    powerUsers?: boolean;
  }
}

/** Route options for an admin route that power users may call (see `powerUsers` above). */
export const openToPowerUsers = { config: { powerUsers: true } } as const;

/**
 * The guard of every /api/v1/admin route: registered once on the plugin that holds them, so a
 * new admin route cannot forget it. It admits administrators, and power users to the routes that
 * declare `powerUsers` (a route must opt in, so a new route is closed to them by default); each
 * handler then asks `authorize()` about its own action and target. It runs at onRequest, before
 * the body is read and validated, so a caller without rights learns nothing about a route's
 * parameters or schema (a 422 or 404 before the 401/403 would) and costs no body parsing.
 */
export function registerAdminGuard(admin: FastifyInstance): void {
  admin.addHook('onRequest', async (req) => {
    const ctx = requireUser(req);
    // R-IMP-03, issue 10 #4: inside an impersonation `ctx.user` is the subject, so the console
    // opens with the subject's rights and reach (a power user's, a system administrator's) and
    // the actor's own are not there to use. Acting as someone without any is said as such.
    if (ctx.impersonationId !== null && !isAdministrator(ctx.user) && !isPowerUser(ctx.user)) {
      throw new AppError(
        'admin_unavailable_while_impersonating',
        'The user you act as has no administrator functions; your own are unavailable while acting.',
      );
    }
    if (isAdministrator(ctx.user)) return;
    if (isPowerUser(ctx.user)) {
      if (req.routeOptions.config.powerUsers === true) return;
      throw new AppError(
        'missing_permission',
        'Power users may only read and act on the users assigned to them.',
      );
    }
    throw new AppError('forbidden', 'This needs administrator rights.');
  });
}

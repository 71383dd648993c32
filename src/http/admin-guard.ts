import type { FastifyInstance } from 'fastify';
import { AppError } from '../shared/errors.ts';
import { consoleDenialMessages, mayAdministerAtAll } from '../permissions/console-entry.ts';
import { requireUser } from './context.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * The route serves power users too (R-IMP-02): its service asks `authorize()` with the
     * target's reach and so admits them to the users assigned to them only. Every other
     * admin route stays closed to them at the guard.
     */
    powerUsers?: boolean;
  }
}

/** Route options for an admin route that power users may call (see `powerUsers` above). */
export const openToPowerUsers = { config: { powerUsers: true } } as const;

/**
 * The guard of every /api/v1/admin route: registered once on the plugin that holds them, so a
 * new admin route cannot forget it. It asks `mayAdministerAtAll` (src/permissions/) whether the
 * caller may enter the console at all; the service each handler calls then asks `authorize()`
 * about its own action and target. It runs at onRequest, before
 * the body is read and validated, so a caller without rights learns nothing about a route's
 * parameters or schema (a 422 or 404 before the 401/403 would) and costs no body parsing.
 */
export function registerAdminGuard(admin: FastifyInstance): void {
  admin.addHook('onRequest', async (req) => {
    const ctx = requireUser(req);
    const denial = mayAdministerAtAll(ctx.user, {
      impersonating: ctx.impersonationId !== null,
      openToPowerUsers: req.routeOptions.config.powerUsers === true,
    });
    if (denial !== null) throw new AppError(denial, consoleDenialMessages[denial]);
  });
}

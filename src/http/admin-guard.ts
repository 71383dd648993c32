import type { FastifyInstance } from 'fastify';
import { AppError } from '../shared/errors.ts';
import { isAdministrator } from '../permissions/can.ts';
import { requireUser } from './context.ts';

/**
 * The guard of every /api/v1/admin route: registered once on the plugin that holds them, so a
 * new admin route cannot forget it. It admits administrators only; each handler then asks
 * `authorize()` about its own action and target. It runs at onRequest, before the body is read
 * and validated, so a caller without rights learns nothing about a route's parameters or schema
 * (a 422 or 404 before the 401/403 would) and costs no body parsing.
 */
export function registerAdminGuard(admin: FastifyInstance): void {
  admin.addHook('onRequest', async (req) => {
    const ctx = requireUser(req);
    if (ctx.impersonationId !== null) {
      throw new AppError(
        'admin_unavailable_while_impersonating',
        'Administrator functions are unavailable while acting as another user.',
      );
    }
    if (!isAdministrator(ctx.user)) {
      throw new AppError('forbidden', 'This needs administrator rights.');
    }
  });
}

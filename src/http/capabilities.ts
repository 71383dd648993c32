import type { FastifyInstance } from 'fastify';
import { AppError } from '../shared/errors.ts';
import { assertCapability, type CoreCapability } from '../permissions/capabilities.ts';
import { allowedWhileReadOnly } from '../impersonation/mode.ts';

// R-IMP-04: capabilities refused while acting as someone else. A route declares the one it
// exercises in one line — `config: { capability: 'password.change' }` — and this guard refuses
// it whenever the request's context lists it as blocked. Services that do several things can
// call assertCapability themselves. Names are typed against the core catalogue
// (permissions/capabilities.ts), so a misspelt declaration does not compile.

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The capability this route exercises (R-IMP-04; always blocked while acting). */
    capability?: CoreCapability;
    /** Issue 12 #2: a state-changing route a read-only impersonation may still use (back, logout). */
    readOnlySafe?: boolean;
  }
}

// The check itself lives in the permissions domain, where services call it.
export { assertCapability };

/** Runs at onRequest, after the request context is built and before the body is validated. */
export function registerCapabilityGuard(app: FastifyInstance): void {
  app.addHook('onRequest', async (req) => {
    // Issue 12 #2: a read-only impersonation changes nothing, whatever the route: one rule here
    // rather than a declaration on every state-changing route, so a new route cannot forget it.
    if (
      req.ctx?.impersonation?.mode === 'read-only' &&
      !allowedWhileReadOnly(req.method, req.routeOptions.config.readOnlySafe === true)
    ) {
      throw new AppError(
        'read_only_impersonation',
        'This impersonation only looks; go back to your account to change anything.',
      );
    }
    const capability = req.routeOptions.config.capability;
    if (capability !== undefined && req.ctx) assertCapability(req.ctx, capability);
  });
}

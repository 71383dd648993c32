import type { Tx } from '../db/database.ts';
import type { RequestContext } from './request-context.ts';

// Domain events between modules that must not import each other: e.g. deactivating a user
// (users/) ends their impersonations (impersonation/), revoking terms (terms/) does too.
// Handlers run inside the transaction of the change that caused them, so the consequence is
// committed with the cause or not at all.

export type Handler<T> = (trx: Tx, ctx: RequestContext, event: T) => Promise<void>;

export interface UserChangedEvent {
  userId: string;
  /** Field names of the user that changed (e.g. 'active', 'systemPermissions', 'role'). */
  fields: string[];
}

export interface DomainHooks {
  userChanged: Array<Handler<UserChangedEvent>>;
  userDeleted: Array<Handler<{ userId: string }>>;
  termsRevoked: Array<Handler<{ userId: string }>>;
  /** An administrator set the user's password: everything signed in as or by them ends. */
  credentialsReset: Array<Handler<{ userId: string }>>;
  /** A Behalf session ended by its user's logout: the apps signed in through it are told. */
  sessionLoggedOut: Array<Handler<{ sessionId: string }>>;
  /**
   * A request's session belongs to an impersonation past its end (found while resolving it,
   * outside any transaction): the impersonation is ended in its own (R-IMP-10).
   */
  impersonationExpired: Array<(impersonationId: string) => Promise<void>>;
}

export function createHooks(): DomainHooks {
  return {
    userChanged: [],
    userDeleted: [],
    termsRevoked: [],
    credentialsReset: [],
    sessionLoggedOut: [],
    impersonationExpired: [],
  };
}

export async function emit<T>(
  handlers: Array<Handler<T>>,
  trx: Tx,
  ctx: RequestContext,
  event: T,
): Promise<void> {
  for (const handler of handlers) await handler(trx, ctx, event);
}

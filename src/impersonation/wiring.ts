import type { NotificationsService } from '../notifications/notifications.service.ts';
import type { TermsService } from '../terms/terms.service.ts';
import { reachOf } from '../orgs/reach.store.ts';
import { findDomain } from '../orgs/domains.store.ts';
import type { Clock } from '../shared/clock.ts';
import { queueBackchannelLogout } from '../oidc/logout.store.ts';
import type { ImpersonationPorts } from './ports.ts';

/** Connects impersonation to the modules it depends on (see ports.ts). */
export function impersonationPorts(deps: {
  notifications: NotificationsService;
  terms: TermsService;
  clock: Clock;
}): ImpersonationPorts {
  return {
    logoutApps: async (trx, by, cause) => {
      await queueBackchannelLogout(trx, by, cause, deps.clock.now());
    },
    notify: async (trx, input) => {
      await deps.notifications.notify(trx, input);
    },
    termsPending: async (db, userId) => (await deps.terms.pendingFor(db, userId)).length > 0,
    acceptTermsOnBehalf: async (trx, ctx, subjectId, by) => {
      await deps.terms.acceptOnBehalf(trx, ctx, subjectId, by);
    },
    reachOf,
    findDomain: async (db, id) => {
      const d = await findDomain(db, id);
      return d && { id: d.id, name: d.name, hostName: d.hostName };
    },
  };
}

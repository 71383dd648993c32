import type Provider from 'oidc-provider';
import type { Database } from '../db/database.ts';
import type { Clock } from '../shared/clock.ts';
import type { LogoutSender } from './logout-worker.ts';
import { queueProviderLogout } from './logout.store.ts';

// Back-channel logout through oidc-provider's own means (issue 9): `client.backchannelLogout`
// builds the logout token (iss, aud, iat, exp, jti, events, sub, and sid as the app requires),
// signs it with the provider's keys and POSTs it. Behalf calls it from the delivery worker only,
// so that every logout token goes through the one reliable queue:
// - the ends Behalf knows of (an impersonation's, a Behalf session's logout) are queued in their
//   own transactions (logout.store.ts);
// - the provider's own RP-initiated logout calls `client.backchannelLogout` for the other apps
//   of its session in the request; that call is replaced here by queueing, so a receiver that
//   is down then gets the token later too, instead of never.

interface LogoutClient {
  clientId: string;
  backchannelLogoutUri?: string;
  backchannelLogout: (this: LogoutClient, sub: string, sid: string | undefined) => Promise<void>;
}

interface ClientModel {
  prototype: LogoutClient;
  find(id: string): Promise<LogoutClient | undefined>;
}

/** Routes the provider's back-channel logouts into the queue; returns what really sends. */
export function backchannelSender(
  provider: Provider,
  deps: { database: Database; clock: Clock },
): LogoutSender {
  const Client = (provider as unknown as { Client: ClientModel }).Client;
  const send = Client.prototype.backchannelLogout;
  Client.prototype.backchannelLogout = async function queue(this: LogoutClient, sub, sid) {
    await queueProviderLogout(
      deps.database.db,
      { clientId: this.clientId, sub, sid: sid ?? null },
      deps.clock.now(),
    );
  };
  return async ({ clientId, sub, sid }) => {
    const client = await Client.find(clientId);
    if (!client?.backchannelLogoutUri) return 'gone';
    await send.call(client, sub, sid ?? undefined);
    return 'sent';
  };
}

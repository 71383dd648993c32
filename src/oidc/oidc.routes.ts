import type { FastifyInstance } from 'fastify';
import type Provider from 'oidc-provider';
import type { Services } from '../services.ts';
import { AppError } from '../shared/errors.ts';
import { once, type Once } from '../shared/once.ts';
import { oidcMount } from './mount.ts';
import { checkSigningKeys, loadSigningKeys } from './keys.ts';
import { interactionRoutes } from './interaction.routes.ts';
import { backchannelSender } from './backchannel.ts';
import type { LogoutSender } from './logout-worker.ts';

// The OpenID Provider inside the Fastify server (issue 9). Everything under /oidc/ is handed,
// raw, to oidc-provider: it parses its own form bodies and has its own CSRF protections (state,
// PKCE, its signed cookies), so the route is marked `oidcProvider` and the JSON-only CSRF guard
// (src/http/csrf.ts) skips exactly the requests the router dispatched to it. The interaction
// (sign-in through Behalf's session) is a Fastify route of its own, more specific than /oidc/*
// (src/oidc/interaction.routes.ts).
//
// oidc-provider is loaded and the provider built at its first use (issue 13: the library is
// about 44 MB of a start's resident memory, and a start that serves no app never needs it):
// the first request under /oidc/, or the first back-channel logout due. What can fail in its
// configuration (the signing keys) is read and checked here at start, so a broken one still
// stops the start.

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Set only on the route that hands requests to oidc-provider. */
    oidcProvider?: boolean;
  }
}

export interface BuiltProvider {
  provider: Provider;
  callback: ReturnType<Provider['callback']>;
  sender: LogoutSender;
}

export async function registerOidc(app: FastifyInstance, services: Services): Promise<Once<BuiltProvider>> {
  const keys = await loadSigningKeys(services.database, services.clock.now());
  checkSigningKeys(keys);
  const oidc = once(async (): Promise<BuiltProvider> => {
    const { createProvider } = await import('./provider.ts');
    const provider = createProvider(services, (clientId) => services.apps.clientMetadata(clientId), keys);
    // The provider's own back-channel logouts are queued from its first request on.
    const sender = backchannelSender(provider, services);
    return { provider, callback: provider.callback(), sender };
  });
  services.oidcLogout.attach(async () => (await oidc()).sender);

  app.route({
    method: ['GET', 'POST', 'HEAD', 'OPTIONS'],
    url: `${oidcMount}/*`,
    schema: { hide: true },
    config: { oidcProvider: true },
    // Before the body parser: oidc-provider reads the request stream itself.
    onRequest: (req, reply, done) => {
      const raw = req.raw as typeof req.raw & { originalUrl?: string };
      const url = raw.url ?? '';
      // The router decodes the path (`/%6fidc/...` matches too); the provider needs the raw
      // prefix to strip, so anything else is not its request.
      if (!url.startsWith(`${oidcMount}/`)) {
        done(new AppError('not_found', 'Not found.'));
        return;
      }
      // A path of a more specific route (the interaction) with a method that route lacks
      // falls through to this one in the router; it gets that route's 405, not the provider.
      const allowed = app.routeIndex.allowed(url.split('?')[0]!);
      if (req.method !== 'HEAD' && !allowed.includes(req.method)) {
        void reply.header('allow', allowed.join(', '));
        done(new AppError('method_not_allowed', `${req.method} is not allowed here.`));
        return;
      }
      const handOver = ({ callback }: BuiltProvider) => {
        void reply.hijack();
        // oidc-provider derives its mount path from originalUrl minus url (as under Express).
        raw.originalUrl = url;
        raw.url = url.slice(oidcMount.length);
        callback(raw, reply.raw);
      };
      // Once built, handed over in the same turn; the first requests wait for the build.
      if (oidc.ready) handOver(oidc.ready);
      else oidc().then(handOver, (error: unknown) => done(error as Error));
    },
    handler: async () => undefined,
  });

  interactionRoutes(app, services, async () => (await oidc()).provider);
  return oidc;
}

import type { FastifyInstance } from 'fastify';
import { AppError } from '../shared/errors.ts';

// CSRF defence for cookie sessions: every state-changing request must name its Origin, and that
// origin must be one this server is configured to be reached at. Browsers always send Origin on
// POST/PUT/PATCH/DELETE and cannot forge it; bodies must be JSON, which a cross-site form cannot
// send (only the JSON parser is registered, others get 415).
//
// Two mistakes this guard must not make again (issue 7 #15):
// - Keying on the raw URL (`/api/` prefix): `/%61pi/v1/...` reaches the same route after the
//   router decodes it. So every request with a method other than GET/HEAD/OPTIONS is checked,
//   wherever it goes, before routing matters.
// - Comparing hosts, or trusting the Host header: `http://evil.test@host:port` parses to the
//   right host, `https://` is another origin than `http://`, and Host is whatever the client
//   says. The header must be exactly the serialised origin of PUBLIC_URL, or of a domain's host
//   name (R-IMP-02: an impersonation on a domain runs there) with PUBLIC_URL's scheme and port.

const safe = new Set(['GET', 'HEAD', 'OPTIONS']);

export interface CsrfOptions {
  publicUrl: string;
  /** Whether a domain is configured with this (lower-case ASCII) host name. */
  isDomainHost: (hostName: string) => Promise<boolean>;
}

/** Pure: the Origin header as a URL when it is a serialised origin, else null. */
export function parseOrigin(header: string): URL | null {
  let url: URL;
  try {
    url = new URL(header);
  } catch {
    return null;
  }
  // Only a header that is already a serialised origin counts: no user info, path, query,
  // upper case or trailing slash (the serialisation of a parsed URL is canonical).
  if (url.origin === 'null' || url.origin !== header) return null;
  return url;
}

export function registerCsrfGuard(app: FastifyInstance, options: CsrfOptions) {
  const publicUrl = new URL(options.publicUrl);
  const trusted = async (header: string): Promise<boolean> => {
    if (header === publicUrl.origin) return true;
    const origin = parseOrigin(header);
    if (!origin || origin.protocol !== publicUrl.protocol || origin.port !== publicUrl.port) return false;
    return options.isDomainHost(origin.hostname);
  };
  app.addHook('onRequest', async (req) => {
    if (safe.has(req.method)) return;
    // The OpenID Provider (src/oidc/oidc.routes.ts) takes form posts from apps' servers and
    // browsers by design and protects them itself (client authentication, PKCE, state, its
    // own cookies). Exempt by the route the router chose, never by the raw URL.
    if (req.routeOptions.config.oidcProvider === true) return;
    const origin = req.headers.origin;
    if (!origin) {
      throw new AppError('csrf_rejected', 'State-changing requests must carry an Origin header.');
    }
    if (!(await trusted(origin))) {
      throw new AppError('csrf_rejected', 'Requests from this origin are not accepted.');
    }
  });
}

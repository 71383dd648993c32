import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { SessionService } from '../sessions/sessions.service.ts';
import type { TermsService } from '../terms/terms.service.ts';
import type { RequestRecorder } from '../ops/metrics.ts';
import { sessionAnswer } from '../auth/session-answer.ts';
import { securityHeaders } from './security-headers.ts';
import { newRequestId } from './request-id.ts';

// GET /api/v1/session is what every page and every app asks on every request, so its warm case
// (a cached, valid, ordinary session, no policy to accept) is answered here, before Fastify:
// one cookie parse, one hash, one map lookup, one write. Measured with wrk, Fastify's request
// lifecycle (request and reply objects, ten hooks, the logger child, the router) cost about
// twice the route's own work (docs/benchmarks.md, issue 13).
//
// It decides nothing itself: SessionService.resolveWarm applies resolve's own rule
// (cachedSessionState) and answers only when resolve would have had nothing to read, write,
// end or rotate; the body is the route's own (sessionAnswer, whose keys follow the route's schema);
// the headers are the ones every answer carries (security headers, request id). Anything else
// — a query string, another method, an impersonation session, a rotation, a touch, a policy in
// force, a closing server, request logging switched on — goes to Fastify unchanged. A cold
// session (the first request after a start or a change) is read into the cache here, without
// side effects, and then answered here too; if it cannot be, Fastify takes the request.
// session-check-fast-path.test.ts proves both paths give the same answer.

export interface FastPathDeps {
  sessions: SessionService;
  terms: TermsService;
  cookieName: string;
  parseCookie: (header: string) => Record<string, string | undefined>;
  recordRequest: RequestRecorder;
  /** False while the server closes: Fastify then answers 503 as it does for every route. */
  open: () => boolean;
}

const path = '/api/v1/session';

/**
 * Offers a request to the fast path: true when it answers it (now, or after reading a cold
 * session into the cache); false when `next` (Fastify) should take it now. A cold session is
 * read once, without side effects (SessionService.warmUp); if it is then not warm, `next` takes
 * the request as if the fast path had never seen it.
 */
export type FastPath = (req: IncomingMessage, res: ServerResponse, next: () => void) => boolean;

export function sessionCheckFastPath(deps: FastPathDeps): FastPath {
  const recordRequest = deps.recordRequest('GET', path, 200);
  // One header list for every answer: writeHead copies it at once, so two slots change per answer.
  const headers = [
    ...securityHeaders.flat(),
    'x-request-id',
    '',
    'content-type',
    'application/json; charset=utf-8',
    'content-length',
    '',
  ];
  const idSlot = headers.indexOf('x-request-id') + 1;
  const lengthSlot = headers.length - 1;

  const answer = (res: ServerResponse, tokenHash: string, started: number): boolean => {
    // Checked again after a cold read: a policy may have come into force meanwhile.
    if (!deps.open() || !deps.terms.knownNoneInForce()) return false;
    const session = deps.sessions.resolveWarm(tokenHash);
    if (!session) return false;
    // sessionAnswer builds its keys in the schema's order, so this is the route's serializer's
    // output without its per-answer zod parse (the tests compare the bytes).
    const body = JSON.stringify(
      sessionAnswer({ user: session.principal, impersonation: null, blockedCapabilities: [] }, [], null),
    );
    headers[idSlot] = newRequestId();
    headers[lengthSlot] = String(Buffer.byteLength(body));
    res.writeHead(200, headers);
    res.end(body);
    recordRequest((performance.now() - started) / 1000);
    return true;
  };

  /**
   * Outside Fastify nothing catches for us, and a throw from a request listener would end the
   * process: whatever goes wrong before the answer is written goes to Fastify instead, which
   * answers it (and logs it) as always.
   */
  const orToFastify = (res: ServerResponse, step: () => boolean, next: () => void): boolean => {
    try {
      return step();
    } catch (error) {
      if (res.headersSent) res.destroy(error as Error);
      else next();
      return true;
    }
  };

  return (req, res, next) => {
    if (req.method !== 'GET' || req.url !== path || !deps.open()) return false;
    const cookieHeader = req.headers.cookie;
    if (cookieHeader === undefined || !deps.terms.knownNoneInForce()) return false;
    return orToFastify(
      res,
      () => {
        const started = performance.now();
        // Hashed once here; the cold path's lookups and its second look all take the hash.
        const tokenHash = deps.sessions.tokenHashOf(deps.parseCookie(cookieHeader)[deps.cookieName]);
        if (tokenHash === null) return false;
        if (answer(res, tokenHash, started)) return true;
        if (!deps.sessions.mayWarmUp(tokenHash)) return false;
        deps.sessions.warmUp(tokenHash).then(
          () => orToFastify(res, () => answer(res, tokenHash, started) || (next(), true), next),
          () => next(),
        );
        return true;
      },
      next,
    );
  };
}

import type { FastifyInstance } from 'fastify';

// The security headers every answer carries: exactly the set @fastify/helmet sent here with
// `contentSecurityPolicy: false` (the web pages set their own CSP with a nonce, src/http/web.ts).
// They never vary per request, so they are one precomputed list written straight onto the raw
// response, instead of helmet's chain of eleven middleware closures on every request, which
// profiling showed as about 7% of the warm session check's CPU (docs/benchmarks.md).
// security-headers.test.ts proves the set equals helmet's for API, HTML and error answers.

export const securityHeaders: ReadonlyArray<readonly [string, string]> = [
  ['Cross-Origin-Opener-Policy', 'same-origin'],
  ['Cross-Origin-Resource-Policy', 'same-origin'],
  ['Origin-Agent-Cluster', '?1'],
  ['Referrer-Policy', 'no-referrer'],
  ['Strict-Transport-Security', 'max-age=31536000; includeSubDomains'],
  ['X-Content-Type-Options', 'nosniff'],
  ['X-DNS-Prefetch-Control', 'off'],
  ['X-Download-Options', 'noopen'],
  ['X-Frame-Options', 'SAMEORIGIN'],
  ['X-Permitted-Cross-Domain-Policies', 'none'],
  ['X-XSS-Protection', '0'],
];

/**
 * Sets the headers in an onRequest hook, where helmet set them, so that every answer (routes,
 * 404s, errors, static files) carries them as before. A callback hook: no promise per request.
 */
export function registerSecurityHeaders(app: FastifyInstance): void {
  app.addHook('onRequest', (_req, reply, done) => {
    const res = reply.raw;
    for (const [name, value] of securityHeaders) res.setHeader(name, value);
    done();
  });
}

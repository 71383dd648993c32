import type { FastifyRequest } from 'fastify';

// What request logs may show. Logs travel further than the database (files, collectors, support
// tickets), so nothing that works as a credential may enter them: no cookies or authorization
// headers, and no query-string values, since some URLs carry one-time secrets — the
// impersonation handoff link (`?token=`), the e-mail verification link (`?verifyEmail=&code=`).
// Rather than list today's secret parameters and miss tomorrow's, every value is replaced;
// parameter names stay, so a log still tells which link was opened. Bodies are never logged
// (Fastify does not, and nothing here does). No route puts a secret in a path segment.

const redacted = '[redacted]';
/** A name that looks like a parameter name is kept; anything else could be a secret itself. */
const plainName = /^[A-Za-z][A-Za-z0-9_.[\]-]{0,39}$/;

/** Pure: the URL with every query value (and any odd parameter name) replaced. */
export function redactUrl(url: string): string {
  const q = url.indexOf('?');
  if (q === -1) return url;
  const params = url
    .slice(q + 1)
    .split('&')
    .filter((pair) => pair !== '')
    .map((pair) => {
      const eq = pair.indexOf('=');
      const name = eq === -1 ? pair : pair.slice(0, eq);
      return plainName.test(name) ? `${name}=${redacted}` : redacted;
    });
  return `${url.slice(0, q)}?${params.join('&')}`;
}

/** Fastify's request serializer, with the URL redacted. */
function requestSerializer(req: FastifyRequest) {
  return {
    method: req.method,
    url: redactUrl(req.url),
    host: req.host,
    remoteAddress: req.ip,
    remotePort: req.socket?.remotePort,
  };
}

/** Pino options for the HTTP logger: level, redaction, and an optional destination (tests). */
export function requestLoggerOptions(level: string, stream?: NodeJS.WritableStream) {
  return {
    level,
    // Never log credentials: cookies and authorization headers carry sessions.
    redact: ['req.headers.cookie', 'req.headers.authorization', 'res.headers["set-cookie"]'],
    serializers: { req: requestSerializer },
    ...(stream ? { stream } : {}),
  };
}

/** Whether Fastify logs every request at this level (its "incoming request" lines are info). */
export function logsEveryRequest(level: string | null): boolean {
  return level === 'info' || level === 'debug' || level === 'trace';
}

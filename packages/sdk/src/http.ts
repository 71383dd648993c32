import type { IncomingMessage, ServerResponse } from 'node:http';
import { BehalfTokenError } from './errors.ts';
import { isBlocked, type Principal } from './principal.ts';

// The SDK's HTTP edge for node:http and Express-style apps: problem documents (RFC 9457) with
// the same `type` and `code` Behalf's own API answers, so a client handles both alike.

declare module 'node:http' {
  interface IncomingMessage {
    /** The verified principal, set by `middleware()` (or by the app from its own session). */
    behalf?: Principal;
  }
}

export type Next = (error?: unknown) => void;
export type Handler = (req: IncomingMessage, res: ServerResponse, next: Next) => void;

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
  contentType = 'application/problem+json',
): void {
  res.statusCode = status;
  res.setHeader('content-type', contentType);
  res.setHeader('cache-control', 'no-store');
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  res.end(JSON.stringify(body));
}

/** Pure: the problem document for a refused or missing token. */
export function tokenProblem(error: BehalfTokenError): { status: number; body: Record<string, unknown> } {
  if (error.code === 'unavailable') {
    return {
      status: 503,
      body: {
        type: '/docs/errors#service_unavailable',
        title: 'Service Unavailable',
        status: 503,
        code: 'service_unavailable',
        detail: 'The sign-in service could not be reached to check the token. Try again shortly.',
      },
    };
  }
  return {
    status: 401,
    body: {
      type: '/docs/errors#not_authenticated',
      title: 'Unauthorized',
      status: 401,
      code: 'not_authenticated',
      detail: error.message,
      reason: error.code,
    },
  };
}

/** Answers a token error: 401 with RFC 6750's WWW-Authenticate, or 503 when Behalf is unreachable. */
export function refuseToken(res: ServerResponse, error: BehalfTokenError): void {
  const { status, body } = tokenProblem(error);
  const headers: Record<string, string> = {};
  if (status === 401) {
    headers['www-authenticate'] =
      error.code === 'missing_token'
        ? 'Bearer realm="behalf"'
        : `Bearer realm="behalf", error="invalid_token", error_description="${error.message.replaceAll('"', "'")}"`;
  } else headers['retry-after'] = '5';
  sendJson(res, status, body, headers);
}

/** Pure: the bearer token of an Authorization header, if there is exactly one. */
export function bearerToken(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization;
  const match = header ? /^Bearer[ ]+([A-Za-z0-9\-._~+/]+=*)$/i.exec(header.trim()) : null;
  return match?.[1];
}

/** Pure: the problem document of a capability refused while acting (R-IMP-04). */
export function blockedProblem(capability: string): Record<string, unknown> {
  return {
    type: '/docs/errors#blocked_during_impersonation',
    title: 'Forbidden',
    status: 403,
    code: 'blocked_during_impersonation',
    detail: `This is not available while acting as another user (${capability}).`,
    capability,
  };
}

/**
 * A guard for one route: 403 `blocked_during_impersonation` while `req.behalf` is an impersonation
 * that blocks `capability`; 401 when there is no principal at all (fail closed: a route that
 * forgot the middleware refuses instead of letting an actor through).
 */
export function requireCapability(capability: string): Handler {
  return (req, res, next) => {
    const principal = req.behalf;
    if (!principal) {
      refuseToken(res, new BehalfTokenError('missing_token', 'Sign in first.'));
      return;
    }
    if (isBlocked(principal, capability)) {
      sendJson(res, 403, blockedProblem(capability));
      return;
    }
    next();
  };
}

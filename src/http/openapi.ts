import type { FastifyInstance } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';
import { problemSchema } from './zod-app.ts';

// OpenAPI 3.1, generated from the same zod schemas that validate requests, so the document
// cannot drift from what the server does. Served at /api/v1/openapi.json; browsable at /api/docs.
//
// Error answers: every one is an RFC 9457 problem document sent as application/problem+json
// (src/http/problem.ts), so that is the media type documented for every status >= 400. Besides
// the statuses a route declares for its own reasons (409, 412, 429...), the edge adds some to
// every route of a given shape (the CSRF guard, the body parser, the admin guard...); those are
// derived here from the route itself, so that a new route cannot forget them.

/** What the derivation looks at: the route's method, URL, declared schemas and config. */
export interface RouteShape {
  method: string;
  url: string;
  hasBody: boolean;
  hasQuery: boolean;
  capability: string | undefined;
  /** The route has its own @fastify/rate-limit settings (`config.rateLimit`). */
  rateLimited: boolean;
}

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Pure: the error statuses the HTTP edge can answer for every route of this shape. */
export function edgeProblemStatuses(route: RouteShape): number[] {
  // Any route: a query string that is not percent-encoded UTF-8 is refused before the route
  // runs, whether it declares a query or not (400 `invalid_encoding`, src/http/utf8.ts); so is
  // an unreadable body (the JSON parser) and broken escapes in a path parameter.
  const statuses = new Set<number>([400]);
  if (!safeMethods.has(route.method)) {
    // csrf_rejected; a body too large; a body not JSON.
    for (const s of [403, 413, 415]) statuses.add(s);
  }
  if (route.url.includes('/:')) {
    // A path parameter: an id of the wrong form or naming nothing (404), text no database
    // stores (422, the text guard).
    for (const s of [404, 422]) statuses.add(s);
  }
  if (route.hasBody || route.hasQuery) statuses.add(422);
  const admin = route.url.startsWith('/api/v1/admin/');
  if (admin || route.url.startsWith('/api/v1/account/')) statuses.add(401);
  if (admin || route.capability !== undefined) statuses.add(403);
  if (route.rateLimited) statuses.add(429);
  return [...statuses].sort((a, b) => a - b);
}

const problemDescriptions: Record<number, string> = {
  400: 'Bad Request: the request could not be read',
  401: 'Unauthorized: no valid session, or the credentials are wrong',
  403: 'Forbidden: refused (CSRF, missing rights, blocked while acting as someone)',
  404: 'Not Found',
  409: 'Conflict with the current state',
  410: 'Gone',
  412: 'Precondition Failed: If-Match names another version',
  413: 'Content Too Large',
  415: 'Unsupported Media Type: send application/json',
  422: 'Unprocessable Content: the values are not valid',
  428: 'Precondition Required',
  429: 'Too Many Requests: try again after Retry-After seconds',
  503: 'Service Unavailable',
};

function problemResponse(status: number) {
  const text = problemDescriptions[status] ?? 'Error';
  return {
    description: `${text}. A problem document; its \`code\` says why (docs/errors.md).`,
    content: { 'application/problem+json': { schema: problemSchema } },
  };
}

type TransformInput = Parameters<typeof jsonSchemaTransform>[0];

/**
 * Before zod's transform: every error answer the route declares, plus those the edge adds,
 * becomes a problem+json response. Builds new objects: the route's own schema, which Fastify
 * compiled its serializers from, stays as it is.
 */
function withProblems(input: TransformInput): ReturnType<typeof jsonSchemaTransform> {
  const schema = input.schema as Record<string, unknown> | undefined;
  if (!schema || schema.hide) return jsonSchemaTransform(input);
  const route = input.route as {
    method: string | string[];
    config?: { capability?: string; rateLimit?: unknown };
  };
  const declared = (schema.response ?? {}) as Record<string, unknown>;
  const method = [route.method].flat()[0]!.toUpperCase();
  const derived = edgeProblemStatuses({
    method,
    url: input.url,
    hasBody: schema.body !== undefined,
    hasQuery: schema.querystring !== undefined,
    capability: route.config?.capability,
    rateLimited: route.config?.rateLimit !== undefined,
  });
  const response: Record<string, unknown> = {};
  for (const [status, value] of Object.entries(declared)) {
    response[status] = Number(status) >= 400 ? problemResponse(Number(status)) : value;
  }
  for (const status of derived) response[status] = problemResponse(status);
  return jsonSchemaTransform({ ...input, schema: { ...schema, response } });
}

export async function registerOpenApi(app: FastifyInstance): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Behalf API',
        version: '1',
        description:
          'User administration and safe impersonation. Errors are RFC 9457 problem documents ' +
          '(`application/problem+json`) with a stable `code` (see docs/errors.md). Sessions are cookies; ' +
          'state-changing requests need an `Origin` header of this server and JSON bodies. Any path answers 404 ' +
          '`not_found` when nothing is there and 405 `method_not_allowed` (with `Allow`) for a wrong method.',
      },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'behalf_session' },
        },
      },
      security: [{ session: [] }],
    },
    transform: withProblems,
    transformObject: jsonSchemaTransformObject,
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs' });
  app.get('/api/v1/openapi.json', { schema: { hide: true } }, () => app.swagger());
}

// Helpers for tests that enumerate the server's routes at run time (app.routeIndex.list()).
import type { RouteEntry } from '../src/http/route-index.ts';

/** Syntactically valid (a version 7 UUID, like the ids the server makes) but naming nothing. */
export const unknownId = '019a1b2c-3d4e-7f60-8a7b-9c0d1e2f3a4b';

/** A request path for a route template: every `:param` becomes `id`, a trailing `*` a segment. */
export function concretePath(url: string, id: string = unknownId): string {
  return url.replace(/:[A-Za-z0-9_]+/g, id).replace(/\*$/, 'x');
}

/** `/a/:id/b` -> `/a/{id}/b`, the OpenAPI spelling of a path. */
export function openApiPath(url: string): string {
  return url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}

/** The routes under a prefix, HEAD routes (Fastify adds one per GET) left out unless asked. */
export function routesUnder(all: RouteEntry[], prefix: string, withHead = false): RouteEntry[] {
  return all.filter(
    (r) => (r.url === prefix || r.url.startsWith(`${prefix}/`)) && (withHead || r.method !== 'HEAD'),
  );
}

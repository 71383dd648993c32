import type { FastifyInstance } from 'fastify';
import { AppError } from '../shared/errors.ts';

// No engine stores a NUL character in text (PostgreSQL refuses it outright) and no encoding
// keeps a lone UTF-16 surrogate as sent. Refusing both once, for every route's query, path and
// JSON body, means no client input can turn into a database error (a 500) or into silently
// altered data, whatever the route's own schema allows.

// eslint-disable-next-line no-control-regex -- matching NUL is the point
const unstorable = /[\u0000\p{Cs}]/u;

/**
 * Pure: the dotted path of the first string (or key) that cannot be stored, or null. Walks with
 * an explicit stack, not recursion, so that no nesting depth can overflow the call stack.
 */
export function findUnstorableText(value: unknown): string | null {
  const stack: Array<{ value: unknown; path: string }> = [{ value, path: '' }];
  while (stack.length > 0) {
    const { value: v, path } = stack.pop()!;
    if (typeof v === 'string') {
      if (unstorable.test(v)) return path || '(value)';
      continue;
    }
    if (typeof v !== 'object' || v === null) continue;
    const entries: Array<readonly [string, unknown]> = Array.isArray(v)
      ? (v as unknown[]).map((item, i) => [String(i), item] as const)
      : Object.entries(v as Record<string, unknown>);
    // Children are pushed in reverse, so that they are visited in document order and the
    // field named is the first bad one sent. A bad key stands in for its value: it is the key
    // string that gets tested (and named), in the same order.
    const children = entries.map(([key, child]) => {
      const here = path ? `${path}.${key}` : key;
      return { value: !Array.isArray(v) && unstorable.test(key) ? key : child, path: here };
    });
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]!);
  }
  return null;
}

export function registerTextGuard(app: FastifyInstance): void {
  app.addHook('preValidation', async (req) => {
    // Only the parts a route declares a schema for reach it (the rest is never read), so only
    // those are checked: an unknown path stays 404, and a query parameter no route reads
    // cannot turn an answer into 422 (the OpenAPI document derives 422 from the same rule).
    const schema = req.routeOptions.schema ?? {};
    const parts = [
      schema.params ? req.params : undefined,
      schema.querystring ? req.query : undefined,
      schema.body ? req.body : undefined,
    ];
    for (const part of parts) {
      const field = findUnstorableText(part);
      if (field !== null) {
        throw new AppError(
          'validation_failed',
          `${field}: must not contain NUL or broken (unpaired) characters`,
          {
            fieldErrors: [
              { field, message: 'must not contain NUL or broken (unpaired) characters', kind: 'broken_text' },
            ],
          },
        );
      }
    }
  });
}

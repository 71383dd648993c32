import type { FastifyInstance } from 'fastify';
import { AppError } from '../shared/errors.ts';

// No engine stores a NUL character in text (PostgreSQL refuses it outright) and no encoding
// keeps a lone UTF-16 surrogate as sent. Refusing both once, for every route's query, path and
// JSON body, means no client input can turn into a database error (a 500) or into silently
// altered data, whatever the route's own schema allows.

// eslint-disable-next-line no-control-regex -- matching NUL is the point
const unstorable = /[\u0000\p{Cs}]/u;

/** Pure: the dotted path of the first string (or key) that cannot be stored, or null. */
export function findUnstorableText(value: unknown, path = ''): string | null {
  if (typeof value === 'string') return unstorable.test(value) ? path || '(value)' : null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findUnstorableText(value[i], path ? `${path}.${i}` : String(i));
      if (found) return found;
    }
    return null;
  }
  if (typeof value === 'object' && value !== null) {
    for (const [key, v] of Object.entries(value)) {
      const here = path ? `${path}.${key}` : key;
      if (unstorable.test(key)) return here;
      const found = findUnstorableText(v, here);
      if (found) return found;
    }
  }
  return null;
}

export function registerTextGuard(app: FastifyInstance): void {
  app.addHook('preValidation', async (req) => {
    for (const part of [req.params, req.query, req.body]) {
      const field = findUnstorableText(part);
      if (field !== null) {
        throw new AppError(
          'validation_failed',
          `${field}: must not contain NUL or broken (unpaired) characters`,
          {
            fieldErrors: [{ field, message: 'must not contain NUL or broken (unpaired) characters' }],
          },
        );
      }
    }
  });
}

import { isUtf8 } from 'node:buffer';
import type { FastifyInstance } from 'fastify';
import { AppError } from '../shared/errors.ts';

// JSON travels as UTF-8 (RFC 8259 section 8.1). Fastify's own parser decodes the body as a
// string, which silently replaces every invalid byte sequence with U+FFFD: a name sent in
// Latin-1 would be stored altered, and two different byte strings would become the same text.
// So the body is read as bytes (by the JSON parser of src/http/json-body.ts), refused with 400 `invalid_encoding` unless it is valid UTF-8, and
// only then parsed by Fastify's default JSON parser (which keeps its prototype-poisoning
// protection). Nothing has run yet when this refuses, so nothing is stored (issue 7 #19).
// The query string gets the same rule: its parser keeps a malformed escape such as "%FC" as
// the literal text "%FC", so "M%FCller" (Latin-1) would be searched for, or compared, as
// something the client did not mean. Path parameters are refused by the router already.

/** Pure: the body as text, or an `invalid_encoding` error when its bytes are not valid UTF-8. */
export function decodeUtf8Body(body: Buffer): string {
  if (!isUtf8(body)) {
    throw new AppError(
      'invalid_encoding',
      'The request body is not valid UTF-8; send JSON encoded as UTF-8.',
    );
  }
  return body.toString('utf8');
}

/**
 * Pure: whether the URL's query string holds an escape that is not percent-encoded UTF-8
 * ("%FC", "%C3%28", "%ZZ"). `+` is a space and needs no check.
 */
export function hasBadQueryEncoding(url: string): boolean {
  const start = url.indexOf('?');
  if (start < 0 || !url.includes('%', start)) return false;
  for (const part of url.slice(start + 1).split(/[&=]/)) {
    if (!part.includes('%')) continue;
    try {
      decodeURIComponent(part);
    } catch {
      return true;
    }
  }
  return false;
}

/** Refuses query strings that are not percent-encoded UTF-8, before any route runs. */
export function registerStrictUtf8Query(app: FastifyInstance): void {
  app.addHook('onRequest', async (req) => {
    if (hasBadQueryEncoding(req.url)) {
      throw new AppError('invalid_encoding', 'The query string is not percent-encoded UTF-8.');
    }
  });
}

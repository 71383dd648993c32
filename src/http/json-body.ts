import type { FastifyInstance } from 'fastify';
import { AppError } from '../shared/errors.ts';
import { decodeUtf8Body } from './utf8.ts';

// JSON bodies, read by Fastify's own parser (which refuses `__proto__` and `constructor`
// poisoning) after one check of our own: nesting depth. A body of a few thousand `[` is well
// under the size limit, but everything that walks a parsed value recursively (the text guard,
// zod, the serialisers, a log call) would overflow the stack on it and answer 500 (issue 7 #16).
// So the depth is measured on the raw text, in one iterative pass, before anything parses it.
// Before that, the bytes must be valid UTF-8 (src/http/utf8.ts): decoding them as a string would
// silently replace invalid sequences with U+FFFD (issue 7 #19).

/** No request of this API nests deeper; settings, the deepest body, need 3 levels. */
export const maxJsonDepth = 32;

/** Pure: whether the JSON text nests arrays and objects deeper than `max` (strings skipped). */
export function exceedsJsonDepth(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c /* \ */) i++;
      else if (c === 0x22 /* " */) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x5b /* [ */ || c === 0x7b /* { */) {
      if (++depth > max) return true;
    } else if (c === 0x5d /* ] */ || c === 0x7d /* } */) {
      depth--;
    }
  }
  return false;
}

export function registerJsonBody(app: FastifyInstance): void {
  // The defaults Fastify would use: poisoned keys are an error (400), not silently dropped.
  const parse = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (req, body, done) => {
    let text: string;
    try {
      text = decodeUtf8Body(body as Buffer);
    } catch (error) {
      done(error as Error, undefined);
      return;
    }
    if (exceedsJsonDepth(text, maxJsonDepth)) {
      done(
        new AppError('json_too_deep', `The JSON body nests deeper than ${maxJsonDepth} levels.`),
        undefined,
      );
      return;
    }
    void parse(req, text, done);
  });
}

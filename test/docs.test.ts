// The reference documents stay in step with the code they describe.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { generalPermissions, systemPermissions } from '../src/permissions/catalogue.ts';

const read = (path: string) => readFileSync(new URL(`../${path}`, import.meta.url), 'utf8');

/** The first cells of the rows of the markdown tables in a document, without backticks. */
function tableKeys(markdown: string): Set<string> {
  const keys = new Set<string>();
  for (const m of markdown.matchAll(/^\|\s*`([^`]+)`\s*\|/gm)) keys.add(m[1]!);
  return keys;
}

describe('reference documents', () => {
  it('R-ADM-07: docs/permissions.md explains every permission of the catalogue, and no other', () => {
    const documented = tableKeys(read('docs/permissions.md'));
    const catalogue = [...systemPermissions, ...generalPermissions];
    for (const p of catalogue) assert.ok(documented.has(p), `${p} is documented`);
    for (const key of documented) {
      if (key.includes('.') || key === 'support' || key === 'help') {
        assert.ok((catalogue as string[]).includes(key), `${key} in docs/permissions.md is in the catalogue`);
      }
    }
  });

  it('R-OPS-01: docs/operations.md documents every environment variable the server reads', () => {
    const source = read('src/config.ts');
    const start = source.indexOf('const env = z.object({');
    const body = source.slice(start, source.indexOf('\n});', start));
    const variables = [...body.matchAll(/^ {2}([A-Z][A-Z0-9_]+):/gm)].map((m) => m[1]!);
    assert.ok(variables.length >= 10, `found ${variables.join(', ')}`);
    const documented = tableKeys(read('docs/operations.md'));
    for (const v of variables) assert.ok(documented.has(v), `${v} is documented in docs/operations.md`);
  });
});

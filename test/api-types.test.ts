// Issue 10 #18: the web app's API types are generated from the server's OpenAPI document. A route
// schema changed without `npm run api:types` leaves web/src/api/schema.d.ts stale: this fails then.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { openApiDocument, schemaFile, schemaSource } from '../scripts/api-types.ts';

describe('generated web API types (issue 10 #18)', () => {
  it('R-OPS-02: web/src/api/schema.d.ts is what `npm run api:types` writes from the current document', async () => {
    const fresh = await schemaSource(await openApiDocument());
    const committed = readFileSync(schemaFile, 'utf8');
    assert.ok(fresh.includes("'/api/v1/session'"), 'the generated types cover the API');
    assert.ok(committed === fresh, 'web/src/api/schema.d.ts is stale: run `npm run api:types` and commit it');
  });
});

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { adminEmail, adminPassword, startServer, type TestServer } from '../../test/harness.ts';
import { exceedsJsonDepth, maxJsonDepth } from './json-body.ts';
import { findUnstorableText } from './text-guard.ts';

const arrays = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);
const objects = (depth: number) => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);

describe('JSON nesting depth (R-OPS-03)', () => {
  let s: TestServer;
  before(async () => {
    s = await startServer();
  });
  after(() => s.close());

  it('issue 7 #16: depth is measured on the raw text; brackets inside strings do not count', () => {
    const table: Array<[string, number, boolean]> = [
      ['{}', 1, false],
      ['[[1]]', 1, true],
      ['{"a":{"b":[]}}', 3, false],
      ['{"a":{"b":[]}}', 2, true],
      ['["[[[[", "{{{{"]', 1, false],
      ['["\\"[[[", "\\\\"]', 1, false],
      ['["\\\\", [[]]]', 2, true],
      [arrays(maxJsonDepth), maxJsonDepth, false],
      [arrays(maxJsonDepth + 1), maxJsonDepth, true],
      [arrays(100_000), maxJsonDepth, true],
    ];
    for (const [text, max, expected] of table) {
      assert.equal(exceedsJsonDepth(text, max), expected, `${text.slice(0, 30)} at ${max}`);
    }
  });

  it('issue 7 #16: the text guard walks any depth without recursion', () => {
    let deep: unknown = 'bottom\u0000';
    for (let i = 0; i < 100_000; i++) deep = { a: deep };
    assert.equal(findUnstorableText(deep)?.split('.').length, 100_000);
    let fine: unknown = 'ok';
    for (let i = 0; i < 100_000; i++) fine = [fine];
    assert.equal(findUnstorableText(fine), null);
  });

  it('issue 7 #16: 5,000 levels on /auth/login without a session are 400 json_too_deep, and the server keeps serving', async () => {
    const anonymous = s.client();
    for (const body of [arrays(5000), objects(5000), `{"login":${arrays(5000)},"password":"x"}`]) {
      const res = await anonymous.post('/api/v1/auth/login', body);
      assert.equal(res.status, 400, JSON.stringify(res.body));
      assert.match(res.headers.get('content-type') ?? '', /^application\/problem\+json/);
      assert.equal(res.body.code, 'json_too_deep');
    }
    const admin = await s.admin.patch('/api/v1/admin/settings', `{"lockout":${objects(5000)}}`);
    assert.equal(admin.body.code, 'json_too_deep');
    // At the limit the body is read, and the route's own validation answers.
    const atLimit = await anonymous.post('/api/v1/auth/login', arrays(maxJsonDepth));
    assert.equal(atLimit.body.code, 'validation_failed');
    assert.equal((await s.client().get('/readyz')).status, 200);
    assert.equal((await s.client().login(adminEmail, adminPassword)).status, 200);
  });
});

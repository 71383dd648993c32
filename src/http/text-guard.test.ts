import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { adminEmail, startServer, type TestServer } from '../../test/harness.ts';
import { findUnstorableText } from './text-guard.ts';

describe('R-OPS-03: text no database can store is refused, never a 500', () => {
  let s: TestServer;
  before(async () => {
    s = await startServer();
  });
  after(() => s.close());

  it('R-OPS-03: finds NUL and lone surrogates in strings, keys and nested values', () => {
    assert.equal(findUnstorableText({ a: 'ok', b: ['x', 'y\u0000'] }), 'b.1');
    assert.equal(findUnstorableText({ ['k\u0000']: 1 }), 'k\u0000');
    assert.equal(findUnstorableText({ a: '\ud800' }), 'a');
    assert.equal(
      findUnstorableText({ a: 'emoji 😀 and ü\n\ttabs' }),
      null,
      'pairs, umlauts and newlines are fine',
    );
  });

  it('R-OPS-03: login, audit filters and user search with NUL answer 422 naming the field', async () => {
    const login = await s
      .client()
      .post('/api/v1/auth/login', { login: `${adminEmail}\u0000`, password: 'x' });
    assert.equal(login.status, 422);
    assert.equal(login.body.errors[0].field, 'login');
    const audit = await s.admin.get('/api/v1/admin/audit-events?action=%00');
    assert.equal(audit.status, 422);
    const search = await s.admin.get('/api/v1/admin/users?q=a%00b');
    assert.equal(search.status, 422);
    assert.equal(search.body.errors[0].field, 'q');
  });
});

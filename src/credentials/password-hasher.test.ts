import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { adminEmail, adminPassword, startServer, type TestServer } from '../../test/harness.ts';

describe('the password hash queue', () => {
  let s: TestServer;
  before(async () => {
    // One hash at a time and nobody waiting: the second of two simultaneous logins is refused.
    s = await startServer({ HASH_CONCURRENCY: '1', HASH_QUEUE_LIMIT: '0' });
  });
  after(() => s.close());

  it('R-ADM-14: logins beyond the hash queue get 429 with Retry-After at once, and the rest still work', async () => {
    const answers = await Promise.all(
      Array.from({ length: 6 }, () => s.client().login(adminEmail, adminPassword)),
    );
    const statuses = answers.map((a) => a.status);
    assert.ok(statuses.includes(200), `some logins went through: ${statuses.join(',')}`);
    const refused = answers.filter((a) => a.status === 429);
    assert.ok(refused.length > 0, `some were refused: ${statuses.join(',')}`);
    for (const r of refused) {
      assert.equal(r.body.code, 'too_many_requests');
      assert.equal(r.headers.get('retry-after'), '1');
    }
    assert.equal((await s.client().login(adminEmail, adminPassword)).status, 200, 'once the flood is over');
  });

  it('R-ADM-14, issue 7 #10: logins the full queue refused are no guesses: they never lock the account', async () => {
    // Far more refusals than the lockout threshold (5), all with the right password.
    const answers = await Promise.all(
      Array.from({ length: 30 }, () => s.client().login(adminEmail, adminPassword)),
    );
    const statuses = answers.map((a) => a.status);
    assert.ok(statuses.filter((x) => x === 429).length > 5, `mostly refused: ${statuses.join(',')}`);
    assert.deepEqual(
      statuses.filter((x) => x !== 429 && x !== 200),
      [],
      'a right password is never answered as wrong',
    );
    assert.equal((await s.client().login(adminEmail, adminPassword)).status, 200, 'not locked');
  });
});

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { startServer, strongPassword, type TestServer } from '../../test/harness.ts';
import { actAs } from '../../test/impersonation-helpers.ts';
import { redactUrl } from './logging.ts';

/** Whether `secret` appears in `text` as a token of its own (not inside a longer id or number). */
function contains(text: string, secret: string): boolean {
  return new RegExp(
    `(?<![0-9A-Za-z.-])${secret.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&')}(?![0-9A-Za-z])`,
  ).test(text);
}

describe('request logs carry no secrets', () => {
  let s: TestServer;
  let log = '';
  before(async () => {
    const stream = new PassThrough();
    stream.on('data', (chunk: Buffer) => (log += chunk.toString()));
    s = await startServer({}, { logStream: stream });
  });
  after(() => s.close());

  it('issue 7 #18: every query value is redacted; paths and parameter names stay', () => {
    const table: Array<[string, string]> = [
      ['/api/v1/session', '/api/v1/session'],
      ['/api/v1/impersonation/handoff?token=abc', '/api/v1/impersonation/handoff?token=[redacted]'],
      ['/profile?verifyEmail=id-1&code=123456', '/profile?verifyEmail=[redacted]&code=[redacted]'],
      ['/x?a&&b=', '/x?a=[redacted]&b=[redacted]'],
      ['/x?s3cr3t%20value', '/x?[redacted]'],
      ['/x?', '/x?'],
    ];
    for (const [url, expected] of table) assert.equal(redactUrl(url), expected, url);
  });

  it('issue 7 #18: after a handoff and an e-mail verification the log holds neither the token nor the code', async () => {
    const user = await s.createUser({ password: strongPassword });
    const started = await actAs(s.admin, user.id);
    const token = new URL(started.handoffUrl, s.url).searchParams.get('token')!;
    assert.ok(token.length >= 20);
    assert.equal((await s.admin.delete('/api/v1/impersonation')).status, 200);

    const c = s.client();
    assert.equal((await c.login(user.primaryEmail, strongPassword)).status, 200);
    const address = `second-${Date.now()}@example.test`;
    const added = await c.post('/api/v1/account/emails', { address });
    assert.equal(added.status, 201, JSON.stringify(added.body));
    const emailId = added.body.emails.find((e: any) => e.address === address).id as string;
    const mail = await s.services.database.db
      .selectFrom('outbox')
      .select('body_text')
      .where('recipient', '=', address)
      .executeTakeFirstOrThrow();
    const code = /Code: (\d{6})/.exec(mail.body_text)![1]!;
    // The link from the mail, as the browser opens it, then the page posts the code.
    await c.get(`/profile?verifyEmail=${emailId}&code=${code}`);
    const verified = await c.post(`/api/v1/account/emails/${emailId}/verify`, { code });
    assert.equal(verified.status, 200, JSON.stringify(verified.body));

    assert.ok(!contains(log, token), 'no handoff token in the log');
    assert.ok(!contains(log, code), 'no verification code in the log');
    assert.ok(!log.includes('behalf_session='), 'no session cookie in the log');
    assert.ok(!log.includes(strongPassword), 'no password in the log');
    // Not vacuous: both requests are in the log, redacted.
    assert.ok(log.includes('/api/v1/impersonation/handoff?token=[redacted]'), 'the handoff was logged');
    assert.ok(log.includes('/profile?verifyEmail=[redacted]&code=[redacted]'), 'the link was logged');
  });
});

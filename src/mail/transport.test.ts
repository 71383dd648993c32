import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, strongPassword, type TestServer } from '../../test/harness.ts';
import { TestSmtpServer } from '../../test/smtp.ts';
import { deliversLoginCodes, undeliverableCodesWarning } from './transport.ts';
import { countActiveEmailCodeUsers } from '../users/two-factor.store.ts';
import { MailWorker, type MailLogger } from './mail-worker.ts';

// Issue 10 #14 (R-ADM-13, R-ADM-16): codes by e-mail cannot be chosen on a server whose mail
// never arrives; otherwise the user is locked out at the next login (the log hides codes).

describe('issue 10 #14: codes by e-mail need a mail transport', () => {
  it('R-ADM-13: which transports deliver login codes', () => {
    const table: Array<[smtpUrl: string | null, logCodes: boolean, delivers: boolean]> = [
      [null, false, false],
      [null, true, true],
      ['smtp://mail.example:587', false, true],
      ['smtps://u:p@mail.example', true, true],
    ];
    for (const [smtpUrl, logCodes, delivers] of table) {
      assert.equal(deliversLoginCodes({ smtpUrl, logCodes }), delivers, `${smtpUrl} ${logCodes}`);
    }
  });

  it('R-ADM-13: the start-up warning names users whose codes cannot arrive', () => {
    assert.equal(undeliverableCodesWarning({ smtpUrl: null, logCodes: false }, 0), null);
    assert.equal(undeliverableCodesWarning({ smtpUrl: 'smtp://m.example', logCodes: false }, 3), null);
    assert.equal(undeliverableCodesWarning({ smtpUrl: null, logCodes: true }, 3), null);
    assert.match(
      undeliverableCodesWarning({ smtpUrl: null, logCodes: false }, 3)!,
      /^3 active user\(s\).*SMTP_URL/,
    );
  });

  describe('without SMTP_URL and MAIL_LOG_CODES', () => {
    let s: TestServer;
    before(async () => {
      s = await startServer({ MAIL_LOG_CODES: 'false' });
    });
    after(() => s.close());

    it('R-ADM-13: an administrator cannot switch a user to codes by e-mail (409), "none" still works', async () => {
      const u = await s.createUser();
      const res = await s.admin.put(`/api/v1/admin/users/${u.id}/two-factor`, { method: 'email' });
      assert.equal(res.status, 409);
      assert.equal(res.body.code, 'mail_transport_missing');
      assert.match(res.body.detail, /SMTP_URL/);
      const read = await s.admin.get(`/api/v1/admin/users/${u.id}`);
      assert.equal(read.body.twoFactorMethod, 'none', 'nothing changed');
      assert.equal(read.headers.get('etag'), '"user-1"', 'no new version');
      const none = await s.admin.put(`/api/v1/admin/users/${u.id}/two-factor`, { method: 'none' });
      assert.equal(none.status, 200);
    });

    it('R-ADM-13: users switched to codes by e-mail before are counted for the start-up warning', async () => {
      const db = s.services.database.db;
      const before = await countActiveEmailCodeUsers(db);
      const u = await s.createUser();
      await db.updateTable('users').set({ two_factor_method: 'email' }).where('id', '=', u.id).execute();
      assert.equal(await countActiveEmailCodeUsers(db), before + 1);
    });

    it('R-ADM-13: the refusal comes after authorization: a caller without permission gets 403', async () => {
      const u = await s.createUser();
      const { client } = await s.signedInWith([]);
      const res = await client.put(`/api/v1/admin/users/${u.id}/two-factor`, { method: 'email' });
      assert.equal(res.status, 403);
    });

    it('R-ADM-16: a user cannot choose codes by e-mail in My Profile (409)', async () => {
      const { client, user } = await s.signedInWith([]);
      const res = await client.put('/api/v1/account/two-factor', { method: 'email' });
      assert.equal(res.status, 409);
      assert.equal(res.body.code, 'mail_transport_missing');
      const row = await s.services.database.db
        .selectFrom('users')
        .select('two_factor_method')
        .where('id', '=', user.id)
        .executeTakeFirstOrThrow();
      assert.equal(row.two_factor_method, 'none');
    });
  });

  describe('with SMTP_URL', () => {
    let s: TestServer;
    let smtp: TestSmtpServer;
    before(async () => {
      smtp = await TestSmtpServer.start();
      s = await startServer({ SMTP_URL: smtp.url, MAIL_LOG_CODES: 'false' });
    });
    after(async () => {
      await s.close();
      await smtp.stop();
    });

    it('R-ADM-13, R-ADM-16: both the administrator and the user may choose codes by e-mail', async () => {
      const u = await s.createUser();
      const res = await s.admin.put(`/api/v1/admin/users/${u.id}/two-factor`, { method: 'email' });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.equal(res.body.twoFactorMethod, 'email');
      const { client } = await s.signedInWith([]);
      assert.equal((await client.put('/api/v1/account/two-factor', { method: 'email' })).status, 200);
    });
  });

  describe('with MAIL_LOG_CODES (development)', () => {
    let s: TestServer;
    before(async () => {
      s = await startServer({ MAIL_LOG_CODES: 'true' });
    });
    after(() => s.close());

    it('R-ADM-16: codes by e-mail may be chosen, and the code in the log completes the login', async () => {
      const { client, user } = await s.signedInWith([]);
      assert.equal((await client.put('/api/v1/account/two-factor', { method: 'email' })).status, 200);
      const c = s.client();
      const login = await c.login(user.primaryEmail, strongPassword);
      assert.equal(login.body.secondFactorRequired, true);
      const lines: string[] = [];
      const log = (obj: object, msg: string) => void lines.push(`${msg} ${JSON.stringify(obj)}`);
      const logger: MailLogger = { info: log, warn: log, error: log };
      const worker = new MailWorker({
        database: s.services.database,
        clock: s.clock,
        logger,
        smtpUrl: null,
        logCodes: true,
        from: s.services.config.mailFrom,
      });
      await worker.runOnce();
      const code = /\b(\d{6})\b/.exec(lines.join('\n'))?.[1];
      assert.ok(code, `the code is in the log: ${lines.join('\n')}`);
      assert.equal((await c.post('/api/v1/auth/login/second-factor', { code })).status, 200);
    });
  });
});

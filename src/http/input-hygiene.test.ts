// Issue 7 #19: input that was accepted but should not be. Look-alike usernames, e-mail
// addresses SMTP cannot carry, control and bidi characters in display texts, and invalid UTF-8
// are refused with a stable code (R-OPS-03), and nothing is stored.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  adminPassword,
  startServer,
  strongPassword,
  type Client,
  type TestServer,
} from '../../test/harness.ts';
import { loadConfig } from '../config.ts';

const person = { firstName: 'Ann', lastName: 'Example', gender: 'unspecified', language: 'en' };
let n = 0;
const uniqueEmail = () => `input${++n}-${Date.now()}@example.test`;

describe('issue 7 #19: input that looks like something else is refused', () => {
  let s: TestServer;
  before(async () => {
    s = await startServer();
  });
  after(() => s.close());

  const countRows = async (table: 'users' | 'groups' | 'domains' | 'user_emails') => {
    const row = await s.services.database.db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  };
  const create = (username: string, email = uniqueEmail()) =>
    s.admin.post('/api/v1/admin/users', { ...person, email, username });

  it('issue 7 #19: fullwidth, ligature and Cyrillic look-alikes of existing usernames are not new users (R-ADM-01)', async () => {
    assert.equal((await create('ffoo')).status, 201);
    assert.equal((await create('admin')).status, 201);
    const users = await countRows('users');

    for (const lookAlike of ['ｆｆｏｏ', 'FFOO', 'ＳＡｄｍｉｎ', 'sadmin', 'ＡＤＭＩＮ']) {
      const res = await create(lookAlike);
      assert.equal(res.status, 409, `${lookAlike}: ${JSON.stringify(res.body)}`);
      assert.equal(res.body.code, 'username_taken');
      assert.equal(res.body.errors[0].field, 'username');
    }
    const ligature = await create('ﬀoo');
    assert.equal(ligature.status, 422);
    assert.equal(ligature.body.code, 'username_invalid');
    assert.equal(ligature.body.errors[0].field, 'username');
    // "а" is CYRILLIC SMALL LETTER A: the rest is Latin.
    const cyrillic = await create('\u0430dmin');
    assert.equal(cyrillic.status, 422);
    assert.equal(cyrillic.body.code, 'username_mixed_scripts');
    for (const bad of ['𝐚dmin', 'ad min', 'ad\u202Emin', 'ad\u200Bmin', 'a@b.c', '①admin']) {
      const res = await create(bad);
      assert.equal(res.status, 422, `${JSON.stringify(bad)}: ${JSON.stringify(res.body)}`);
      assert.equal(res.body.code, 'username_invalid');
    }
    assert.equal(await countRows('users'), users, 'nothing was stored');

    // Fullwidth letters are the ordinary ones: stored and shown as such.
    const fullwidth = await create('ｊｏｈｎ．ｄｏｅ');
    assert.equal(fullwidth.status, 201);
    assert.equal(fullwidth.body.username, 'john.doe');
    // Letters of one script are fine, in any script.
    for (const ok of ['Jürgen', 'Иван', 'Ελένη', '山田たろう'])
      assert.equal((await create(ok)).status, 201, ok);
  });

  it('issue 7 #19: of parallel creates of one name in different widths and cases exactly one wins (R-OPS-05)', async () => {
    const forms = [
      'racer7',
      'RACER7',
      'Racer7',
      'ｒａｃｅｒ７',
      'ＲＡＣＥＲ７',
      'rAcEr7',
      'ｒacer7',
      'racer７',
    ];
    const results = await Promise.all([...forms, ...forms].map((u) => create(u)));
    assert.deepEqual(results.map((r) => r.status).sort(), [
      201,
      ...Array<number>(forms.length * 2 - 1).fill(409),
    ]);
    for (const r of results.filter((x) => x.status === 409)) assert.equal(r.body.code, 'username_taken');
    const rows = await s.services.database.db
      .selectFrom('users')
      .select('id')
      .where('username_key', '=', 'racer7')
      .execute();
    assert.equal(rows.length, 1);
  });

  it('issue 7 #19: login by username compares the same key, so a fullwidth username signs in as the user', async () => {
    const res = await s.client().login('ＳＡｄｍｉｎ', adminPassword);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.user.username, 'SAdmin');
    const cyrillic = await s.client().login('S\u0410dmin', adminPassword);
    assert.equal(cyrillic.status, 401, 'a Cyrillic look-alike is another (unknown) login');
  });

  it('issue 7 #19: My Profile username changes follow the same rules and key (R-ADM-16)', async () => {
    const user = await s.createUser({ username: 'profileuser', password: strongPassword });
    const me: Client = s.client();
    assert.equal((await me.login(user.primaryEmail, strongPassword)).status, 200);
    const taken = await me.patch('/api/v1/account/profile', { username: 'ＦＦＯＯ' });
    assert.equal(taken.status, 409);
    assert.equal(taken.body.code, 'username_taken');
    const mixed = await me.patch('/api/v1/account/profile', { username: 'pr\u043Efile' });
    assert.equal(mixed.status, 422);
    assert.equal(mixed.body.code, 'username_mixed_scripts');
    const own = await me.patch('/api/v1/account/profile', { username: 'ＰｒｏｆｉｌｅＵｓｅｒ' });
    assert.equal(own.status, 200, 'the same name in other case and width is still their own');
    assert.equal(own.body.username, 'ProfileUser');
  });

  it('issue 7 #19: e-mail addresses beyond RFC 5321 limits are refused wherever they enter', async () => {
    const local64 = `${'a'.repeat(64)}@example.test`;
    const local65 = `${'a'.repeat(65)}@example.test`;
    const label64 = `ann@${'b'.repeat(64)}.test`;
    const total255 = `an@${Array.from({ length: 5 }, () => 'c'.repeat(49)).join('.')}.de`;
    assert.equal(total255.length, 255);
    const umlauts = `${'ä'.repeat(33)}@example.test`; // 33 characters, 66 octets
    const users = await countRows('users');
    const addresses = await countRows('user_emails');
    for (const address of [local65, label64, total255, umlauts]) {
      const created = await s.admin.post('/api/v1/admin/users', { ...person, email: address });
      assert.equal(created.status, 422, `${address}: ${JSON.stringify(created.body)}`);
      assert.equal(created.body.code, 'email_too_long');
      assert.equal(created.body.errors[0].field, 'email');
    }
    const user = await s.createUser({ password: strongPassword });
    const added = await s.admin.post(`/api/v1/admin/users/${user.id}/emails`, { address: local65 });
    assert.equal(added.status, 422);
    assert.equal(added.body.code, 'email_too_long');
    const me = s.client();
    assert.equal((await me.login(user.primaryEmail, strongPassword)).status, 200);
    const own = await me.post('/api/v1/account/emails', { address: label64 });
    assert.equal(own.status, 422);
    assert.equal(own.body.code, 'email_too_long');
    assert.equal(await countRows('users'), users + 1, 'only the helper user was stored');
    assert.equal(await countRows('user_emails'), addresses + 1);

    assert.equal((await s.admin.post('/api/v1/admin/users', { ...person, email: local64 })).status, 201);
    assert.throws(() => loadConfig({ BOOTSTRAP_ADMIN_EMAIL: local65 }), /BOOTSTRAP_ADMIN_EMAIL/);
  });

  it('issue 7 #19: control characters and bidi overrides in group, domain, policy and template texts answer 422', async () => {
    const groups = await countRows('groups');
    const domains = await countRows('domains');
    for (const name of ['Sales\u0007', 'Sales\u0085', 'Admins\u202Esnimda', 'Sup\u200Bport', 'Two\nlines']) {
      const group = await s.admin.post('/api/v1/admin/groups', { name });
      assert.equal(group.status, 422, `${JSON.stringify(name)}: ${JSON.stringify(group.body)}`);
      assert.equal(group.body.code, 'control_characters');
      assert.equal(group.body.errors[0].field, 'name');
      const domain = await s.admin.post('/api/v1/admin/domains', { name });
      assert.equal(domain.status, 422);
      assert.equal(domain.body.code, 'control_characters');
    }
    assert.equal(await countRows('groups'), groups);
    assert.equal(await countRows('domains'), domains);

    const policy = await s.admin.post('/api/v1/admin/policies', { kind: 'terms', title: 'Terms\u001B[31m' });
    assert.equal(policy.status, 422);
    assert.equal(policy.body.code, 'control_characters');
    const user = await s.admin.post('/api/v1/admin/users', {
      ...person,
      firstName: 'An\u2066n',
      email: uniqueEmail(),
    });
    assert.equal(user.status, 422);
    assert.equal(user.body.code, 'control_characters');
    const template = await s.admin.put('/api/v1/admin/notification-templates/impersonation.started/en', {
      subject: 'Hello',
      body: 'Line one\nline two\u0000',
      enabled: true,
    });
    assert.equal(template.status, 422);
    const bidiBody = await s.admin.put('/api/v1/admin/notification-templates/impersonation.started/en', {
      subject: 'Hello',
      body: 'Line one\nline \u202Etwo',
      enabled: true,
    });
    assert.equal(bidiBody.status, 422);
    assert.equal(bidiBody.body.code, 'control_characters');

    // Several kinds of mistakes at once stay validation_failed, each field named.
    const both = await s.admin.post('/api/v1/admin/users', { ...person, firstName: 'A\u0007', email: 'x' });
    assert.equal(both.status, 422);
    assert.equal(both.body.code, 'validation_failed');
    assert.deepEqual(both.body.errors.map((e: { field: string }) => e.field).sort(), ['email', 'firstName']);
  });

  it('issue 7 #19: invalid UTF-8 in a JSON body answers 400 invalid_encoding and stores nothing', async () => {
    const groups = await countRows('groups');
    const send = (path: string, bytes: Buffer, cookie: string) =>
      fetch(s.url + path, {
        method: 'POST',
        headers: { origin: s.url, cookie, 'content-type': 'application/json' },
        body: bytes,
      });
    const latin1 = Buffer.concat([Buffer.from('{"name":"M'), Buffer.from([0xfc]), Buffer.from('ller"}')]);
    for (const body of [
      latin1,
      Buffer.from([0x7b, 0x22, 0x6e, 0x22, 0x3a, 0x22, 0xed, 0xa0, 0x80, 0x22, 0x7d]),
    ]) {
      const res = await send('/api/v1/admin/groups', body, s.admin.cookieHeader);
      assert.equal(res.status, 400);
      assert.equal(res.headers.get('content-type'), 'application/problem+json; charset=utf-8');
      assert.equal(((await res.json()) as { code: string }).code, 'invalid_encoding');
    }
    assert.equal(await countRows('groups'), groups, 'nothing was stored');

    const login = Buffer.concat([
      Buffer.from('{"login":"'),
      Buffer.from([0xc3, 0x28]),
      Buffer.from('","password":"x"}'),
    ]);
    const anonymous = await send('/api/v1/auth/login', login, '');
    assert.equal(anonymous.status, 400);
    assert.equal(((await anonymous.json()) as { code: string }).code, 'invalid_encoding');

    const valid = await send(
      '/api/v1/admin/groups',
      Buffer.from('{"name":"Müller ✓"}'),
      s.admin.cookieHeader,
    );
    assert.equal(valid.status, 201, 'valid UTF-8 (umlauts, symbols) is parsed as before');

    const latin1Query = await s.admin.get('/api/v1/admin/users?q=M%FCller');
    assert.equal(latin1Query.status, 400);
    assert.equal(latin1Query.body.code, 'invalid_encoding');
    assert.equal((await s.admin.get('/api/v1/admin/users?q=M%C3%BCller')).status, 200);
  });
});

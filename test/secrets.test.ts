// No response ever carries a password hash, a session token or another secret, and the audit
// trail records that a password changed, never what to (DESIGN.md §4: response schemas strip).
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { serializerCompiler } from 'fastify-type-provider-zod';
import { adminEmail, adminPassword, Client, startServer, strongPassword, type Reply } from './harness.ts';
import { userSchema } from '../src/users/user.schemas.ts';

const s = await startServer();
const has = (method: string, url: string) =>
  s.app.routeIndex.list().some((r) => r.method === method && r.url === url);

interface Seen {
  what: string;
  text: string;
}

/** A browser that remembers every answer it got and every session token it was given. */
class RecordingClient extends Client {
  readonly seen: Seen[];
  readonly tokens: Set<string>;
  constructor(base: string, seen: Seen[], tokens: Set<string>) {
    super(base);
    this.seen = seen;
    this.tokens = tokens;
  }
  override async request(
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<Reply> {
    const res = await super.request(method, path, body, headers);
    for (const line of res.headers.getSetCookie()) {
      const value = line.split(';')[0]!.split('=').slice(1).join('=');
      if (value.length >= 16) this.tokens.add(value);
    }
    const text = typeof res.body === 'string' ? res.body : JSON.stringify(res.body);
    this.seen.push({ what: `${method} ${path} -> ${res.status}`, text });
    return res;
  }
}

const secretKeys =
  /"(password_?hash|passwordHash|totp_?secret|totpSecret|token_?hash|tokenHash|code_?hash|codeHash|secret)"\s*:/i;

/** The latest e-mail code sent to an address (the outbox is the mail server's queue). */
async function latestCode(to: string): Promise<string> {
  const row = await s.services.database.db
    .selectFrom('outbox')
    .select('body_text')
    .where('recipient', '=', to)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .executeTakeFirstOrThrow();
  const code = /\b(\d{6})\b/.exec(row.body_text)?.[1];
  assert.ok(code, 'the login mail carries a six-digit code');
  return code;
}

describe('secrets never leave the server', () => {
  after(() => s.close());

  it('R-ADM-12: a journey through the API never shows a hash, a token or a stored password', async () => {
    const seen: Seen[] = [];
    const tokens = new Set<string>();
    const client = () => new RecordingClient(s.url, seen, tokens);
    const admin = client();
    assert.equal((await admin.login(adminEmail, adminPassword)).status, 200);
    const passwords = [adminPassword, strongPassword];

    const create = async (n: number) => {
      const res = await admin.post('/api/v1/admin/users', {
        email: `secret-${n}@example.test`,
        username: `secret${n}`,
        firstName: 'Sec',
        lastName: `Ret${n}`,
        gender: 'unspecified',
        language: 'de',
      });
      assert.equal(res.status, 201);
      return res.body as { id: string; primaryEmail: string };
    };
    const alice = await create(1);
    const bob = await create(2);

    // R-ADM-12: generated, shown once, applied on save.
    const generated = await admin.post(`/api/v1/admin/users/${alice.id}/password/generate`);
    assert.equal(generated.status, 200);
    assert.equal(generated.headers.get('cache-control'), 'no-store');
    const alicePassword = generated.body.password as string;
    passwords.push(alicePassword);
    const generatedAnswer = seen.length - 1;
    assert.equal(
      (await admin.put(`/api/v1/admin/users/${alice.id}/password`, { password: alicePassword })).status,
      204,
    );
    assert.equal(
      (await admin.put(`/api/v1/admin/users/${bob.id}/password`, { password: strongPassword })).status,
      204,
    );
    const bobRights = await admin.put(`/api/v1/admin/users/${bob.id}/permissions`, {
      general: [],
      system: ['users.read', 'audit.read', 'settings.read'],
    });
    assert.equal(bobRights.status, 200);

    const twoFactor = has('PUT', '/api/v1/admin/users/:id/two-factor');
    if (twoFactor) {
      const res = await admin.put(`/api/v1/admin/users/${alice.id}/two-factor`, { method: 'email' });
      assert.equal(res.status, 200, JSON.stringify(res.body));
    }

    // Logins: Alice (with the e-mail code when two-factor is on), Bob, and a few wrong ones.
    const aliceClient = client();
    const first = await aliceClient.login(alice.primaryEmail, alicePassword);
    assert.equal(first.status, 200);
    if (twoFactor) {
      assert.equal(first.body.secondFactorRequired, true);
      const wrong = await aliceClient.post('/api/v1/auth/login/second-factor', { code: '000000' });
      assert.equal(wrong.status, 401);
      const done = await aliceClient.post('/api/v1/auth/login/second-factor', {
        code: await latestCode(alice.primaryEmail),
      });
      assert.equal(done.status, 200);
    }
    assert.equal((await aliceClient.get('/api/v1/session')).status, 200);
    const bobClient = client();
    assert.equal((await bobClient.login('secret2', strongPassword)).status, 200);
    assert.equal((await client().login('secret2', 'Wrong-Password-123')).status, 401);
    assert.equal((await client().login('nobody@example.test', strongPassword)).status, 401);

    // Everything an administrator can read about these users, the trail and the settings.
    for (const reader of [admin, bobClient]) {
      for (const u of [alice, bob])
        assert.equal((await reader.get(`/api/v1/admin/users/${u.id}`)).status, 200);
      if (has('GET', '/api/v1/admin/users')) {
        assert.equal((await reader.get('/api/v1/admin/users?limit=200')).status, 200);
        assert.equal((await reader.get('/api/v1/admin/users?q=secret')).status, 200);
      }
      let cursor: string | null = null;
      do {
        const page: Reply = await reader.get(
          `/api/v1/admin/audit-events?limit=200${cursor ? `&cursor=${cursor}` : ''}`,
        );
        assert.equal(page.status, 200);
        cursor = page.body.nextCursor;
      } while (cursor);
      assert.equal((await reader.get('/api/v1/admin/settings')).status, 200);
      assert.equal((await reader.get('/api/v1/session')).status, 200);
    }
    assert.equal((await admin.get('/api/v1/openapi.json')).status, 200);

    assert.ok(tokens.size >= 3, 'session tokens were handed out');
    for (const [i, { what, text }] of seen.entries()) {
      assert.ok(!text.includes('$argon2'), `${what} shows a password hash`);
      assert.doesNotMatch(text, secretKeys, `${what} has a secret field`);
      for (const token of tokens) assert.ok(!text.includes(token), `${what} shows a session token`);
      if (i === generatedAnswer) continue;
      for (const p of passwords) assert.ok(!text.includes(p), `${what} shows a password`);
    }
  });

  it('R-ADM-12: the audit trail records password changes as "[redacted]", never the values', async () => {
    const user = await s.createUser({ password: strongPassword });
    const generated = await s.admin.post(`/api/v1/admin/users/${user.id}/password/generate`);
    const password = generated.body.password as string;
    assert.equal((await s.admin.put(`/api/v1/admin/users/${user.id}/password`, { password })).status, 204);

    const trail = await s.admin.get(`/api/v1/admin/audit-events?targetId=${user.id}&limit=200`);
    assert.equal(trail.status, 200);
    const sets = trail.body.items.filter((e: { action: string }) => e.action === 'user.password_set');
    assert.equal(sets.length, 2, 'both password changes are in the trail');
    for (const e of sets) {
      assert.deepEqual(e.changes, { password: { before: '[redacted]', after: '[redacted]' } });
    }
    const all = await s.admin.get('/api/v1/admin/audit-events?limit=200');
    for (const e of all.body.items as { action: string; changes: Record<string, unknown> | null }[]) {
      for (const [field, change] of Object.entries(e.changes ?? {})) {
        if (/password|secret|hash|token|code/i.test(field)) {
          assert.deepEqual(change, { before: '[redacted]', after: '[redacted]' }, `${e.action} ${field}`);
        }
      }
    }
    // And at rest: the stored trail holds neither the passwords nor their hashes.
    const rows = await s.services.database.db.selectFrom('audit_events').selectAll().execute();
    const stored = JSON.stringify(rows);
    for (const secret of [password, strongPassword, adminPassword, '$argon2']) {
      assert.ok(!stored.includes(secret), `the stored audit trail contains ${secret.slice(0, 8)}…`);
    }
  });

  it('R-ADM-03: a user answer has exactly the documented fields, nothing from the row', async () => {
    const user = await s.createUser({ password: strongPassword });
    const res = await s.admin.get(`/api/v1/admin/users/${user.id}`);
    assert.equal(res.status, 200);
    assert.deepEqual(Object.keys(res.body).sort(), Object.keys(userSchema.shape).sort());
    assert.equal(res.body.hasPassword, true, 'whether a password exists is shown, not the password');
  });

  it('R-ADM-03: the response serializer of userSchema strips fields it does not list', () => {
    const serialize = serializerCompiler({
      schema: userSchema,
      method: 'GET',
      url: '/api/v1/admin/users/:id',
      httpStatus: '200',
    }) as (data: unknown) => string;
    const email = { id: 'e1', address: 'ada@example.test', verified: true, verifiedAt: null, primary: true };
    const representation = {
      id: '019a1b2c-3d4e-7f60-8a7b-9c0d1e2f3a4b',
      username: null,
      firstName: 'Ada',
      lastName: 'Lovelace',
      displayName: 'Ada Lovelace',
      gender: 'female',
      language: 'en',
      primaryEmail: 'ada@example.test',
      emails: [email],
      active: true,
      role: 'user',
      permissions: { general: [], system: [] },
      hasPassword: true,
      twoFactorMethod: 'totp',
      failedLogins: 0,
      lockedUntil: null,
      createdAt: '2026-11-23T09:00:00.000Z',
      updatedAt: '2026-11-23T09:00:00.000Z',
      domainId: null,
      tags: ['active'],
    };
    // What a careless mapper might pass along: the row's secrets, at the top and nested.
    const leaky = {
      ...representation,
      emails: [{ ...email, codeHash: 'c0ffee' }],
      passwordHash: '$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA',
      password_hash: '$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA',
      totpSecret: 'JBSWY3DPEHPK3PXP',
      totp_secret: 'JBSWY3DPEHPK3PXP',
    };
    assert.deepEqual(JSON.parse(serialize(leaky)), representation);
    assert.ok(!serialize(leaky).includes('$argon2'));
    assert.ok(!serialize(leaky).includes('JBSWY3DPEHPK3PXP'));
  });
});

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { startServer, type Reply, type TestServer } from '../../test/harness.ts';

// Property tests of the two bodies an administrator writes most (R-OPS-03): random JSON,
// random objects over the real field names, and valid bodies with a few fields broken. Whatever
// arrives, the answer is never a 5xx; a rejected body changes nothing at all; an accepted one
// changes exactly the fields it names, to exactly what was sent (trimmed).

const fields = ['email', 'username', 'firstName', 'lastName', 'gender', 'language', 'active'];
const extraKeys = ['role', 'id', 'password', 'permissions', 'emails', 'createdAt', 'version', 'tags'];

/** Values that break things: wrong types, edge strings, NUL, lone surrogates, huge numbers. */
const weird: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }),
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.constantFrom(
    '',
    '   ',
    '\u0000',
    'a\u0000b',
    '\uD800',
    'x'.repeat(101),
    'x'.repeat(5000),
    '😀 Emoji',
    'de',
    'fr',
    'female',
    'robot',
    null,
    true,
    false,
    0,
    -1,
    1e308,
    [],
    {},
    'a@b.example',
    'not-an-address',
  ),
);

let seq = 0;
const validCreate = fc
  .record(
    {
      username: fc.stringMatching(/^[a-z][a-z0-9._-]{2,20}$/),
      firstName: fc.string({ minLength: 1, maxLength: 30 }).filter((v) => v.trim().length > 0),
      lastName: fc.string({ minLength: 1, maxLength: 30 }).filter((v) => v.trim().length > 0),
      gender: fc.constantFrom('female', 'male', 'diverse', 'unspecified'),
      language: fc.constantFrom('de', 'en'),
    },
    { requiredKeys: ['firstName', 'lastName'] },
  )
  .map((b): Record<string, unknown> => ({ ...b, email: `prop${++seq}-${process.pid}@example.test` }));

const validPatch = fc.record(
  {
    firstName: fc.string({ minLength: 1, maxLength: 30 }).filter((v) => v.trim().length > 0),
    lastName: fc.string({ minLength: 1, maxLength: 30 }).filter((v) => v.trim().length > 0),
    gender: fc.constantFrom('female', 'male', 'diverse', 'unspecified'),
    language: fc.constantFrom('de', 'en'),
    active: fc.boolean(),
  },
  { requiredKeys: [] },
) as fc.Arbitrary<Record<string, unknown>>;

/** A valid body with up to three fields replaced by weird values, removed, or added. */
function mutationsOf(valid: fc.Arbitrary<Record<string, unknown>>) {
  const edit = fc.tuple(
    fc.constantFrom(...fields, ...extraKeys),
    fc.oneof(
      fc.constant({ remove: true as const }),
      weird.map((value) => ({ value })),
    ),
  );
  return fc.tuple(valid, fc.array(edit, { maxLength: 3 })).map(([body, edits]) => {
    const out = { ...body };
    for (const [key, e] of edits) {
      if ('remove' in e) delete out[key];
      else out[key] = e.value;
    }
    return out;
  });
}

function bodies(valid: fc.Arbitrary<Record<string, unknown>>): fc.Arbitrary<unknown> {
  return fc.oneof(
    { arbitrary: mutationsOf(valid), weight: 4 },
    {
      arbitrary: fc.dictionary(fc.oneof(fc.constantFrom(...fields, ...extraKeys), fc.string()), weird),
      weight: 2,
    },
    { arbitrary: fc.jsonValue({ maxDepth: 2 }), weight: 1 },
  );
}

const trimmed = (v: unknown) => (typeof v === 'string' ? v.trim() : v);

function assertNoServerError(res: Reply, body: unknown) {
  assert.ok(res.status < 500, `${res.status} for ${JSON.stringify(body)}: ${JSON.stringify(res.body)}`);
  if (res.status >= 400) assert.equal(typeof res.body.code, 'string', 'a problem document with a code');
}

describe('admin: random create and edit bodies (R-OPS-03, R-ADM-01, R-ADM-03)', () => {
  let s: TestServer;
  const count = async (table: 'users' | 'audit_events') =>
    Number(
      (
        await s.services.database.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  before(async () => {
    s = await startServer();
  });
  after(() => s.close());

  it('R-OPS-03, R-ADM-01: no create body yields a 5xx; rejected ones create nothing, accepted ones exactly what was sent', async () => {
    await fc.assert(
      fc.asyncProperty(bodies(validCreate), async (body) => {
        const users = await count('users');
        const events = await count('audit_events');
        const res = await s.admin.post('/api/v1/admin/users', JSON.stringify(body));
        assertNoServerError(res, body);
        if (res.status !== 201) {
          assert.equal(await count('users'), users, 'nothing created');
          assert.equal(await count('audit_events'), events, 'nothing recorded');
          return;
        }
        const sent = body as Record<string, unknown>;
        const u = res.body;
        assert.equal(u.primaryEmail, trimmed(sent.email));
        assert.equal(u.firstName, trimmed(sent.firstName));
        assert.equal(u.lastName, trimmed(sent.lastName));
        assert.equal(u.username, trimmed(sent.username) ?? null);
        assert.equal(u.gender, sent.gender ?? 'unspecified');
        assert.equal(u.language, sent.language ?? 'en');
        // What a create body can never set, whatever it carries.
        assert.equal(u.role, 'user');
        assert.deepEqual(u.permissions, { general: [], system: [] });
        assert.equal(u.active, true);
        assert.equal(u.hasPassword, false);
        assert.equal(u.twoFactorMethod, 'none');
        assert.equal(await count('users'), users + 1);
      }),
      { numRuns: 60 },
    );
  });

  it('R-OPS-03, R-ADM-03: no PATCH body yields a 5xx; a rejected one leaves the user and ETag as they were; an accepted one changes only what it names', async () => {
    const target = await s.createUser({ username: 'prop.target' });
    const path = `/api/v1/admin/users/${target.id}`;
    const patchable = new Set(['firstName', 'lastName', 'gender', 'language', 'active']);
    const derived = new Set(['displayName', 'tags', 'updatedAt']);
    await fc.assert(
      fc.asyncProperty(bodies(validPatch), fc.boolean(), async (body, withIfMatch) => {
        const before = await s.admin.get(path);
        const etag = before.headers.get('etag')!;
        const res = await s.admin.patch(path, JSON.stringify(body), withIfMatch ? { 'if-match': etag } : {});
        assertNoServerError(res, body);
        const after = await s.admin.get(path);
        if (res.status !== 200) {
          assert.deepEqual(after.body, before.body, 'a rejected body changes nothing');
          assert.equal(after.headers.get('etag'), etag);
          return;
        }
        assert.deepEqual(after.body, res.body);
        const sent = body as Record<string, unknown>;
        for (const [key, value] of Object.entries(before.body)) {
          if (derived.has(key)) continue;
          const expected = patchable.has(key) && key in sent ? trimmed(sent[key]) : value;
          assert.deepEqual(after.body[key], expected, key);
        }
      }),
      { numRuns: 60 },
    );
  });
});

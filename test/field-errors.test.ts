// issue 10 #8: a field error says what is wrong as a stable `kind` with its parameters, so the
// web app can say it in German or English; `message` stays the English text for API users.
// The web app has a text for every kind and every error code (a missing one fails here).
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { startServer, type Reply } from './harness.ts';
import { errorStatus, fieldErrorKinds } from '../src/shared/errors.ts';
import { loadStrings } from './web-strings.ts';

const s = await startServer();

/** The answer's field errors, each checked to carry a known kind. */
function fieldErrors(
  res: Reply,
): Array<{ field: string; kind: string; in?: string; params?: Record<string, unknown> }> {
  assert.ok(Array.isArray(res.body.errors), JSON.stringify(res.body));
  for (const e of res.body.errors) {
    assert.ok((fieldErrorKinds as readonly string[]).includes(e.kind), `kind of ${JSON.stringify(e)}`);
    assert.equal(typeof e.message, 'string', 'message stays for API users');
  }
  return res.body.errors;
}

describe('field errors carry a kind (issue 10 #8)', () => {
  after(() => s.close());

  it("issue 10 #8: schema errors name zod's kind and the values the text needs (R-OPS-03)", async () => {
    const res = await s.admin.post('/api/v1/admin/users', {
      email: 'not an address',
      firstName: '',
      gender: 'unspecified',
      language: 'en',
      extra: 1,
    });
    assert.equal(res.status, 422);
    const byField = new Map(fieldErrors(res).map((e) => [e.field, e]));
    assert.equal(byField.get('email')?.kind, 'invalid_format');
    assert.equal(byField.get('lastName')?.kind, 'invalid_type');
    assert.equal(byField.get('firstName')?.kind, 'too_small');
    assert.equal(byField.get('firstName')?.params?.minimum, 1);
    assert.equal(byField.get('(body)')?.kind, 'unrecognized_keys');
    assert.deepEqual(byField.get('(body)')?.params?.keys, ['extra']);
  });

  it('issue 10 #17: an unknown query parameter is reported as a query error, not a body error (R-OPS-03)', async () => {
    const res = await s.admin.get('/api/v1/admin/impersonations?includeEnded=true');
    assert.equal(res.status, 422);
    const [error] = fieldErrors(res);
    assert.equal(error?.field, '(query)', JSON.stringify(res.body));
    assert.equal(error?.kind, 'unrecognized_keys');
    assert.deepEqual(error?.params?.keys, ['includeEnded']);
    assert.doesNotMatch(res.body.detail, /\(body\)/);
    assert.equal(error?.in, 'query');
  });

  // Each row: a GET with a bad query string, the field named and its kind; every error must say
  // it is about the query (`in`), and the detail must not call a query parameter a body member.
  const badQueries: Array<[string, string, string]> = [
    ['/api/v1/admin/impersonations?includeEnded=true', '(query)', 'unrecognized_keys'],
    ['/api/v1/admin/impersonations?limit=0', 'limit', 'too_small'],
    ['/api/v1/admin/users?limit=500', 'limit', 'too_big'],
    ['/api/v1/admin/users?sort=age', 'sort', 'invalid_value'],
    ['/api/v1/admin/users/count?status=maybe', 'status', 'invalid_value'],
    ['/api/v1/admin/audit-events?from=yesterday', 'from', 'invalid_format'],
    ['/api/v1/admin/outbox?colour=red', '(query)', 'unrecognized_keys'],
    ['/api/v1/account/notifications?limit=abc', 'limit', 'invalid_type'],
  ];
  for (const [url, field, kind] of badQueries) {
    it(`issue 10 #17: GET ${url} is a query error on ${field} (R-OPS-03)`, async () => {
      const res = await s.admin.get(url);
      assert.equal(res.status, 422, JSON.stringify(res.body));
      const [error] = fieldErrors(res);
      assert.deepEqual(
        [error?.field, error?.kind, error?.in],
        [field, kind, 'query'],
        JSON.stringify(res.body),
      );
      assert.match(res.body.detail, field.startsWith('(') ? /^\(query\)/ : /^query parameter /);
    });
  }

  it('issue 10 #17: a body error says it is one', async () => {
    const res = await s.admin.post('/api/v1/admin/users', { email: 'x@example.test', extra: 1 });
    assert.equal(res.status, 422);
    assert.ok(
      fieldErrors(res).every((e: any) => e.in === 'body'),
      JSON.stringify(res.body),
    );
  });

  it("issue 10 #8: the services' own field errors have kinds too (taken, password rules, wrong password)", async () => {
    const taken = await s.createUser({ username: 'schroeder' });
    const again = await s.admin.post('/api/v1/admin/users', {
      email: 'other@example.test',
      username: 'schroeder',
      firstName: 'A',
      lastName: 'B',
      gender: 'unspecified',
      language: 'en',
    });
    assert.equal(again.status, 409, JSON.stringify(again.body));
    assert.deepEqual(
      fieldErrors(again).map((e) => [e.field, e.kind]),
      [['username', 'taken']],
    );

    const weak = await s.admin.put(`/api/v1/admin/users/${taken.id}/password`, { password: 'Qx7' });
    assert.equal(weak.status, 422);
    assert.doesNotMatch(JSON.stringify(weak.body), /Qx7/, 'the password sent is not in the answer');
    const kinds = fieldErrors(weak).map((e) => e.kind);
    assert.ok(kinds.includes('password_too_short'), kinds.join());
    assert.equal(fieldErrors(weak).find((e) => e.kind === 'password_too_short')?.params?.minimum, 12);

    const { client } = await s.signedInWith([]);
    const wrong = await client.put('/api/v1/account/password', {
      currentPassword: 'not-the-password-1',
      newPassword: 'Yet-Another-Strong-Pass-7',
    });
    assert.equal(wrong.status, 422, JSON.stringify(wrong.body));
    assert.deepEqual(
      fieldErrors(wrong).map((e) => [e.field, e.kind]),
      [['currentPassword', 'wrong_password']],
    );
  });

  it('issue 10 #8: docs/errors.md describes every field-error kind', () => {
    const doc = readFileSync(new URL('../docs/errors.md', import.meta.url), 'utf8');
    const section = doc.slice(doc.indexOf('## Field errors'));
    assert.deepEqual(
      fieldErrorKinds.filter((k) => !section.includes(`\`${k}\``)),
      [],
    );
  });

  it('issue 10 #8: every error code and every field-error kind has German and English text', () => {
    for (const lng of ['en', 'de']) {
      const strings = loadStrings(lng) as { errors?: { codes?: object; fields?: object } };
      const codes = strings.errors?.codes ?? {};
      const fields = strings.errors?.fields ?? {};
      assert.deepEqual(
        Object.keys(errorStatus).filter((c) => !(c in codes)),
        [],
        `error codes without ${lng} text`,
      );
      assert.deepEqual(
        fieldErrorKinds.filter((k) => !(k in fields)),
        [],
        `field-error kinds without ${lng} text`,
      );
    }
  });
});

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isSecretField, redact } from './audit.ts';

describe('audit redaction', () => {
  const table: Array<[string, boolean]> = [
    ['password', true],
    ['newPassword', true],
    ['passwordHash', true],
    ['totpSecret', true],
    ['token', true],
    ['code', true],
    ['login.passwordLoginEnabled', false],
    ['passwordPolicy.minLength', false],
    ['passwordPolicy.requireDigit', false],
    ['twoFactorMethod', false],
    ['countryCode', false],
    ['firstName', false],
  ];
  for (const [field, secret] of table) {
    it(`R-IMP-08: ${field} is ${secret ? 'hidden' : 'shown'} in the trail`, () => {
      assert.equal(isSecretField(field), secret);
      const out = redact({ [field]: { before: 'a', after: 'b' } });
      assert.deepEqual(
        out[field],
        secret ? { before: '[redacted]', after: '[redacted]' } : { before: 'a', after: 'b' },
      );
    });
  }
});

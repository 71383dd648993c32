// The password policy and the password generator (R-ADM-12), as tables and properties.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { generatePassword, maxPasswordLength, passwordViolations } from './password-policy.ts';
import { defaultSettings, type PasswordPolicy } from '../settings/settings.schema.ts';

const none: PasswordPolicy = {
  minLength: 8,
  requireLowercase: false,
  requireUppercase: false,
  requireDigit: false,
  requireSymbol: false,
};
const strict: PasswordPolicy = {
  minLength: 12,
  requireLowercase: true,
  requireUppercase: true,
  requireDigit: true,
  requireSymbol: true,
};

const tooShort = (n: number) => `must be at least ${n} characters long`;
const tooLong = `must be at most ${maxPasswordLength} characters long`;
const lower = 'must contain a lowercase letter';
const upper = 'must contain an uppercase letter';
const digit = 'must contain a digit';
const symbol = 'must contain a symbol';

describe('passwordViolations', () => {
  const table: [string, PasswordPolicy, string, string[]][] = [
    ['length only: 8 characters pass', none, 'abcdefgh', []],
    ['length only: 7 characters fail', none, 'abcdefg', [tooShort(8)]],
    ['length counts code points, not UTF-16 units', none, '😀😀😀😀😀😀😀😀', []],
    ['seven emoji are seven characters', none, '😀😀😀😀😀😀😀', [tooShort(8)]],
    ['the maximum length holds under any policy', none, 'a'.repeat(maxPasswordLength + 1), [tooLong]],
    ['exactly the maximum passes', none, 'a'.repeat(maxPasswordLength), []],
    ['strict: all classes present', strict, 'Abcdefgh1!xy', []],
    ['strict: empty breaks every rule', strict, '', [tooShort(12), lower, upper, digit, symbol]],
    ['strict: only lowercase', strict, 'abcdefghijkl', [upper, digit, symbol]],
    ['strict: only uppercase and digits', strict, 'ABCDEFGH1234', [lower, symbol]],
    ['strict: no symbol', strict, 'Abcdefgh1234', [symbol]],
    ['strict: no digit', strict, 'Abcdefgh!!!!', [digit]],
    ['strict: short but complete', strict, 'Ab1!', [tooShort(12)]],
    ['letters of other scripts count as lower and upper case', strict, 'Ärger-über-ß9', []],
    ['digits of other scripts count as digits', strict, 'Abcdefgh!!٣x', []],
    ['a space counts as a symbol', strict, 'Abcdefgh 12x', []],
    ['defaults: 12 characters, lower, upper, digit', defaultSettings.passwordPolicy, 'Abcdefghij12', []],
    ['defaults: no symbol needed', defaultSettings.passwordPolicy, 'abcdefghij12', [upper]],
  ];
  for (const [name, policy, password, expected] of table) {
    it(`R-ADM-12: ${name}`, () => {
      assert.deepEqual(passwordViolations(policy, password), expected);
    });
  }
});

const policyArb: fc.Arbitrary<PasswordPolicy> = fc.record({
  minLength: fc.integer({ min: 8, max: 128 }),
  requireLowercase: fc.boolean(),
  requireUppercase: fc.boolean(),
  requireDigit: fc.boolean(),
  requireSymbol: fc.boolean(),
});
// Characters people confuse when reading a password off a screen.
const lookAlikes = /[0O1lI]/;

describe('generatePassword', () => {
  it('R-ADM-12: a generated password always satisfies the policy it was made for', () => {
    fc.assert(
      fc.property(policyArb, (policy) => {
        const password = generatePassword(policy);
        assert.deepEqual(passwordViolations(policy, password), [], password);
        assert.equal(password.length, Math.max(20, policy.minLength));
        assert.doesNotMatch(password, lookAlikes);
      }),
      { numRuns: 500 },
    );
  });

  it('R-ADM-12: it satisfies the strictest policy whatever the random source returns', () => {
    // The guarantee comes from the construction (one of each class), not from luck: even a
    // degenerate source (always 0, always the last index, any sequence) gives a valid password.
    fc.assert(
      fc.property(policyArb, fc.array(fc.nat(), { minLength: 1, maxLength: 50 }), (policy, seq) => {
        let i = 0;
        const pick = (max: number) => seq[i++ % seq.length]! % max;
        const all = {
          ...policy,
          requireLowercase: true,
          requireUppercase: true,
          requireDigit: true,
          requireSymbol: true,
        };
        assert.deepEqual(passwordViolations(all, generatePassword(all, pick)), []);
      }),
      { numRuns: 500 },
    );
    assert.deepEqual(
      passwordViolations(
        strict,
        generatePassword(strict, () => 0),
      ),
      [],
    );
    assert.deepEqual(
      passwordViolations(
        strict,
        generatePassword(strict, (max) => max - 1),
      ),
      [],
    );
  });

  it('R-ADM-12: two generated passwords differ (shown once, never guessable from another)', () => {
    const seen = new Set(Array.from({ length: 200 }, () => generatePassword(defaultSettings.passwordPolicy)));
    assert.equal(seen.size, 200);
  });
});

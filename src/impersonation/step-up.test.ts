import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { decideStepUp, stepUpMethods } from './step-up.ts';

// R-IMP-17, issue 12 #5: whether an actor must prove again before starting, by a table.

const minute = 60_000;
const now = Date.UTC(2026, 10, 23, 9, 0, 0);

describe('R-IMP-17 step-up: the rule', () => {
  const cases: [string, number, number | null, boolean][] = [
    ['off: never asked, even without any proof', 0, null, false],
    ['off: never asked, however old the proof', 0, now - 1000 * minute, false],
    ['on: a proof just now suffices', 10, now, false],
    ['on: a proof within the window suffices', 10, now - 9 * minute, false],
    ['on: a proof exactly at the window still counts', 10, now - 10 * minute, false],
    ['on: a proof one millisecond too old is refused', 10, now - 10 * minute - 1, true],
    ['on: a proof long ago is refused', 10, now - 600 * minute, true],
    ['on: a session that never proved (from before the setting) is refused', 10, null, true],
    ['on: a proof from a clock slightly ahead counts', 10, now + 1000, false],
  ];
  for (const [name, windowMinutes, provenAt, required] of cases) {
    it(`R-IMP-17: ${name}`, () => {
      const d = decideStepUp({ windowMinutes, provenAt, now });
      assert.equal(d.required, required);
      if (d.required) assert.equal(d.minutes, windowMinutes, 'the refusal names the minutes');
    });
  }

  const methods: [string, boolean, string, string[]][] = [
    ['a password only', true, 'none', ['password']],
    ['a password and an authenticator app', true, 'totp', ['password', 'totp']],
    ['a password and e-mail codes', true, 'email', ['password', 'email']],
    ['an authenticator app without a password (linked accounts)', false, 'totp', ['totp']],
    ['neither (signs in again instead)', false, 'none', []],
  ];
  for (const [name, hasPassword, twoFactorMethod, expected] of methods) {
    it(`R-IMP-17: proves with ${name}`, () => {
      assert.deepEqual(stepUpMethods({ hasPassword, twoFactorMethod }), expected);
    });
  }
});

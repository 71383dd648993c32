import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { issuerProblem, safeReturnTo, scopesProblem, secondFactorDue, signInPageFor } from './rules.ts';

// The pure rules of login services (issue 8), by tables.

describe('login service rules (issue 8)', () => {
  it('R-ADM-17: an issuer is https, or http on a loopback host only', () => {
    const cases: [string, boolean][] = [
      ['https://login.example.test/realms/staff', true],
      ['https://accounts.google.com', true],
      ['http://127.0.0.1:8080', true],
      ['http://localhost:8080/realm', true],
      ['http://[::1]:8080', true],
      ['http://login.example.test', false],
      ['http://127.0.0.1.evil.test', false],
      ['ftp://login.example.test', false],
      ['login.example.test', false],
      ['https://login.example.test/?tenant=1', false],
      ['https://login.example.test/#x', false],
      ['https://user:pw@login.example.test', false],
    ];
    for (const [issuer, ok] of cases) assert.equal(issuerProblem(issuer) === null, ok, issuer);
  });

  it('R-ADM-11: returnTo is a local path, anything else falls back', () => {
    const cases: [string | undefined, string][] = [
      ['/profile', '/profile'],
      ['/admin/users?x=1', '/admin/users?x=1'],
      [undefined, '/'],
      ['', '/'],
      ['https://evil.test/', '/'],
      ['//evil.test/', '/'],
      ['/\\evil.test', '/'],
      ['/\tevil', '/'],
      ['profile', '/'],
    ];
    for (const [value, expected] of cases) assert.equal(safeReturnTo(value, '/'), expected, String(value));
    assert.equal(signInPageFor('/admin'), '/admin/sign-in');
    assert.equal(signInPageFor('/admin/users'), '/admin/sign-in');
    assert.equal(signInPageFor('/administrator'), '/sign-in');
    assert.equal(signInPageFor('/profile'), '/sign-in');
  });

  it("R-ADM-13: Behalf's second factor is due unless the service trusts the provider's MFA and amr shows it", () => {
    const cases: [string, boolean, unknown, boolean][] = [
      ['none', false, undefined, false],
      ['email', false, ['mfa'], true],
      ['totp', true, undefined, true],
      ['totp', true, ['pwd'], true],
      ['totp', true, 'mfa', true],
      ['totp', true, ['pwd', 'mfa'], false],
      ['email', true, ['otp'], false],
      ['email', true, ['hwk'], false],
    ];
    for (const [method, trust, amr, due] of cases)
      assert.equal(secondFactorDue(method, trust, amr), due, `${method} ${trust} ${JSON.stringify(amr)}`);
  });

  it('R-ADM-17: scopes include openid, are tokens and do not repeat', () => {
    assert.equal(scopesProblem(['openid', 'email']), null);
    assert.notEqual(scopesProblem(['email']), null);
    assert.notEqual(scopesProblem(['openid', 'a b']), null);
    assert.notEqual(scopesProblem(['openid', 'openid']), null);
  });
});

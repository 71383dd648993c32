// The computed profile tags (R-ADM-03) and "cannot log in" (R-ADM-04), as tables.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cannotLogIn, displayName, isLocked, tagsOf, type LoginFacts, type User } from './user.ts';

const now = Date.UTC(2026, 10, 23, 9, 0, 0);

const base: User = {
  id: '019a1b2c-3d4e-7f60-8a7b-9c0d1e2f3a4b',
  username: 'ada',
  firstName: 'Ada',
  lastName: 'Lovelace',
  gender: 'female',
  language: 'en',
  primaryEmail: 'ada@example.test',
  role: 'user',
  generalPermissions: [],
  systemPermissions: [],
  active: true,
  hasPassword: true,
  twoFactorMethod: 'none',
  domainId: null,
  failedLogins: 0,
  lockedUntil: null,
  createdAt: now - 86_400_000,
  updatedAt: now - 86_400_000,
  version: 1,
};

const passwordOn: LoginFacts = { passwordLoginEnabled: true, enabledLinkedAccounts: 0 };
const passwordOff: LoginFacts = { passwordLoginEnabled: false, enabledLinkedAccounts: 0 };
const linked = (facts: LoginFacts): LoginFacts => ({ ...facts, enabledLinkedAccounts: 1 });

describe('cannotLogIn', () => {
  // hasPassword, password login on the login page, linked accounts at enabled services -> tag
  const table: [boolean, LoginFacts, boolean, string][] = [
    [true, passwordOn, false, 'a password and password login on'],
    [false, passwordOn, true, 'no password and no linked account'],
    [false, linked(passwordOn), false, 'no password, but a linked account at an enabled service'],
    [true, passwordOff, true, 'a password, but password login switched off, and no linked account'],
    [true, linked(passwordOff), false, 'password login off, but a linked account at an enabled service'],
    [false, passwordOff, true, 'nothing at all'],
    [false, linked(passwordOff), false, 'only a linked account'],
    [true, { passwordLoginEnabled: true, enabledLinkedAccounts: 3 }, false, 'everything'],
  ];
  for (const [hasPassword, facts, expected, name] of table) {
    it(`R-ADM-04: ${name} -> ${expected ? 'cannot log in' : 'can log in'}`, () => {
      assert.equal(cannotLogIn({ hasPassword }, facts), expected);
    });
  }
});

describe('tagsOf', () => {
  const table: [string, Partial<User>, LoginFacts, string[]][] = [
    ['an ordinary active user', {}, passwordOn, ['active']],
    ['an inactive user', { active: false }, passwordOn, ['inactive']],
    [
      'a system administrator (any system permission)',
      { systemPermissions: ['audit.read'] },
      passwordOn,
      ['active', 'system-administrator'],
    ],
    [
      'general permissions make no administrator',
      { generalPermissions: ['support', 'help'] },
      passwordOn,
      ['active'],
    ],
    ['a superadmin', { role: 'superadmin' }, passwordOn, ['active', 'superadmin']],
    [
      'a superadmin who also holds system permissions',
      { role: 'superadmin', systemPermissions: ['users.read'] },
      passwordOn,
      ['active', 'system-administrator', 'superadmin'],
    ],
    ['a power user', { role: 'power-user' }, passwordOn, ['active', 'power-user']],
    [
      'locked until a minute from now',
      { lockedUntil: now + 60_000, failedLogins: 5 },
      passwordOn,
      ['active', 'locked'],
    ],
    ['a lock that ended a moment ago', { lockedUntil: now - 1 }, passwordOn, ['active']],
    ['a lock that ends exactly now', { lockedUntil: now }, passwordOn, ['active']],
    ['failed logins below the threshold lock nothing', { failedLogins: 4 }, passwordOn, ['active']],
    ['no password', { hasPassword: false }, passwordOn, ['active', 'cannot-log-in']],
    ['no password, linked account', { hasPassword: false }, linked(passwordOn), ['active']],
    ['password login off', {}, passwordOff, ['active', 'cannot-log-in']],
    [
      'everything at once, in a stable order',
      {
        active: false,
        role: 'superadmin',
        systemPermissions: ['users.read'],
        lockedUntil: now + 1,
        hasPassword: false,
      },
      passwordOn,
      ['inactive', 'system-administrator', 'superadmin', 'locked', 'cannot-log-in'],
    ],
  ];
  for (const [name, overrides, facts, expected] of table) {
    it(`R-ADM-03: ${name} -> ${expected.join(', ')}`, () => {
      assert.deepEqual(tagsOf({ ...base, ...overrides }, now, facts), expected);
    });
  }

  it('R-ADM-03: exactly one of active and inactive, always first', () => {
    for (const active of [true, false]) {
      const tags = tagsOf({ ...base, active }, now, passwordOn);
      assert.equal(tags[0], active ? 'active' : 'inactive');
      assert.equal(tags.filter((t) => t === 'active' || t === 'inactive').length, 1);
    }
  });
});

describe('displayName and isLocked', () => {
  it('R-ADM-03: the display name is first and last name', () => {
    assert.equal(displayName({ firstName: 'Ada', lastName: 'Lovelace' }), 'Ada Lovelace');
    assert.equal(displayName({ firstName: 'Ada', lastName: '' }), 'Ada');
  });

  it('R-ADM-14: a lock holds strictly before its end', () => {
    assert.equal(isLocked({ lockedUntil: null }, now), false);
    assert.equal(isLocked({ lockedUntil: now + 1 }, now), true);
    assert.equal(isLocked({ lockedUntil: now }, now), false);
  });
});

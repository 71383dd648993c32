// The pure parts of application settings: patches, and reading what is stored.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  applySettingsPatch,
  defaultSettings,
  readSettingsDocument,
  settingsDocument,
  settingsPatch,
  type Settings,
} from './settings.schema.ts';

const clone = (s: Settings): Settings => structuredClone(s);

describe('settingsPatch (the PATCH body)', () => {
  const accepted: [string, unknown][] = [
    ['an empty patch', {}],
    ['one field of one section', { lockout: { threshold: 3 } }],
    ['an empty section', { sessions: {} }],
    [
      'fields of several sections',
      { lockout: { durationSeconds: 60 }, login: { passwordLoginEnabled: false } },
    ],
    [
      'the bounds',
      { lockout: { threshold: 1, durationSeconds: 7 * 24 * 3600 }, passwordPolicy: { minLength: 128 } },
    ],
  ];
  for (const [name, body] of accepted) {
    it(`R-ADM-14: accepts ${name}`, () => assert.equal(settingsPatch.safeParse(body).success, true));
  }

  const rejected: [string, unknown, string][] = [
    ['an unknown section', { lockuot: { threshold: 3 } }, ''],
    ['an unknown field', { lockout: { treshold: 3 } }, 'lockout'],
    ['a threshold of 0', { lockout: { threshold: 0 } }, 'lockout.threshold'],
    ['a threshold over 100', { lockout: { threshold: 101 } }, 'lockout.threshold'],
    ['a fractional threshold', { lockout: { threshold: 2.5 } }, 'lockout.threshold'],
    [
      'a duration of a second more than a week',
      { lockout: { durationSeconds: 7 * 24 * 3600 + 1 } },
      'lockout.durationSeconds',
    ],
    ['a string for a number', { lockout: { threshold: '5' } }, 'lockout.threshold'],
    ['a password minimum under 8', { passwordPolicy: { minLength: 7 } }, 'passwordPolicy.minLength'],
    ['a string for a boolean', { login: { passwordLoginEnabled: 'no' } }, 'login.passwordLoginEnabled'],
    ['null for a section', { sessions: null }, 'sessions'],
    ['an idle timeout of 0', { sessions: { idleTimeoutMinutes: 0 } }, 'sessions.idleTimeoutMinutes'],
  ];
  for (const [name, body, path] of rejected) {
    it(`R-OPS-03: rejects ${name}`, () => {
      const result = settingsPatch.safeParse(body);
      assert.equal(result.success, false);
      assert.ok(
        result.error.issues.some((i) => i.path.join('.') === path),
        `an issue at "${path}": ${JSON.stringify(result.error.issues)}`,
      );
    });
  }
});

describe('applySettingsPatch', () => {
  it('R-ADM-14: changes the named fields and keeps every other field and section', () => {
    const before = clone(defaultSettings);
    const next = applySettingsPatch(before, { lockout: { threshold: 3 } });
    assert.deepEqual(next, { ...defaultSettings, lockout: { ...defaultSettings.lockout, threshold: 3 } });
    assert.deepEqual(before, defaultSettings, 'the current settings are not mutated');
  });

  it('R-ADM-14: an empty patch changes nothing', () => {
    assert.deepEqual(applySettingsPatch(clone(defaultSettings), {}), defaultSettings);
    assert.deepEqual(applySettingsPatch(clone(defaultSettings), { lockout: {} }), defaultSettings);
  });

  it('R-OPS-03: refuses a result outside the schema', () => {
    assert.throws(() => applySettingsPatch(clone(defaultSettings), { lockout: { threshold: 0 } }));
  });

  it('R-ADM-14: applying any valid patch gives a valid document holding the patched values', () => {
    const patchArb = fc.record(
      {
        lockout: fc.record(
          {
            threshold: fc.integer({ min: 1, max: 100 }),
            durationSeconds: fc.integer({ min: 1, max: 604800 }),
          },
          { requiredKeys: [] },
        ),
        login: fc.record({ passwordLoginEnabled: fc.boolean() }, { requiredKeys: [] }),
        passwordPolicy: fc.record(
          { minLength: fc.integer({ min: 8, max: 128 }), requireSymbol: fc.boolean() },
          { requiredKeys: [] },
        ),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(patchArb, (patch) => {
        const next = applySettingsPatch(clone(defaultSettings), patch);
        assert.equal(settingsDocument.safeParse(next).success, true);
        for (const [section, values] of Object.entries(patch)) {
          for (const [field, value] of Object.entries(values)) {
            assert.equal((next as Record<string, Record<string, unknown>>)[section]![field], value);
          }
        }
      }),
    );
  });
});

describe('readSettingsDocument (what the database holds)', () => {
  it('a fresh platform (nothing or garbage stored) gets the defaults', () => {
    for (const stored of [undefined, null, 42, 'text', [], {}]) {
      assert.deepEqual(readSettingsDocument(stored), defaultSettings, JSON.stringify(stored));
    }
  });

  it('reads back what was written', () => {
    const custom = applySettingsPatch(clone(defaultSettings), {
      lockout: { threshold: 3, durationSeconds: 60 },
      login: { passwordLoginEnabled: false },
    });
    assert.deepEqual(readSettingsDocument(JSON.parse(JSON.stringify(custom))), custom);
  });

  it('fills sections and fields added since the document was written from the defaults', () => {
    const old = { lockout: { threshold: 3 }, login: { passwordLoginEnabled: false } };
    assert.deepEqual(readSettingsDocument(old), {
      ...defaultSettings,
      lockout: { ...defaultSettings.lockout, threshold: 3 },
      login: { passwordLoginEnabled: false },
    });
  });

  it('drops fields it does not know and keeps every other setting (a newer instance wrote them)', () => {
    const newer = {
      ...defaultSettings,
      lockout: { threshold: 3, durationSeconds: 60, escalating: true },
      login: { passwordLoginEnabled: false, rememberMe: true },
      futureSection: { on: true },
    };
    const read = readSettingsDocument(newer);
    assert.deepEqual(read.lockout, { threshold: 3, durationSeconds: 60 });
    assert.deepEqual(read.login, { passwordLoginEnabled: false }, 'password login stays switched off');
    assert.ok(!('futureSection' in read));
  });

  it('an invalid stored field falls back to its own default only', () => {
    const read = readSettingsDocument({
      ...defaultSettings,
      lockout: { threshold: 0, durationSeconds: 60 },
      login: { passwordLoginEnabled: false },
      sessions: 'broken',
    });
    assert.deepEqual(read.lockout, { threshold: defaultSettings.lockout.threshold, durationSeconds: 60 });
    assert.deepEqual(read.login, { passwordLoginEnabled: false });
    assert.deepEqual(read.sessions, defaultSettings.sessions);
  });
});

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AppError } from '../shared/errors.ts';
import {
  coreCapabilities,
  effectiveBlockedCapabilities,
  isExtensionCapability,
  settingFromRequest,
} from './capabilities.ts';

// issue 7 #3, R-IMP-04: the catalogue's pure rules by table.

describe('issue 7 #3: capability names (R-IMP-04)', () => {
  const names: Array<[string, boolean, string]> = [
    ['crm.export', true, 'vendor.thing'],
    ['lms.course_purchase.refund', true, 'more segments'],
    ['crm', false, 'one word: no vendor'],
    ['CRM.export', false, 'upper case'],
    ['crm..export', false, 'empty segment'],
    ['crm.export ', false, 'trailing space'],
    ['password.chnage', false, "a typo in the core's namespace"],
    ['payments.refund', false, "the core's namespace"],
    ['two_factor.reset', false, "the core's namespace"],
    [`crm.${'x'.repeat(61)}`, false, 'longer than 64'],
    ['', false, 'empty'],
  ];
  for (const [name, ok, why] of names) {
    it(`issue 7 #3: '${name.slice(0, 20)}' is ${ok ? '' : 'not '}an extension (${why})`, () => {
      assert.equal(isExtensionCapability(name), ok);
    });
  }

  it('issue 7 #3: the effective list is the core first, whatever the setting', () => {
    assert.deepEqual(effectiveBlockedCapabilities([]), [...coreCapabilities]);
    assert.deepEqual(effectiveBlockedCapabilities(['crm.export', 'telephony']), [
      ...coreCapabilities,
      'crm.export',
    ]);
  });

  it('issue 7 #3: a request keeps its additions, drops the core, and refuses unknown names', () => {
    assert.deepEqual(settingFromRequest(['password.change', 'crm.export', 'crm.export'], 'f'), [
      'crm.export',
    ]);
    assert.deepEqual(settingFromRequest([], 'f'), []);
    assert.throws(
      () => settingFromRequest(['crm.export', 'nope'], 'f'),
      (e: unknown) =>
        e instanceof AppError &&
        e.code === 'unknown_capability' &&
        e.fieldErrors?.length === 1 &&
        e.fieldErrors[0]!.field === 'f.1',
    );
    const many = Array.from({ length: 101 }, (_, i) => `crm.x${i}`);
    assert.throws(
      () => settingFromRequest(many, 'f'),
      (e: unknown) => e instanceof AppError && e.status === 422,
    );
  });
});

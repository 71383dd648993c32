import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { checkHostName } from './host-names.ts';

describe('domain host names (R-IMP-02: the session runs on the domain host name)', () => {
  const accepted: Array<[string, string]> = [
    ['login.example.com', 'login.example.com'],
    ['Login.EXAMPLE.com', 'login.example.com'],
    ['  acme.example.test  ', 'acme.example.test'],
    ['acme.example.test.', 'acme.example.test'],
    ['intranet', 'intranet'],
    ['a-b.c-d.example', 'a-b.c-d.example'],
    ['xn--bcher-kva.example', 'xn--bcher-kva.example'],
    ['Bücher.example', 'xn--bcher-kva.example'],
    ['1und1.de', '1und1.de'],
    [`${'a'.repeat(63)}.example`, `${'a'.repeat(63)}.example`],
  ];
  for (const [input, expected] of accepted) {
    it(`accepts ${JSON.stringify(input)} as ${expected}`, () => {
      assert.deepEqual(checkHostName(input), { ok: true, hostName: expected });
    });
  }

  const refused = [
    '',
    '   ',
    'https://acme.example',
    'acme.example:8443',
    'acme.example/path',
    'acme..example',
    '.acme.example',
    '-acme.example',
    'acme-.example',
    'ac_me.example',
    'ac me.example',
    '192.168.1.10',
    '[::1]',
    'user@acme.example',
    `${'a'.repeat(64)}.example`,
    `${'abcdefghi.'.repeat(26)}com`,
  ];
  for (const input of refused) {
    it(`refuses ${JSON.stringify(input)}`, () => {
      const result = checkHostName(input);
      assert.equal(result.ok, false);
      if (!result.ok) assert.ok(result.message.length > 0);
    });
  }
});

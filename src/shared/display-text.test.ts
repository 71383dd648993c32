// Issue 7 #19: which display texts are refused, by table and property.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { displayTextProblem } from './display-text.ts';
import { emailLengthProblem } from '../users/email-address.ts';

describe('issue 7 #19: display text and e-mail length rules', () => {
  it('issue 7 #19: control, bidi and invisible characters are refused; ordinary text is not', () => {
    const table: Array<[string, 'one-line' | 'multi-line', boolean]> = [
      ['Support team', 'one-line', true],
      ['Müller & Söhne – Ü ✓ 😀', 'one-line', true],
      ['👩\u200D💻 developers', 'one-line', true], // zero-width joiner in an emoji sequence
      ['שלום\u200F team', 'one-line', true], // right-to-left mark
      ['Bell\u0007', 'one-line', false],
      ['Esc\u001B[31m', 'one-line', false],
      ['Del\u007F', 'one-line', false],
      ['Next line\u0085', 'one-line', false], // C1
      ['Admins\u202Esnimda', 'one-line', false],
      ['a\u2066b\u2069', 'one-line', false],
      ['Sup\u200Bport', 'one-line', false],
      ['\uFEFFSupport', 'one-line', false],
      ['Two\nlines', 'one-line', false],
      ['Tab\there', 'one-line', false],
      ['Line\u2028separator', 'one-line', false],
      ['Two\nlines\r\nand\ttab', 'multi-line', true],
      ['Line\u2028separator', 'multi-line', true],
      ['Bell\u0007', 'multi-line', false],
      ['Trojan \u202Esource', 'multi-line', false],
    ];
    for (const [text, kind, allowed] of table) {
      assert.equal(displayTextProblem(text, kind) === null, allowed, `${JSON.stringify(text)} (${kind})`);
    }
  });

  it('issue 7 #19: property: a text without Cc or Cf characters is allowed in several lines', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), (text) => {
        const problem = displayTextProblem(text, 'multi-line');
        if (!/[\p{Cc}\p{Cf}]/u.test(text)) assert.equal(problem, null, JSON.stringify(text));
      }),
    );
  });

  it('issue 7 #19: e-mail addresses within RFC 5321 lengths (in octets) pass, longer ones do not', () => {
    const labels = (n: number, len: number) => Array.from({ length: n }, () => 'c'.repeat(len)).join('.');
    const table: Array<[string, boolean]> = [
      ['ann@example.test', true],
      [`${'a'.repeat(64)}@example.test`, true],
      [`${'a'.repeat(65)}@example.test`, false],
      [`${'ä'.repeat(32)}@example.test`, true], // 64 octets
      [`${'ä'.repeat(33)}@example.test`, false], // 66 octets, 33 characters
      [`ann@${'b'.repeat(63)}.test`, true],
      [`ann@${'b'.repeat(64)}.test`, false],
      [`abc@${labels(4, 61)}.de`, true], // 254 in all
      [`abcd@${labels(4, 61)}.de`, false], // 255
      [`a@${labels(5, 51)}`, false], // domain of 259 octets
    ];
    for (const [address, ok] of table) {
      assert.equal(emailLengthProblem(address) === null, ok, `${address.length}: ${address}`);
    }
  });
});

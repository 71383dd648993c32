// Issue 7 #19: the username profile (PRECIS UsernameCaseMapped, RFC 8265, plus one script) as
// pure rules, by tables and properties.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { prepareUsername, scriptOf, usernameKey, usernameProblem } from './username.ts';

/** The fullwidth form of printable ASCII (U+FF01..U+FF5E). */
const fullwidth = (s: string) =>
  [...s].map((c) => (c >= '!' && c <= '~' ? String.fromCodePoint(c.codePointAt(0)! + 0xfee0) : c)).join('');

describe('issue 7 #19: usernames by the PRECIS profile', () => {
  it('issue 7 #19: which usernames are allowed, and why others are not', () => {
    const table: Array<[string, ReturnType<typeof usernameProblem>]> = [
      ['SAdmin', null],
      ['john.doe_2-x', null],
      ['Jürgen', null],
      ['école', null],
      ['Иван', null],
      ['Ελένη', null],
      ['山田たろう', null], // Han with Hiragana: Japanese
      ['홍길동', null],
      ['שלום', null],
      ['ﬀoo', 'username_invalid'], // ligature: a compatibility form
      ['𝐚dmin', 'username_invalid'], // mathematical bold a
      ['①admin', 'username_invalid'],
      ['x²', 'username_invalid'],
      ['ad min', 'username_invalid'],
      ['ad\u00A0min', 'username_invalid'],
      ['a@b', 'username_invalid'],
      ['ad\u202Emin', 'username_invalid'], // bidi override
      ['ad\u200Bmin', 'username_invalid'], // zero-width space
      ['ad\u0007min', 'username_invalid'],
      ['€uro', 'username_invalid'],
      ['1שלום', 'username_invalid'], // RFC 5893 rule 1: starts with a letter
      ['\u0430dmin', 'username_mixed_scripts'], // Cyrillic а + Latin
      ['p\u0430ypal', 'username_mixed_scripts'],
      ['\u03BFpen', 'username_mixed_scripts'], // Greek ο + Latin
      ['abcИван', 'username_mixed_scripts'],
    ];
    for (const [name, expected] of table) {
      assert.equal(usernameProblem(prepareUsername(name)), expected, JSON.stringify(name));
    }
  });

  it('issue 7 #19: look-alikes share one key: width, case and compatibility forms', () => {
    const same: Array<[string, string]> = [
      ['ｆｆｏｏ', 'ffoo'],
      ['ＳＡｄｍｉｎ', 'sadmin'],
      ['FFOO', 'ffoo'],
      ['ﬀoo', 'ffoo'], // older rows may hold it; new ones are refused
      ['Ｍüｌｌｅｒ', 'müller'],
      ['e\u0301cole', 'école'], // decomposed and composed é
    ];
    for (const [a, b] of same) assert.equal(usernameKey(prepareUsername(a)), usernameKey(b), a);
    assert.notEqual(
      usernameKey('\u0430dmin'),
      usernameKey('admin'),
      'scripts are not folded: refused instead',
    );
    assert.equal(prepareUsername('ｊｏｈｎ．ｄｏｅ'), 'john.doe', 'stored as ordinary letters');
    assert.equal(prepareUsername('SAdmin'), 'SAdmin', 'case is kept for display');
  });

  it('issue 7 #19: scripts are told apart by the Unicode Script property', () => {
    assert.equal(scriptOf('a'), 'Latin');
    assert.equal(scriptOf('\u0430'), 'Cyrillic');
    assert.equal(scriptOf('\u03B1'), 'Greek');
    assert.equal(scriptOf('山'), 'Han');
  });

  it('issue 7 #19: properties: keys ignore case and width; preparing and keying are idempotent', () => {
    const ascii = fc.stringMatching(/^[A-Za-z0-9._-]{3,20}$/);
    fc.assert(
      fc.property(ascii, (name) => {
        assert.equal(usernameProblem(prepareUsername(name)), null);
        assert.equal(usernameKey(prepareUsername(fullwidth(name))), usernameKey(name));
        assert.equal(usernameKey(name.toUpperCase()), usernameKey(name.toLowerCase()));
      }),
    );
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 20 }), (raw) => {
        const prepared = prepareUsername(raw);
        assert.equal(prepareUsername(prepared), prepared);
        assert.equal(usernameKey(usernameKey(prepared)), usernameKey(prepared));
      }),
    );
  });

  it('issue 7 #19: property: an allowed username has no control, format or space characters', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 12 }), (raw) => {
        const prepared = prepareUsername(raw);
        if (usernameProblem(prepared) === null) assert.doesNotMatch(prepared, /[\p{C}\p{Z}\p{S}]/u);
      }),
      { numRuns: 1000 },
    );
  });
});

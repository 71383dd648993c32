// Usernames that look alike must not name different people (issue 7 #19): an administrator
// reading "ｓａｄｍｉｎ", "ﬀoo" or a Cyrillic "аdmin" in a list or the audit trail would take
// them for "sadmin", "ffoo" and "admin". So usernames follow the PRECIS profiles of RFC 8265
// (built on the IdentifierClass of RFC 8264), with one rule of our own (a single script):
//
// - Preparation (what is stored and shown, case kept as typed, i.e. UsernameCasePreserved):
//   fullwidth and halfwidth forms are mapped to their ordinary letters (width mapping), then NFC.
// - Allowed code points: ASCII letters and digits, ".", "_", "-" (no "@": a username must not
//   look like an e-mail address, login takes both), and beyond ASCII the PRECIS letters and
//   digits (Ll, Lu, Lo, Lm, Nd, Mn, Mc) that have no compatibility decomposition. Refused:
//   controls, spaces, symbols, punctuation, format characters (bidi overrides, zero-width),
//   unassigned code points, and compatibility forms such as ligatures (ﬀ), superscripts,
//   circled or mathematical letters (𝐚), which RFC 8264 disallows because they look like others.
// - One script: letters from at most one script besides Common and Inherited (digits, ".", "_",
//   "-", combining marks), except the usual combinations of Han with Hiragana and Katakana
//   (Japanese), Bopomofo (Chinese) or Hangul (Korean), as UTS #39's restriction levels allow.
//   This refuses "аdmin" (Cyrillic а + Latin dmin). It does not catch a name written wholly in
//   another script that happens to look Latin ("рор"); that needs UTS #39's confusable data.
// - Directionality: a name with right-to-left letters starts with a letter (RFC 5893, rule 1),
//   so that no leading digit or "-" is displayed on the other side.
// - Comparison key (UsernameCaseMapped, stored in users.username_key under a unique index):
//   NFKC, lower case, NFKC again. Every lookup (uniqueness, login) compares keys. For names
//   allowed today NFKC changes nothing after width mapping; it also folds the compatibility
//   forms older rows may hold, so "ﬀoo" stored before this rule still collides with "ffoo".

export const usernameMinLength = 3;
export const usernameMaxLength = 64;

/** Fullwidth and halfwidth forms (U+FF01..U+FFEE) and the ideographic space. */
const widthForms = /[\u3000\uFF01-\uFFEE]/gu;

/** Pure: RFC 8264 width mapping, then NFC. What a username is stored and shown as. */
export function prepareUsername(raw: string): string {
  return raw.replace(widthForms, (c) => c.normalize('NFKC')).normalize('NFC');
}

/** Pure: the comparison key. Two usernames with the same key are the same username. */
export function usernameKey(username: string): string {
  return username.normalize('NFKC').toLowerCase().normalize('NFKC');
}

export type UsernameProblem = 'username_invalid' | 'username_mixed_scripts';

const asciiAllowed = /^[A-Za-z0-9._-]$/u;
const letterDigit = /^[\p{Ll}\p{Lu}\p{Lo}\p{Lm}\p{Nd}\p{Mn}\p{Mc}]$/u;
const neutral = /^[\p{Script=Common}\p{Script=Inherited}]$/u;

/**
 * Pure: why a prepared username is refused, or null. Length is checked by the schema; this
 * looks at the code points only.
 */
export function usernameProblem(prepared: string): UsernameProblem | null {
  const scripts = new Set<string>();
  for (const c of prepared) {
    if (c.charCodeAt(0) < 0x80) {
      if (!asciiAllowed.test(c)) return 'username_invalid';
      if (/[A-Za-z]/.test(c)) scripts.add('Latin');
      continue;
    }
    if (!letterDigit.test(c) || c.normalize('NFKC') !== c) return 'username_invalid';
    if (neutral.test(c)) continue;
    const script = scriptOf(c);
    if (script === null) return 'username_invalid';
    scripts.add(script);
  }
  if (!singleScript(scripts)) return 'username_mixed_scripts';
  if (startsWrongForRtl(prepared)) return 'username_invalid';
  return null;
}

/** Han may go with the scripts that Japanese, Chinese and Korean write beside it. */
const cjkSets = [
  ['Han', 'Hiragana', 'Katakana'],
  ['Han', 'Bopomofo'],
  ['Han', 'Hangul'],
];

function singleScript(scripts: Set<string>): boolean {
  if (scripts.size <= 1) return true;
  return cjkSets.some((set) => [...scripts].every((s) => set.includes(s)));
}

const rtlScripts = new Set(['Arabic', 'Hebrew', 'Syriac', 'Thaana', 'Nko', 'Samaritan', 'Mandaic', 'Adlam']);

function startsWrongForRtl(prepared: string): boolean {
  const chars = [...prepared];
  if (!chars.some((c) => rtlScripts.has(scriptOf(c) ?? ''))) return false;
  return !/^[\p{L}]$/u.test(chars[0]!);
}

// Scripts in the order most usernames use them, so the common case tests few expressions.
// Names unknown to this engine's Unicode version are skipped (the RegExp constructor throws).
const scriptNames = [
  'Latin',
  'Cyrillic',
  'Greek',
  'Han',
  'Hiragana',
  'Katakana',
  'Hangul',
  'Arabic',
  'Hebrew',
  'Devanagari',
  'Thai',
  'Armenian',
  'Georgian',
  'Bengali',
  'Tamil',
  'Telugu',
  'Kannada',
  'Malayalam',
  'Gujarati',
  'Gurmukhi',
  'Oriya',
  'Sinhala',
  'Lao',
  'Khmer',
  'Myanmar',
  'Tibetan',
  'Ethiopic',
  'Bopomofo',
  'Mongolian',
  'Syriac',
  'Thaana',
  'Cherokee',
  'Canadian_Aboriginal',
  'Yi',
  'Tifinagh',
  'Nko',
  'Vai',
  'Javanese',
  'Sundanese',
  'Balinese',
  'Buginese',
  'Batak',
  'Cham',
  'Lisu',
  'Adlam',
  'Ol_Chiki',
  'Coptic',
  'Glagolitic',
  'Runic',
  'Ogham',
  'Tagalog',
  'Hanunoo',
  'Buhid',
  'Tagbanwa',
  'Limbu',
  'Tai_Le',
  'New_Tai_Lue',
  'Tai_Tham',
  'Tai_Viet',
  'Lepcha',
  'Saurashtra',
  'Kayah_Li',
  'Rejang',
  'Bamum',
  'Meetei_Mayek',
  'Chakma',
  'Miao',
  'Samaritan',
  'Mandaic',
  'Syloti_Nagri',
  'Phags_Pa',
  'Osage',
  'Hanifi_Rohingya',
  'Wancho',
  'Nyiakeng_Puachue_Hmong',
  'Pahawh_Hmong',
  'Mende_Kikakui',
  'Bassa_Vah',
  'Newa',
  'Tirhuta',
  'Sharada',
  'Takri',
  'Khojki',
  'Khudawadi',
  'Mahajani',
  'Modi',
  'Kaithi',
  'Brahmi',
  'Grantha',
  'Siddham',
  'Dogra',
  'Masaram_Gondi',
  'Gunjala_Gondi',
  'Soyombo',
  'Zanabazar_Square',
  'Marchen',
  'Bhaiksuki',
  'Ahom',
  'Dives_Akuru',
  'Nandinagari',
  'Makasar',
  'Medefaidrin',
  'Toto',
  'Kawi',
  'Nag_Mundari',
  'Tangsa',
  'Vithkuqi',
  'Cypro_Minoan',
  'Old_Uyghur',
  'Tangut',
  'Nushu',
  'Khitan_Small_Script',
  'Yezidi',
  'Chorasmian',
  'Elymaic',
  'Sogdian',
  'Old_Sogdian',
  'Hatran',
  'Nabataean',
  'Palmyrene',
  'Old_Hungarian',
  'Old_Permic',
  'Old_North_Arabian',
  'Old_South_Arabian',
  'Old_Turkic',
  'Old_Italic',
  'Old_Persian',
  'Gothic',
  'Deseret',
  'Shavian',
  'Osmanya',
  'Elbasan',
  'Caucasian_Albanian',
  'Linear_A',
  'Linear_B',
  'Cypriot',
  'Lycian',
  'Carian',
  'Lydian',
  'Phoenician',
  'Ugaritic',
  'Avestan',
  'Imperial_Aramaic',
  'Inscriptional_Parthian',
  'Inscriptional_Pahlavi',
  'Psalter_Pahlavi',
  'Manichaean',
  'Kharoshthi',
  'Meroitic_Cursive',
  'Meroitic_Hieroglyphs',
  'Egyptian_Hieroglyphs',
  'Anatolian_Hieroglyphs',
  'Cuneiform',
  'Duployan',
  'SignWriting',
  'Multani',
  'Sora_Sompeng',
  'Warang_Citi',
  'Pau_Cin_Hau',
  'Mro',
  'Braille',
];

const scriptTests: Array<[string, RegExp]> = scriptNames.flatMap((name) => {
  try {
    return [[name, new RegExp(`^\\p{Script=${name}}$`, 'u')] as [string, RegExp]];
  } catch {
    return [];
  }
});

/** Pure: the Unicode script of one code point (by the Script property), or null if unlisted. */
export function scriptOf(c: string): string | null {
  for (const [name, re] of scriptTests) if (re.test(c)) return name;
  return null;
}

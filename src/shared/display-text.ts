// Texts that people read on screen and in mail (names, group and domain names, policy titles,
// notification texts, reasons) hold no characters that change how other text is displayed
// (issue 7 #19). Refused, never stored:
// - control characters (C0, DEL, C1: \p{Cc}); multi-line texts keep tab, line feed and
//   carriage return, one-line texts none of them;
// - bidirectional embeddings, overrides and isolates (U+202A..U+202E, U+2066..U+2069): they
//   reorder what follows, so "Admins\u202Esnimda" shows as something else ("Trojan Source");
// - invisible separators: zero-width space U+200B, word joiner U+2060, byte order mark U+FEFF
//   (they make two names that look identical differ);
// - in one-line texts also the line and paragraph separators U+2028 and U+2029.
// Kept: zero-width joiner and non-joiner (U+200C, U+200D), which emoji and several scripts
// need, and the left-to-right and right-to-left marks (U+200E, U+200F), which only affect
// neutral characters next to them.

const always =
  // eslint-disable-next-line no-control-regex -- finding control characters is the point
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u200B\u202A-\u202E\u2060\u2066-\u2069\uFEFF]/u;
const oneLineOnly = /[\t\n\r\u2028\u2029]/u;

export type DisplayTextKind = 'one-line' | 'multi-line';

/** Pure: a reason to refuse the text, or null when it may be stored and shown. */
export function displayTextProblem(value: string, kind: DisplayTextKind = 'one-line'): string | null {
  if (always.test(value)) {
    return 'must not contain control characters or invisible formatting characters (such as bidi overrides)';
  }
  if (kind === 'one-line' && oneLineOnly.test(value)) return 'must be one line (no tabs or line breaks)';
  return null;
}

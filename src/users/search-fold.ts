// How the admin search compares names (issue 10 #15): without regard to case, accents or the
// German way of writing umlauts. Pure; the indexed text and the search term both pass through
// here, and migration 0021 holds a frozen copy of this file's rules.
//
// Why two forms: a German "ö" is written "oe" when the letter is missing, and dropped to "o" by
// people who type without accents. "Schröder" must be found by "schroeder" and by "schroder".
// Folding "oe" to "o" on both sides would also turn "Michael" into "michal" and break
// substrings that start inside the pair ("eder" no longer finds "Schroeder"). Instead the index
// holds a name with umlauts twice, once with the base letter and once with the letter + e; a
// term is folded one way (umlaut -> letter + e), which leaves a term typed without umlauts as
// it is, so substring matching stays exact and trigram lookups stay correct.

// Letters that Unicode does not decompose into a base letter and a mark.
const letters: Record<string, string> = {
  ß: 'ss',
  æ: 'ae',
  œ: 'oe',
  ð: 'd',
  đ: 'd',
  ħ: 'h',
  ı: 'i',
  ł: 'l',
  þ: 'th',
  ŧ: 't',
};
const lettersPattern = new RegExp(`[${Object.keys(letters).join('')}]`, 'gu');

// The letters German (and Danish/Norwegian ø) write with an e when the umlaut is missing.
const umlautsToBase: Record<string, string> = { ä: 'a', ö: 'o', ü: 'u', ø: 'o' };
const umlautsToE: Record<string, string> = { ä: 'ae', ö: 'oe', ü: 'ue', ø: 'oe' };
const umlautPattern = /[äöüø]/gu;

function finish(text: string): string {
  return text
    .replace(lettersPattern, (c) => letters[c]!)
    .normalize('NFKD')
    .replace(/\p{M}/gu, '');
}

const prepare = (text: string) => text.normalize('NFC').toLowerCase();

/** A search term as the index holds text: lower-case, no marks, umlauts as letter + e. */
export function foldTerm(text: string): string {
  return finish(prepare(text).replace(umlautPattern, (c) => umlautsToE[c]!));
}

/**
 * The text to index: lower-case, without marks; when it holds umlauts, followed by a second
 * copy that writes them as letter + e. Folding its own result gives the same text again.
 */
export function foldForIndex(text: string): string {
  const lower = prepare(text);
  const base = finish(lower.replace(umlautPattern, (c) => umlautsToBase[c]!));
  const withE = finish(lower.replace(umlautPattern, (c) => umlautsToE[c]!));
  return base === withE ? base : `${base} ${withE}`;
}

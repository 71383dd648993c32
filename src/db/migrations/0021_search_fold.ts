import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../database.ts';

// Frozen in time. The admin search folds accents and German umlauts (issue 10 #15,
// src/users/search-fold.ts): search_text of every existing user is rewritten to the folded
// form, here in JavaScript (neither engine can strip marks alike in SQL), with a copy of the
// rules as they were when this migration was written. Only rows whose text changes are written;
// the indexes follow by themselves (SQLite: the users_search_update trigger of 0002 updates
// the FTS table; PostgreSQL: the GIN index is on the column).

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
const umlautsToBase: Record<string, string> = { ä: 'a', ö: 'o', ü: 'u', ø: 'o' };
const umlautsToE: Record<string, string> = { ä: 'ae', ö: 'oe', ü: 'ue', ø: 'oe' };
const umlautPattern = /[äöüø]/gu;

const finish = (text: string) =>
  text
    .replace(lettersPattern, (c) => letters[c]!)
    .normalize('NFKD')
    .replace(/\p{M}/gu, '');

function foldForIndex(text: string): string {
  const lower = text.normalize('NFC').toLowerCase();
  const base = finish(lower.replace(umlautPattern, (c) => umlautsToBase[c]!));
  const withE = finish(lower.replace(umlautPattern, (c) => umlautsToE[c]!));
  return base === withE ? base : `${base} ${withE}`;
}

const page = 10_000;

export async function up(db: Kysely<unknown>, _dialect: Dialect): Promise<void> {
  let after: string | null = null;
  for (;;) {
    const rows: Array<{ id: string; search_text: string }> = (
      await sql<{ id: string; search_text: string }>`SELECT id, search_text FROM users
        ${after === null ? sql`` : sql`WHERE id > ${after}`} ORDER BY id LIMIT ${page}`.execute(db)
    ).rows;
    for (const row of rows) {
      // The old text was the lower-cased fields; folding it equals folding the fields.
      const folded = foldForIndex(row.search_text);
      if (folded !== row.search_text) {
        await sql`UPDATE users SET search_text = ${folded} WHERE id = ${row.id}`.execute(db);
      }
    }
    if (rows.length < page) break;
    after = rows[rows.length - 1]!.id;
  }
}

// issue 10 #9: one word per concept, the seeds' words. docs/glossary.md names the German words
// and the synonyms that must not appear; this test reads that table and fails on any synonym
// in the German resource files.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { stringFiles } from './web-strings.ts';

const glossary = readFileSync(new URL('../docs/glossary.md', import.meta.url), 'utf8');

/** The forbidden synonyms of the glossary's third column, as patterns, with the right word. */
export function forbiddenSynonyms(text: string): Array<{ pattern: RegExp; use: string; entry: string }> {
  const out: Array<{ pattern: RegExp; use: string; entry: string }> = [];
  for (const line of text.split('\n')) {
    const cells = line.split(/(?<!\\)\|/).map((c) => c.trim());
    if (cells.length < 5 || !cells[3]?.includes('`')) continue;
    for (const [, entry] of cells[3].matchAll(/`([^`]+)`/g)) {
      const regex = /^\/(.+)\/([a-z]*)$/.exec(entry!);
      const pattern = regex
        ? new RegExp(regex[1]!, `${regex[2]!.replace('i', '')}i`)
        : new RegExp(entry!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'iu');
      out.push({ pattern, use: cells[2]!, entry: entry! });
    }
  }
  return out;
}

/** Every text of a resource file with its dotted key, placeholders removed. */
function texts(tree: unknown, prefix = ''): Array<[string, string]> {
  if (typeof tree === 'string') return [[prefix, tree.replace(/\{\{[^}]*\}\}|\$t\([^)]*\)/g, '')]];
  if (!tree || typeof tree !== 'object') return [];
  return Object.entries(tree).flatMap(([k, v]) => texts(v, prefix ? `${prefix}.${k}` : k));
}

function violations(strings: unknown, file: string): string[] {
  const found: string[] = [];
  for (const [key, value] of texts(strings)) {
    for (const { pattern, use, entry } of forbiddenSynonyms(glossary)) {
      if (pattern.test(value)) found.push(`${file} ${key}: "${entry}" -> ${use}`);
    }
  }
  return found;
}

describe('glossary (issue 10 #9)', () => {
  it("issue 10 #9: the glossary lists forbidden synonyms for the issue's examples", () => {
    const entries = forbiddenSynonyms(glossary).map((f) => f.entry);
    for (const word of [
      'Impersonation',
      'Audit-Protokoll',
      'Kennwort',
      'Power-User',
      'Domäne',
      'Mail-Ausgang',
    ]) {
      assert.ok(entries.includes(word), word);
    }
  });

  it('issue 10 #9: the check finds a forbidden synonym (and leaves the right words alone)', () => {
    const sample = {
      a: 'Das Audit-Protokoll', // forbidden
      b: 'Anmeldung als Benutzer beendet', // forbidden
      c: 'Zurück zu Ihrem Konto', // forbidden: the seed says "… wechseln"
      d: 'Die aktuellen Bedingungen', // forbidden: Nutzungsbedingungen
      e: 'Zurück zu Ihrem Konto wechseln · Nutzungsbedingungen · Audit-Trail · {{impersonation}}',
    };
    assert.deepEqual(
      violations(sample, 'sample').map((v) => v.split(':')[0]),
      ['sample a', 'sample b', 'sample c', 'sample d'],
    );
  });

  it('issue 10 #9: no German resource file uses a forbidden synonym (R-OPS-02)', () => {
    const found = stringFiles('de').flatMap((file) =>
      violations(JSON.parse(readFileSync(file, 'utf8')), basename(file)),
    );
    assert.deepEqual(found, []);
  });
});

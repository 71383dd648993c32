// R-OPS-02: the interface in German and English. Both resource files hold the same keys, and
// every key the web code names literally in t('...') exists in them.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { loadStrings, stringKeys, webSource } from './web-strings.ts';

const dir = webSource;
const load = loadStrings;
const keys = (tree: Record<string, unknown>) => stringKeys(tree);

function sources(path: string): string[] {
  return readdirSync(path).flatMap((name) => {
    const full = join(path, name);
    if (statSync(full).isDirectory()) return sources(full);
    return /\.tsx?$/.test(name) ? [full] : [];
  });
}

describe('web interface strings', () => {
  const en = new Set(keys(load('en')));
  const de = new Set(keys(load('de')));

  it('R-OPS-02: German and English have the same keys', () => {
    assert.deepEqual(
      [...en].filter((k) => !de.has(k)),
      [],
      'missing in de.json',
    );
    assert.deepEqual(
      [...de].filter((k) => !en.has(k)),
      [],
      'missing in en.json',
    );
  });

  it('R-OPS-02: every literal t() key exists (plural keys by their _one/_other forms)', () => {
    const used = new Set<string>();
    for (const file of sources(dir)) {
      for (const m of readFileSync(file, 'utf8').matchAll(/\bt\(\s*'([a-zA-Z0-9_.-]+)'/g)) used.add(m[1]!);
    }
    assert.ok(used.size > 50, `found ${used.size} keys`);
    const missing = [...used].filter((k) => !en.has(k) && !en.has(`${k}_other`));
    assert.deepEqual(missing, []);
  });
});

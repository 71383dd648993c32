// The web app's interface strings as the app sees them: en.json / de.json with the area files
// (web/src/i18n/areas/<area>.<lng>.json) merged in, as web/src/i18n/index.ts does.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const webSource = new URL('../web/src/', import.meta.url).pathname;
const i18nDir = join(webSource, 'i18n');

/** The resource files of one language: the main file and its area files. */
export function stringFiles(lng: string): string[] {
  const areas = join(i18nDir, 'areas');
  return [
    join(i18nDir, `${lng}.json`),
    ...readdirSync(areas)
      .filter((n) => n.endsWith(`.${lng}.json`))
      .map((n) => join(areas, n)),
  ];
}

export function loadStrings(lng: string): Record<string, unknown> {
  const [main, ...areas] = stringFiles(lng);
  const merged = JSON.parse(readFileSync(main!, 'utf8')) as Record<string, unknown>;
  for (const file of areas) {
    const strings = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    for (const [section, value] of Object.entries(strings)) {
      assert.ok(!(section in merged), `section "${section}" of ${file} is defined twice`);
      merged[section] = value;
    }
  }
  return merged;
}

/** Dotted paths of every string. */
export function stringKeys(tree: Record<string, unknown>, prefix = ''): string[] {
  return Object.entries(tree).flatMap(([k, v]) =>
    v && typeof v === 'object'
      ? stringKeys(v as Record<string, unknown>, `${prefix}${k}.`)
      : [`${prefix}${k}`],
  );
}

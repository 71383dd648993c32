import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import de from './de.json';
import en from './en.json';

// Every visible string comes from de.json / en.json through t(). The signed-in user's language
// (from GET /api/v1/session) decides; before sign-in, the language last chosen in this browser
// (issue 10 #7), else the browser's preferred languages.
// Adding a string: put the same key into both files (a test compares their keys).

export const languages = ['en', 'de'] as const;
export type UiLanguage = (typeof languages)[number];

export function isUiLanguage(value: string | null | undefined): value is UiLanguage {
  return (languages as readonly string[]).includes(value ?? '');
}

/** The first of the browser's languages that the interface speaks, else English. */
export function browserLanguage(): UiLanguage {
  for (const tag of navigator.languages ?? [navigator.language]) {
    const base = tag.toLowerCase().split('-')[0];
    if (isUiLanguage(base)) return base;
  }
  return 'en';
}

/** Where the browser keeps the last chosen language: not a secret, only a preference. */
const storageKey = 'behalf.language';

/** The language last chosen in this browser, if any (storage may be unavailable). */
export function rememberedLanguage(): UiLanguage | null {
  try {
    const value = window.localStorage.getItem(storageKey);
    return isUiLanguage(value) ? value : null;
  } catch {
    return null;
  }
}

function remember(language: UiLanguage): void {
  try {
    window.localStorage.setItem(storageKey, language);
  } catch {
    // Private mode or storage off: the choice holds for this page only.
  }
}

/**
 * Strings of one area of the interface may live in their own pair of files,
 * `areas/<area>.en.json` and `areas/<area>.de.json`, each holding its own top-level sections;
 * they are merged over en.json / de.json. Separate files let pages be written side by side.
 */
const areaFiles = import.meta.glob<Record<string, unknown>>('./areas/*.json', {
  eager: true,
  import: 'default',
});

function withAreas(base: Record<string, unknown>, lng: UiLanguage): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...base };
  for (const [path, strings] of Object.entries(areaFiles)) {
    if (!path.endsWith(`.${lng}.json`)) continue;
    for (const [section, value] of Object.entries(strings)) {
      if (section in merged) throw new Error(`i18n: section "${section}" of ${path} is defined twice`);
      merged[section] = value;
    }
  }
  return merged;
}

void i18n.use(initReactI18next).init({
  resources: { en: { translation: withAreas(en, 'en') }, de: { translation: withAreas(de, 'de') } },
  lng: rememberedLanguage() ?? browserLanguage(),
  fallbackLng: 'en',
  supportedLngs: [...languages],
  interpolation: { escapeValue: false }, // React escapes already
  returnNull: false,
});

i18n.on('languageChanged', (lng) => {
  document.documentElement.lang = lng;
});
document.documentElement.lang = i18n.language;

/**
 * Switches the whole interface at once (every component using t() re-renders). With
 * `remember`, this browser keeps the choice across reloads and for the sign-in page.
 */
export function setLanguage(language: string, options: { remember?: boolean } = {}): void {
  const next = isUiLanguage(language) ? language : 'en';
  if (options.remember) remember(next);
  if (i18n.language !== next) void i18n.changeLanguage(next);
}

export default i18n;

import {
  endReasonWords,
  noReasonWords,
  templateVariables,
  type TemplateLanguage,
  type TemplateVariable,
} from './templates.ts';

// Pure: turning a template and the facts of an event into text. Tested by tables
// (render.test.ts).

const placeholder = /\{([A-Za-z][A-Za-z0-9]*)\}/g;

/**
 * Replaces each `{name}` that `values` knows; unknown names stay as written, so a typo shows up
 * in the preview instead of vanishing. One pass over the template only: a value that itself
 * looks like `{actor}` (a reason typed by an administrator, a user's name) is inserted as it is
 * and never expanded, so nobody can smuggle template syntax into a message.
 */
export function renderTemplate(template: string, values: Readonly<Record<string, string>>): string {
  return template.replace(placeholder, (whole, name: string) =>
    Object.hasOwn(values, name) ? values[name]! : whole,
  );
}

/** The `{name}`s a template uses that are not variables of any notification. */
export function unknownVariables(template: string): string[] {
  const known = new Set<string>(templateVariables);
  const unknown = new Set<string>();
  for (const match of template.matchAll(placeholder)) {
    if (!known.has(match[1]!)) unknown.add(match[1]!);
  }
  return [...unknown];
}

/**
 * The facts of a notification, by template variable, as the notifying module has them. Times
 * are milliseconds or ISO 8601 strings, `endReason` one of `endReasons` (templates.ts); both
 * are put into words here, in the reader's language. Empty values count as absent.
 */
export type NotificationVariables = Partial<Record<TemplateVariable, string | number | null>>;

const dateFormats: Record<TemplateLanguage, Intl.DateTimeFormat> = {
  en: new Intl.DateTimeFormat('en-GB', { dateStyle: 'long', timeStyle: 'short', timeZone: 'UTC' }),
  de: new Intl.DateTimeFormat('de-DE', { dateStyle: 'long', timeStyle: 'short', timeZone: 'UTC' }),
};

/**
 * Times in UTC, named as such: the platform knows no time zone per user, and a time that
 * silently means the server's zone would mislead.
 */
export function formatTime(ms: number, language: TemplateLanguage): string {
  return `${dateFormats[language].format(new Date(ms))} UTC`;
}

/** The variables of a template, in the reader's language. Absent ones stay `{name}` in the text. */
export function variablesFor(
  facts: NotificationVariables,
  language: TemplateLanguage,
): Record<string, string> {
  const text = (v: string | number | null | undefined) =>
    v === null || v === undefined ? '' : String(v).trim();
  const values: Record<string, string> = {};
  for (const name of ['subject', 'actor', 'plannedDuration', 'link'] as const) {
    if (text(facts[name]) !== '') values[name] = text(facts[name]);
  }
  // A platform may not require a reason (R-IMP-11); say so rather than leave a gap.
  values.reason = text(facts.reason) === '' ? noReasonWords[language] : text(facts.reason);
  for (const name of ['startedAt', 'endedAt'] as const) {
    const time = timeOf(facts[name]);
    if (time !== null) values[name] = formatTime(time, language);
    else if (text(facts[name]) !== '') values[name] = text(facts[name]);
  }
  const endReason = text(facts.endReason);
  if (endReason !== '') {
    const words = endReasonWords[language] as Record<string, string>;
    values.endReason = Object.hasOwn(words, endReason) ? words[endReason]! : endReason;
  }
  return values;
}

function timeOf(value: string | number | null | undefined): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value !== 'string' || value.trim() === '') return null;
  // Only full ISO 8601 timestamps: a free text that Date.parse happens to accept stays text.
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(value.trim())) return null;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : ms;
}

/** Example facts for the template preview. */
export function sampleFacts(now: number, language: TemplateLanguage): NotificationVariables {
  return {
    subject: language === 'de' ? 'Erika Mustermann' : 'Jane Doe',
    actor: language === 'de' ? 'Max Müller' : 'Alex Admin',
    reason: language === 'de' ? 'Hilfe beim Einrichten des Kontos' : 'Helping to set up the account',
    plannedDuration: 30,
    startedAt: now - 20 * 60_000,
    endedAt: now,
    endReason: 'back',
    link: 'https://behalf.example/consent?token=…',
  };
}

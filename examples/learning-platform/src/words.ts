import type { Lang } from './catalog.ts';

// The app's words in English and German; the German ones are the platform's (the seeds and
// Behalf's glossary, docs/glossary.md): Identitätswechsel, Zahlungen, E-Signatur, Telefonfunktionen.

/** Pure: the language of a request, from Accept-Language (German when it comes first). */
export function pickLanguage(acceptLanguage: string | undefined): Lang {
  const ranked = (acceptLanguage ?? '')
    .split(',')
    .map((part, i) => {
      const [tag, ...params] = part.trim().toLowerCase().split(';');
      const q = params.map((p) => /^q=([\d.]+)$/.exec(p.trim())).find(Boolean);
      return { tag: tag ?? '', q: q ? Number(q[1]) : 1, i };
    })
    .filter((x) => x.tag && x.q > 0)
    .sort((a, b) => b.q - a.q || a.i - b.i);
  for (const { tag } of ranked) {
    if (tag === 'de' || tag.startsWith('de-')) return 'de';
    if (tag === 'en' || tag.startsWith('en-')) return 'en';
  }
  return 'en';
}

const en = {
  appName: 'Learning platform',
  signInTitle: 'Welcome to the learning platform',
  signInIntro: 'Sign in with your platform account to see your courses.',
  signIn: 'Sign in',
  signOut: 'Sign out',
  hello: 'Hello, {name}',
  nav: 'Learning platform',
  home: 'Start',
  courses: 'My courses',
  shop: 'Shop',
  lessonsDone: '{done} of {total} lessons done',
  done: 'Done',
  markDone: 'Mark as done',
  doneWhileActing: 'Completed while {actor} was acting as you (impersonation)',
  doneWhileActingUnknown: 'Completed while an administrator was acting as you (impersonation)',
  telephony: 'Telephony',
  telephonyIntro: 'Call your trainer directly from the platform.',
  call: 'Call',
  number: 'Number',
  calling: 'Called {number}',
  buy: 'Buy for {price}',
  bought: 'Bought',
  esignature: 'This course ends with your electronic signature.',
  sign: 'Sign with e-signature',
  signedAlready: 'Signed by you',
  refusedTitle: 'Not possible during an impersonation',
  refusedPayments:
    'Payments are not possible while you are acting as another user. Only {subject} can buy, signed in as themselves.',
  refusedEsignature:
    'E-signature courses are not available while you are acting as another user: the signature must be made by {subject} in their own account.',
  refusedTelephony: 'The telephony functions are not available while you are acting as another user.',
  back: 'Back',
  notFound: 'Not found',
  signInFailed: 'Sign-in failed. Please try again.',
  signedOut: 'You are signed out of the learning platform.',
};

type Words = typeof en;

const de: Words = {
  appName: 'Lernplattform',
  signInTitle: 'Willkommen auf der Lernplattform',
  signInIntro: 'Melden Sie sich mit Ihrem Konto der Plattform an, um Ihre Kurse zu sehen.',
  signIn: 'Anmelden',
  signOut: 'Abmelden',
  hello: 'Hallo, {name}',
  nav: 'Lernplattform',
  home: 'Start',
  courses: 'Meine Kurse',
  shop: 'Shop',
  lessonsDone: '{done} von {total} Lektionen abgeschlossen',
  done: 'Abgeschlossen',
  markDone: 'Als abgeschlossen markieren',
  doneWhileActing: 'Abgeschlossen, während {actor} vorübergehend als Sie angemeldet war (Identitätswechsel)',
  doneWhileActingUnknown:
    'Abgeschlossen, während ein Administrator vorübergehend als Sie angemeldet war (Identitätswechsel)',
  telephony: 'Telefonie',
  telephonyIntro: 'Rufen Sie Ihren Trainer direkt aus der Plattform an.',
  call: 'Anrufen',
  number: 'Rufnummer',
  calling: '{number} angerufen',
  buy: 'Für {price} kaufen',
  bought: 'Gekauft',
  esignature: 'Dieser Kurs endet mit Ihrer elektronischen Signatur.',
  sign: 'Mit E-Signatur unterschreiben',
  signedAlready: 'Von Ihnen unterschrieben',
  refusedTitle: 'Während eines Identitätswechsels nicht möglich',
  refusedPayments:
    'Zahlungen sind nicht möglich, solange Sie vorübergehend als anderer Benutzer angemeldet sind. Nur {subject} selbst kann kaufen, mit dem eigenen Konto angemeldet.',
  refusedEsignature:
    'E-Signatur-Kurse sind nicht verfügbar, solange Sie vorübergehend als anderer Benutzer angemeldet sind: Die Signatur muss {subject} im eigenen Konto leisten.',
  refusedTelephony:
    'Die Telefonfunktionen sind nicht verfügbar, solange Sie vorübergehend als anderer Benutzer angemeldet sind.',
  back: 'Zurück',
  notFound: 'Nicht gefunden',
  signInFailed: 'Die Anmeldung ist fehlgeschlagen. Bitte versuchen Sie es erneut.',
  signedOut: 'Sie sind von der Lernplattform abgemeldet.',
};

export type WordKey = keyof Words;
export const words: Record<Lang, Words> = { en, de };

/** A word with its {placeholders} filled in (values are escaped by the page, not here). */
export function say(lang: Lang, key: WordKey, params: Record<string, string | number> = {}): string {
  return words[lang][key].replace(/\{(\w+)\}/g, (_, name: string) => String(params[name] ?? ''));
}

export function formatPrice(lang: Lang, cents: number): string {
  return new Intl.NumberFormat(lang === 'de' ? 'de-DE' : 'en-GB', {
    style: 'currency',
    currency: 'EUR',
  }).format(cents / 100);
}

import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';

// Dates and numbers in the interface's language, through Intl. Components call useFormat() so
// they re-render when the language switches.

const localeOf = (language: string) => (language === 'de' ? 'de-DE' : 'en-GB');

export interface Formatters {
  locale: string;
  date: (iso: string | number | Date) => string;
  dateTime: (iso: string | number | Date) => string;
  /** Exact to the second, with the time zone: for the hover title of a date. */
  exact: (iso: string | number | Date) => string;
  time: (iso: string | number | Date) => string;
  number: (n: number) => string;
  /** mm:ss or h:mm:ss for a remaining duration in milliseconds. */
  duration: (ms: number) => string;
}

export function formatters(language: string): Formatters {
  const locale = localeOf(language);
  const dateF = new Intl.DateTimeFormat(locale, { dateStyle: 'medium' });
  const dateTimeF = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' });
  const exactF = new Intl.DateTimeFormat(locale, { dateStyle: 'full', timeStyle: 'long' });
  const timeF = new Intl.DateTimeFormat(locale, { timeStyle: 'short' });
  const numberF = new Intl.NumberFormat(locale);
  const two = (n: number) => String(n).padStart(2, '0');
  return {
    locale,
    date: (v) => dateF.format(new Date(v)),
    dateTime: (v) => dateTimeF.format(new Date(v)),
    exact: (v) => exactF.format(new Date(v)),
    time: (v) => timeF.format(new Date(v)),
    number: (n) => numberF.format(n),
    duration: (ms) => {
      const total = Math.max(0, Math.floor(ms / 1000));
      const h = Math.floor(total / 3600);
      const m = Math.floor((total % 3600) / 60);
      const s = total % 60;
      return h > 0 ? `${h}:${two(m)}:${two(s)}` : `${m}:${two(s)}`;
    },
  };
}

export function useFormat(): Formatters {
  const { i18n } = useTranslation();
  return useMemo(() => formatters(i18n.language), [i18n.language]);
}

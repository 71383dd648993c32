// What the learning platform offers: fixed data, in code, because the example is about how an
// app obeys an impersonation, not about editing a catalogue. Titles in both languages.

export type Lang = 'en' | 'de';
export type Text = Record<Lang, string>;

export interface Course {
  id: string;
  title: Text;
  lessons: Array<{ id: string; title: Text }>;
  /** An e-signature course: refused while acting (seed 002), its signature is the learner's own. */
  esignature?: boolean;
}

export const courses: Course[] = [
  {
    id: 'safety',
    title: { en: 'Workplace safety', de: 'Arbeitssicherheit' },
    lessons: [
      { id: 'intro', title: { en: 'Introduction', de: 'Einführung' } },
      { id: 'fire', title: { en: 'Fire protection', de: 'Brandschutz' } },
      { id: 'first-aid', title: { en: 'First aid', de: 'Erste Hilfe' } },
    ],
  },
  {
    id: 'privacy',
    title: { en: 'Data protection basics', de: 'Grundlagen des Datenschutzes' },
    lessons: [
      { id: 'gdpr', title: { en: 'The GDPR in brief', de: 'Die DSGVO in Kürze' } },
      { id: 'mail', title: { en: 'Safe e-mail', de: 'Sichere E-Mail' } },
    ],
  },
  {
    id: 'compliance-signed',
    title: { en: 'Compliance (with e-signature)', de: 'Compliance (mit E-Signatur)' },
    esignature: true,
    lessons: [{ id: 'code', title: { en: 'Code of conduct', de: 'Verhaltenskodex' } }],
  },
];

export interface Product {
  id: string;
  title: Text;
  /** Cents, euros. */
  price: number;
}

export const products: Product[] = [
  { id: 'excel', title: { en: 'Course: Excel for experts', de: 'Kurs: Excel für Profis' }, price: 4900 },
  { id: 'subscription', title: { en: 'Annual subscription', de: 'Jahresabonnement' }, price: 19900 },
];

export function findCourse(id: string): Course | undefined {
  return courses.find((c) => c.id === id);
}

export function findProduct(id: string): Product | undefined {
  return products.find((p) => p.id === id);
}

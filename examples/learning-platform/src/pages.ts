import { courses, products, type Course, type Lang } from './catalog.ts';
import type { LessonDone } from './store.ts';
import type { Principal } from '../../../packages/sdk/src/index.ts';
import { formatPrice, say, type WordKey } from './words.ts';

// Server-rendered pages: plain HTML, every value escaped, no inline script (the CSP allows the
// banner module from this origin only). While acting, every page carries <behalf-banner>.

export function esc(value: string | number | null | undefined): string {
  return String(value ?? '')
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

export interface View {
  lang: Lang;
  principal: Principal | null;
}

const style = `
body{font-family:system-ui,sans-serif;margin:0;color:#1a1b1e}
header{display:flex;gap:1rem;align-items:center;padding:.75rem 1.5rem;background:#1864ab;color:#fff}
header a{color:#fff}
header button{color:#fff;background:transparent;border:1px solid #fff;border-radius:4px;padding:.25rem .75rem;font:inherit;cursor:pointer}
header nav{display:flex;gap:1rem;flex:1}
main{padding:1.5rem;max-width:60rem}
section.widget{border:1px solid #ced4da;border-radius:.5rem;padding:1rem;margin:1rem 0}
.note{color:#495057;font-size:.9rem}
.refusal{border-left:4px solid #e03131;padding:.5rem 1rem;background:#fff5f5}
form.inline{display:inline}
`;

function layout(view: View, title: string, body: string, status?: string): string {
  const { lang, principal } = view;
  const banner =
    principal?.actor && principal.impersonation
      ? `<behalf-banner subject="${esc(principal.user.name ?? principal.user.id)}" actor="${esc(
          principal.actor.name ?? principal.actor.id,
        )}" expires-at="${esc(principal.impersonation.expiresAt.toISOString())}" lang="${lang}" back-url="/back"></behalf-banner>`
      : '';
  const nav = principal
    ? `<header><strong>${esc(say(lang, 'appName'))}</strong>
<nav aria-label="${esc(say(lang, 'nav'))}"><a href="/">${esc(say(lang, 'home'))}</a><a href="/courses">${esc(
        say(lang, 'courses'),
      )}</a><a href="/shop">${esc(say(lang, 'shop'))}</a></nav>
<form class="inline" method="post" action="/logout"><button type="submit">${esc(say(lang, 'signOut'))}</button></form></header>`
    : `<header><strong>${esc(say(lang, 'appName'))}</strong></header>`;
  return `<!DOCTYPE html>
<html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>${esc(title)} · ${esc(say(lang, 'appName'))}</title>
<style>${style}</style>
${banner ? '<script type="module" src="/assets/behalf-banner.js"></script>' : ''}
</head><body>${banner}${nav}<main>${status ?? ''}${body}</main></body></html>`;
}

export function signInPage(view: View, returnTo: string, message?: WordKey): string {
  const { lang } = view;
  return layout(
    view,
    say(lang, 'signIn'),
    `<h1>${esc(say(lang, 'signInTitle'))}</h1>
${message ? `<p role="status">${esc(say(lang, message))}</p>` : ''}
<p>${esc(say(lang, 'signInIntro'))}</p>
<p><a href="/login?returnTo=${encodeURIComponent(returnTo)}">${esc(say(lang, 'signIn'))}</a></p>`,
  );
}

function progressLine(lang: Lang, course: Course, done: LessonDone[]): string {
  const count = done.filter((d) => d.courseId === course.id).length;
  return esc(say(lang, 'lessonsDone', { done: count, total: course.lessons.length }));
}

export function homePage(view: View, done: LessonDone[], calls: string[], telephonyShown: boolean): string {
  const { lang, principal } = view;
  const name = principal!.user.name ?? principal!.user.id;
  // Seed 000: while acting, the telephony widget is not shown at all (not merely disabled).
  const telephony = telephonyShown
    ? `<section class="widget" aria-labelledby="telephony-h" data-widget="telephony">
<h2 id="telephony-h">${esc(say(lang, 'telephony'))}</h2><p>${esc(say(lang, 'telephonyIntro'))}</p>
<form method="post" action="/telephony/call"><label>${esc(say(lang, 'number'))} <input name="number" value="+49 800 1234567"></label>
<button type="submit">${esc(say(lang, 'call'))}</button></form>
${calls.map((n) => `<p class="note">${esc(say(lang, 'calling', { number: n }))}</p>`).join('')}
</section>`
    : '';
  return layout(
    view,
    say(lang, 'home'),
    `<h1>${esc(say(lang, 'hello', { name }))}</h1>
${telephony}
<section class="widget" aria-labelledby="courses-h"><h2 id="courses-h">${esc(say(lang, 'courses'))}</h2>
<ul>${courses.map((c) => `<li><a href="/courses/${c.id}">${esc(c.title[lang])}</a> · ${progressLine(lang, c, done)}</li>`).join('')}</ul>
</section>`,
  );
}

export function coursesPage(view: View, done: LessonDone[]): string {
  const { lang } = view;
  return layout(
    view,
    say(lang, 'courses'),
    `<h1>${esc(say(lang, 'courses'))}</h1>
<ul>${courses.map((c) => `<li><a href="/courses/${c.id}">${esc(c.title[lang])}</a> · ${progressLine(lang, c, done)}</li>`).join('')}</ul>`,
  );
}

export function coursePage(view: View, course: Course, done: LessonDone[], signed: boolean): string {
  const { lang } = view;
  const lessons = course.lessons
    .map((lesson) => {
      const d = done.find((x) => x.courseId === course.id && x.lessonId === lesson.id);
      // R-IMP-07: done as the user's own; the note tells the user who did it for them.
      const note = d?.actingActorId
        ? `<p class="note" data-note="acting">${esc(
            d.actingActorName
              ? say(lang, 'doneWhileActing', { actor: d.actingActorName })
              : say(lang, 'doneWhileActingUnknown'),
          )}</p>`
        : '';
      const state = d
        ? `<strong>${esc(say(lang, 'done'))}</strong>`
        : `<form class="inline" method="post" action="/courses/${course.id}/lessons/${lesson.id}/complete"><button type="submit">${esc(
            say(lang, 'markDone'),
          )}</button></form>`;
      return `<li><span>${esc(lesson.title[lang])}</span> · ${state}${note}</li>`;
    })
    .join('');
  const esign = course.esignature
    ? `<section class="widget"><p>${esc(say(lang, 'esignature'))}</p>${
        signed
          ? `<p><strong>${esc(say(lang, 'signedAlready'))}</strong></p>`
          : `<form method="post" action="/courses/${course.id}/sign"><button type="submit">${esc(say(lang, 'sign'))}</button></form>`
      }</section>`
    : '';
  return layout(
    view,
    course.title[lang],
    `<h1>${esc(course.title[lang])}</h1><p>${progressLine(lang, course, done)}</p><ol>${lessons}</ol>${esign}`,
  );
}

export function shopPage(view: View, bought: string[]): string {
  const { lang } = view;
  const items = products
    .map(
      (p) =>
        `<li><span>${esc(p.title[lang])}</span> · ${
          bought.includes(p.id)
            ? `<strong>${esc(say(lang, 'bought'))}</strong>`
            : `<form class="inline" method="post" action="/shop/${p.id}/buy"><button type="submit">${esc(
                say(lang, 'buy', { price: formatPrice(lang, p.price) }),
              )}</button></form>`
        }</li>`,
    )
    .join('');
  return layout(view, say(lang, 'shop'), `<h1>${esc(say(lang, 'shop'))}</h1><ul>${items}</ul>`);
}

/** The clear message of a refusal while acting (R-IMP-04, seed 002), with the way back. */
export function refusalPage(view: View, message: WordKey, back: string): string {
  const { lang, principal } = view;
  const subject = principal?.user.name ?? principal?.user.id ?? '';
  return layout(
    view,
    say(lang, 'refusedTitle'),
    `<h1>${esc(say(lang, 'refusedTitle'))}</h1>
<div class="refusal" role="alert" data-code="blocked_during_impersonation"><p>${esc(say(lang, message, { subject }))}</p></div>
<p><a href="${esc(back)}">${esc(say(lang, 'back'))}</a></p>`,
  );
}

export function notFoundPage(view: View): string {
  return layout(view, say(view.lang, 'notFound'), `<h1>${esc(say(view.lang, 'notFound'))}</h1>`);
}

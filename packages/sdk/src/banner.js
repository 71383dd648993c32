// <behalf-banner>: the impersonation banner for the platform's apps (issue 9, R-IMP-14). Plain
// JavaScript, no imports: a browser loads this file as it is (<script type="module">), without a
// bundler, into any page and any framework. Types are checked through the JSDoc (tsconfig.json).
//
//   <behalf-banner subject="Anna Schmidt" actor="Max Admin" expires-at="2026-12-07T10:00:00Z"
//                  back-url="/logout" lang="de"></behalf-banner>
//
// The words are Behalf's own banner's (web/src/i18n, "banner"), so that an administrator sees
// the same sentences in Behalf and in every app.

/** @typedef {{ label: string, actingAs: (subject: string) => string, details: (actor: string, remaining: string) => string, signedInAs: (actor: string) => string, timeLeft: (remaining: string) => string, ended: (subject: string) => string, endedHint: (actor: string) => string, endedHintAnonymous: string, back: string }} Texts */

/** @type {Record<'en' | 'de', Texts>} */
const texts = {
  en: {
    label: 'Impersonation',
    actingAs: (subject) => `You are acting as ${subject}`,
    details: (actor, remaining) => `Signed in as ${actor} · time left ${remaining}`,
    signedInAs: (actor) => `Signed in as ${actor}`,
    timeLeft: (remaining) => `Time left ${remaining}`,
    ended: (subject) => `Your session as ${subject} has ended`,
    endedHint: (actor) => `It expired or was ended. Go back to your own account, ${actor}.`,
    endedHintAnonymous: 'It expired or was ended. Go back to your own account.',
    back: 'Back to your account',
  },
  de: {
    label: 'Als Benutzer angemeldet',
    actingAs: (subject) => `Sie sind vorübergehend als ${subject} angemeldet`,
    details: (actor, remaining) => `Angemeldet als ${actor} · verbleibende Zeit ${remaining}`,
    signedInAs: (actor) => `Angemeldet als ${actor}`,
    timeLeft: (remaining) => `Verbleibende Zeit ${remaining}`,
    ended: (subject) => `Ihre Sitzung als ${subject} ist beendet`,
    endedHint: (actor) =>
      `Sie ist abgelaufen oder wurde beendet. Kehren Sie zu Ihrem eigenen Konto zurück, ${actor}.`,
    endedHintAnonymous: 'Sie ist abgelaufen oder wurde beendet. Kehren Sie zu Ihrem eigenen Konto zurück.',
    back: 'Zurück zu Ihrem Konto wechseln',
  },
};

/**
 * mm:ss, or h:mm:ss from an hour on (as Behalf's banner).
 * @param {number} ms
 */
export function formatRemaining(ms) {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const two = (/** @type {number} */ n) => String(n).padStart(2, '0');
  return h > 0 ? `${h}:${two(m)}:${two(s)}` : `${m}:${two(s)}`;
}

/**
 * Only http(s) links, never javascript: or data: (the attribute may come from a template).
 * @param {string | null} value
 * @returns {string | null}
 */
function safeUrl(value) {
  if (!value) return null;
  try {
    const url = new URL(value, document.baseURI);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}

const style = `
:host { display: block; }
:host([hidden]) { display: none; }
.banner { display: flex; flex-wrap: wrap; align-items: center; justify-content: space-between; gap: 0.5rem 1rem;
  padding: 0.5rem 1rem; background: #ffd43b; color: #1a1b1e; font: inherit; line-height: 1.4; }
.banner.ended { background: #c92a2a; color: #fff; }
p { margin: 0; }
.headline { font-weight: 700; }
.details { font-size: 0.875em; }
.time { font-variant-numeric: tabular-nums; }
a { color: inherit; font-weight: 700; text-decoration: underline; padding: 0.25rem 0.5rem; border: 2px solid currentColor; border-radius: 4px; }
a:focus-visible { outline: 3px solid currentColor; outline-offset: 2px; }
`;

export class BehalfBanner extends HTMLElement {
  static observedAttributes = ['subject', 'actor', 'expires-at', 'lang', 'back-url'];

  /** @type {ReturnType<typeof setInterval> | undefined} */
  #timer = undefined;
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  #endTimer = undefined;
  #endedAnnounced = false;
  #box;
  #headline;
  #details;
  #back;

  constructor() {
    super();
    const root = this.attachShadow({ mode: 'open' });
    const sheet = document.createElement('style');
    sheet.textContent = style;
    this.#box = document.createElement('div');
    this.#box.className = 'banner';
    this.#box.setAttribute('part', 'banner');
    this.#box.setAttribute('role', 'region');
    const text = document.createElement('div');
    this.#headline = document.createElement('p');
    this.#headline.className = 'headline';
    // The headline changes once, when the impersonation ends: that is announced, the
    // countdown's every second is not.
    this.#headline.setAttribute('aria-live', 'polite');
    this.#details = document.createElement('p');
    this.#details.className = 'details';
    this.#back = document.createElement('a');
    this.#back.setAttribute('part', 'back');
    this.#back.addEventListener('click', (event) => {
      const proceed = this.dispatchEvent(new CustomEvent('behalf-back', { bubbles: true, cancelable: true }));
      if (!proceed) event.preventDefault();
    });
    text.append(this.#headline, this.#details);
    this.#box.append(text, this.#back);
    root.append(sheet, this.#box);
  }

  connectedCallback() {
    this.#start();
  }

  disconnectedCallback() {
    this.#stop();
  }

  attributeChangedCallback() {
    if (!this.isConnected) return;
    this.#stop();
    this.#endedAnnounced = false;
    this.#start();
  }

  /** Renders now, then every second until the end (a timer at the expiry itself is set by render). */
  #start() {
    this.render();
    if (!this.ended) this.#timer ??= setInterval(() => this.render(), 1000);
  }

  #stop() {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    if (this.#endTimer !== undefined) clearTimeout(this.#endTimer);
    this.#timer = undefined;
    this.#endTimer = undefined;
  }

  /** de or en: the `lang` attribute, else the nearest ancestor's, else the document's. */
  get language() {
    const own =
      this.getAttribute('lang') ??
      this.closest('[lang]')?.getAttribute('lang') ??
      document.documentElement.lang;
    return own.toLowerCase().startsWith('de') ? 'de' : 'en';
  }

  /** Milliseconds left, or null without a (valid) `expires-at`. */
  get remaining() {
    const expiresAt = Date.parse(this.getAttribute('expires-at') ?? '');
    return Number.isNaN(expiresAt) ? null : expiresAt - Date.now();
  }

  /** Whether the impersonation has ended (by its `expires-at`). */
  get ended() {
    const remaining = this.remaining;
    return remaining !== null && remaining <= 0;
  }

  render() {
    const language = this.language;
    const t = texts[language];
    const subject = this.getAttribute('subject') ?? '';
    const actor = this.getAttribute('actor');
    const remaining = this.remaining;
    const ended = this.ended;
    this.#box.setAttribute('lang', language);
    this.#box.setAttribute('aria-label', t.label);
    this.#box.classList.toggle('ended', ended);
    this.#headline.textContent = ended ? t.ended(subject) : t.actingAs(subject);
    if (ended) {
      this.#details.textContent = actor ? t.endedHint(actor) : t.endedHintAnonymous;
    } else if (remaining === null) {
      this.#details.textContent = actor ? t.signedInAs(actor) : '';
    } else {
      const left = formatRemaining(remaining);
      this.#details.textContent = actor ? t.details(actor, left) : t.timeLeft(left);
    }
    const back = safeUrl(this.getAttribute('back-url'));
    this.#back.textContent = t.back;
    this.#back.hidden = back === null;
    if (back === null) this.#back.removeAttribute('href');
    else this.#back.setAttribute('href', back);
    // The last second ends at the expiry itself, not at the next tick of the countdown.
    if (!ended && remaining !== null && remaining <= 1000 && this.#endTimer === undefined)
      this.#endTimer = setTimeout(() => this.render(), remaining);
    if (ended) {
      this.#stop();
      if (!this.#endedAnnounced) {
        this.#endedAnnounced = true;
        this.dispatchEvent(new CustomEvent('behalf-expired', { bubbles: true }));
      }
    }
  }
}

if (!customElements.get('behalf-banner')) customElements.define('behalf-banner', BehalfBanner);

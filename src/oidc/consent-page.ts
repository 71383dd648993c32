// The consent page for apps that are not first party (issue 9): plain HTML, no script, posting
// a form to the interaction (src/oidc/interaction.routes.ts). German or English by the user's
// language. Everything shown is escaped: the app's name is chosen by an administrator, the
// user's name by the user.

const texts = {
  en: {
    title: 'Allow access?',
    wants: (app: string) => `${app} wants to sign you in with your Behalf account.`,
    as: (user: string) => `Signed in as ${user}.`,
    acting: (actor: string) => `${actor} is acting as this user.`,
    scopes: 'It will receive:',
    scope: { openid: 'your user ID', profile: 'your name and language', email: 'your e-mail address' },
    allow: 'Allow',
    deny: 'Deny',
  },
  de: {
    title: 'Zugriff erlauben?',
    wants: (app: string) => `${app} möchte Sie mit Ihrem Behalf-Konto anmelden.`,
    as: (user: string) => `Angemeldet als ${user}.`,
    acting: (actor: string) => `${actor} handelt als diese Person.`,
    scopes: 'Die App erhält:',
    scope: {
      openid: 'Ihre Benutzer-ID',
      profile: 'Ihren Namen und Ihre Sprache',
      email: 'Ihre E-Mail-Adresse',
    },
    allow: 'Erlauben',
    deny: 'Ablehnen',
  },
} as const;

/** Pure: text safe inside HTML elements and double-quoted attributes. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export interface ConsentView {
  language: string;
  appName: string;
  userName: string;
  actorName: string | null;
  scopes: string[];
  action: string;
}

/** Pure: the page. */
export function consentPage(v: ConsentView): string {
  const lang = v.language === 'de' ? 'de' : 'en';
  const t = texts[lang];
  const items = v.scopes
    .filter((s): s is keyof typeof t.scope => s in t.scope)
    .map((s) => `<li>${escapeHtml(t.scope[s])}</li>`)
    .join('');
  return `<!DOCTYPE html>
<html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>${escapeHtml(t.title)}</title></head>
<body><main>
<h1>${escapeHtml(t.title)}</h1>
<p>${escapeHtml(t.wants(v.appName))}</p>
<p>${escapeHtml(t.as(v.userName))}${v.actorName ? ` ${escapeHtml(t.acting(v.actorName))}` : ''}</p>
<p>${escapeHtml(t.scopes)}</p><ul>${items}</ul>
<form method="post" action="${escapeHtml(v.action)}">
<button type="submit" name="decision" value="approve" autofocus>${escapeHtml(t.allow)}</button>
<button type="submit" name="decision" value="deny">${escapeHtml(t.deny)}</button>
</form>
</main></body></html>`;
}

import type { TFunction } from 'i18next';
import { auditActionText } from './words.ts';

// Issue 10 #11: an audit event as one sentence in the interface's language, "who did what to
// whom, as whom, why". The console's audit trail, the user page's recent history and the
// user's own "who acted as me" all speak through this one builder.

export interface SentenceParts {
  /** Who really acted; null when the server did it on its own (expiry, a worker). */
  actor: string | null;
  /** Whom they acted as, during an impersonation. */
  asUser?: string | null | undefined;
  /** Done as the reader themselves (the user's own "who acted as me"). */
  asYou?: boolean | undefined;
  /** The action's code: it becomes a phrase ("created a user"), never shown as a code. */
  action: string;
  /** To whom or what, when that is not the person who acted. */
  target?: string | null | undefined;
  /** The names of the fields that changed. */
  fields?: string[] | undefined;
  /** The reason of the impersonation it belongs to. */
  reason?: string | null | undefined;
}

/** Pure: the sentence, e.g. "Super Admin (acting as Jonas Beispiel) changed their profile. Reason: Ticket 7" */
export function auditSentence(t: TFunction, p: SentenceParts): string {
  const actor = p.actor ?? t('auditSentence.server');
  const who = p.asYou
    ? t('auditSentence.actingAsYou', { actor })
    : p.asUser
      ? t('auditSentence.actingAs', { actor, user: p.asUser })
      : actor;
  const fields = p.fields && p.fields.length > 0 ? ` (${p.fields.join(', ')})` : '';
  const action = `${auditActionText(t, p.action)}${fields}`;
  const sentence = p.target
    ? t('auditSentence.withTarget', { who, action, target: p.target })
    : t('auditSentence.plain', { who, action });
  return p.reason ? `${sentence} ${t('auditSentence.reason', { reason: p.reason })}` : sentence;
}

/** What the API says of one event (web/src/api/audit.ts), as far as the sentence needs it. */
export interface SentenceEvent {
  action: string;
  user: { id: string | null; label: string | null };
  actor: { id: string | null; label: string | null };
  impersonationId: string | null;
  impersonationReason: string | null;
  target: { type: string; id: string | null; label: string | null };
}

/** Targets the action's phrase names already ("changed the settings", "signed out a session"). */
const unnamedTargets = new Set(['settings', 'system', 'session']);

/** Attempts from outside (a sign-in, a link): nobody signed in did them. */
const attempts = new Set(['auth', 'linked_account']);

/** Pure: the parts of an event's sentence, for the administrators' views. */
export function eventSentenceParts(t: TFunction, e: SentenceEvent): SentenceParts {
  if (e.actor.label === null && e.user.label === null && attempts.has(e.action.split('.')[0]!)) {
    // "Erika Mustermann failed to sign in", or "Someone ..." for an unknown account.
    const person = e.target.type === 'user' ? e.target.label : null;
    return { actor: person ?? t('auditSentence.someone'), action: e.action };
  }
  // Acting: done as someone else than the person who really did it (R-IMP-08).
  const acting = e.actor.id !== null && e.user.id !== null && e.actor.id !== e.user.id;
  const self = e.target.id !== null && (e.target.id === e.actor.id || e.target.id === e.user.id);
  return {
    actor: e.actor.label ?? e.user.label,
    asUser: acting ? e.user.label : null,
    action: e.action,
    target: unnamedTargets.has(e.target.type) || self ? null : e.target.label,
    reason: e.impersonationId ? e.impersonationReason : null,
  };
}

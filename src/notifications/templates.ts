import { languages, type Language } from '../users/user.ts';

// The notification types, their variables and the built-in texts (R-IMP-09). Administrators
// override a text per type and language (notification_templates); the defaults stay here, so
// a better default reaches every template nobody changed.

export const notificationTypes = [
  'impersonation.started',
  'impersonation.ended',
  // Issue 12: to the actor, when the user ended the impersonation from "who acted as me".
  'impersonation.ended_by_subject',
] as const;
export type NotificationType = (typeof notificationTypes)[number];

export function isNotificationType(value: string): value is NotificationType {
  return (notificationTypes as readonly string[]).includes(value);
}

export { languages as templateLanguages };
export type TemplateLanguage = Language;

export function isTemplateLanguage(value: string): value is TemplateLanguage {
  return (languages as readonly string[]).includes(value);
}

/** Every variable a template may use, as `{name}`. */
export const templateVariables = [
  'subject',
  'actor',
  'reason',
  'plannedDuration',
  'startedAt',
  'endedAt',
  'endReason',
] as const;
export type TemplateVariable = (typeof templateVariables)[number];

// How an impersonation can end is impersonation's to say; {endReason} names it in words here.
import type { EndReason } from '../impersonation/messages.ts';
export { endReasons, type EndReason } from '../impersonation/messages.ts';

export const endReasonWords: Record<TemplateLanguage, Record<EndReason, string>> = {
  en: {
    back: 'the administrator returned to their own account',
    expired: 'the maximum duration ran out',
    logout: 'the administrator logged out',
    subject_deactivated: 'your account was deactivated',
    subject_deleted: 'your account was deleted',
    actor_demoted: "the administrator's rights were withdrawn",
    terms_revoked: 'the acceptance of the terms was revoked',
    revoked: 'an administrator ended it',
    superseded: 'a new start replaced it before it was used',
    not_opened: 'it was not opened in time',
    ended_by_subject: 'you ended it',
  },
  de: {
    back: 'Rückkehr der handelnden Person zu ihrem eigenen Konto',
    expired: 'Ablauf der Höchstdauer',
    logout: 'Abmeldung der handelnden Person',
    subject_deactivated: 'Deaktivierung Ihres Kontos',
    subject_deleted: 'Löschung Ihres Kontos',
    actor_demoted: 'Entzug der Rechte der handelnden Person',
    terms_revoked: 'Widerruf der Zustimmung zu den Nutzungsbedingungen',
    revoked: 'Beendigung durch die Administration',
    superseded: 'Ersetzung durch einen neuen Start, bevor sie genutzt wurde',
    not_opened: 'fehlende Öffnung innerhalb der Frist',
    ended_by_subject: 'Beendigung durch Sie',
  },
};

export interface TemplateText {
  subject: string;
  body: string;
}

export const defaultTemplates: Record<NotificationType, Record<TemplateLanguage, TemplateText>> = {
  'impersonation.started': {
    en: {
      subject: '{actor} is now acting as you',
      body:
        'Hello {subject},\n\n' +
        '{actor} started acting as you on {startedAt}, planned for {plannedDuration} minutes.\n' +
        'Reason: {reason}\n\n' +
        'Everything done in this time is real and is recorded in the audit trail with your name ' +
        "and {actor}'s. You will get another message when it ends. Under My Profile, " +
        '"Who acted as me", you see what was done, and you can end it at any time. If you did ' +
        'not expect this, please end it there and contact your administrator.',
    },
    de: {
      subject: '{actor} handelt jetzt in Ihrem Namen',
      body:
        'Hallo {subject},\n\n' +
        '{actor} handelt seit {startedAt} in Ihrem Namen, geplant für {plannedDuration} Minuten.\n' +
        'Grund: {reason}\n\n' +
        'Alles, was in dieser Zeit geschieht, ist wirksam und wird im Prüfprotokoll mit Ihrem ' +
        'Namen und dem von {actor} festgehalten. Sie erhalten eine weitere Nachricht, sobald es ' +
        'endet. Unter Mein Profil, „Wer in meinem Namen gehandelt hat“, sehen Sie, was getan ' +
        'wurde, und können es jederzeit beenden. Wenn Sie das nicht erwartet haben, beenden Sie ' +
        'es dort und wenden Sie sich bitte an Ihre Administration.',
    },
  },
  'impersonation.ended': {
    en: {
      subject: '{actor} is no longer acting as you',
      body:
        'Hello {subject},\n\n' +
        '{actor} stopped acting as you on {endedAt} (started on {startedAt}).\n' +
        'Ended by: {endReason}\n' +
        'Reason given at the start: {reason}\n\n' +
        'Under My Profile, "Who acted as me", you see what was done in your name.',
    },
    de: {
      subject: '{actor} handelt nicht mehr in Ihrem Namen',
      body:
        'Hallo {subject},\n\n' +
        '{actor} hat am {endedAt} aufgehört, in Ihrem Namen zu handeln (begonnen am {startedAt}).\n' +
        'Beendet durch: {endReason}\n' +
        'Zu Beginn genannter Grund: {reason}\n\n' +
        'Unter Mein Profil, „Wer in meinem Namen gehandelt hat“, sehen Sie, was in Ihrem Namen ' +
        'getan wurde.',
    },
  },
  'impersonation.ended_by_subject': {
    en: {
      subject: '{subject} ended your impersonation',
      body:
        'Hello {actor},\n\n' +
        '{subject} ended your impersonation on {endedAt} (started on {startedAt}).\n' +
        'Reason you gave at the start: {reason}\n\n' +
        'If you still need to act as {subject}, ask them first, then start again.',
    },
    de: {
      subject: '{subject} hat Ihr Handeln in seinem Namen beendet',
      body:
        'Hallo {actor},\n\n' +
        '{subject} hat am {endedAt} Ihr Handeln in seinem Namen beendet (begonnen am {startedAt}).\n' +
        'Ihr zu Beginn genannter Grund: {reason}\n\n' +
        'Wenn Sie weiterhin in seinem Namen handeln müssen, fragen Sie zuerst nach und beginnen ' +
        'Sie dann neu.',
    },
  },
};

/** Words for a missing reason (a platform may not require one, R-IMP-11). */
export const noReasonWords: Record<TemplateLanguage, string> = {
  en: '(none given)',
  de: '(keiner angegeben)',
};

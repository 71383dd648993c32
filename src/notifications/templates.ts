import { languages, type Language } from '../users/user.ts';

// The notification types, their variables and the built-in texts (R-IMP-09). Administrators
// override a text per type and language (notification_templates); the defaults stay here, so
// a better default reaches every template nobody changed.

export const notificationTypes = [
  'impersonation.started',
  'impersonation.ended',
  // Issue 12: to the actor, when the user ended the impersonation from "who acted as me".
  'impersonation.ended_by_subject',
  // Issue 12 #3, #4: consent asked of the user; four eyes asked of who may approve; a request
  // decided (to the actor); break-glass.
  'impersonation.consent_requested',
  'impersonation.approval_requested',
  'impersonation.request_approved',
  'impersonation.request_declined',
  'impersonation.break_glass',
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
  // Issue 12 #3: the consent link; only the mail carries it (notifications.service.ts).
  'link',
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
        'Alles, was in dieser Zeit geschieht, ist wirksam und wird im Audit-Trail mit Ihrem ' +
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
  'impersonation.consent_requested': {
    en: {
      subject: '{actor} asks to act as you',
      body:
        'Hello {subject},\n\n' +
        '{actor} asks for your consent to act as you for {plannedDuration} minutes.\n' +
        'Reason: {reason}\n\n' +
        'Approve or decline here: {link}\n' +
        'Nobody acts as you unless you approve. If you did not expect this, decline and contact ' +
        'your administrator.',
    },
    de: {
      subject: '{actor} bittet darum, in Ihrem Namen zu handeln',
      body:
        'Hallo {subject},\n\n' +
        '{actor} bittet um Ihre Zustimmung, {plannedDuration} Minuten lang in Ihrem Namen zu handeln.\n' +
        'Grund: {reason}\n\n' +
        'Zustimmen oder ablehnen: {link}\n' +
        'Niemand handelt in Ihrem Namen, solange Sie nicht zustimmen. Wenn Sie das nicht erwartet ' +
        'haben, lehnen Sie ab und wenden Sie sich bitte an Ihre Administration.',
    },
  },
  'impersonation.approval_requested': {
    en: {
      subject: 'Four eyes: {actor} asks for approval to act as {subject}',
      body:
        'Hello,\n\n' +
        "{actor} asks for a second administrator's approval to act as {subject} for " +
        '{plannedDuration} minutes.\nReason: {reason}\n\n' +
        'You may approve it: approve or decline it on the Impersonations page of the console. ' +
        'Nobody acts as {subject} before another administrator approves; if the request is not ' +
        'expected, decline it.',
    },
    de: {
      subject: 'Vier-Augen-Prinzip: {actor} bittet um Genehmigung, im Namen von {subject} zu handeln',
      body:
        'Guten Tag,\n\n' +
        '{actor} bittet um die Genehmigung einer zweiten Administratorin oder eines zweiten ' +
        'Administrators, {plannedDuration} Minuten lang im Namen von {subject} zu handeln.\n' +
        'Grund: {reason}\n\n' +
        'Sie dürfen die Genehmigung erteilen: Genehmigen oder ablehnen können Sie die Anfrage in ' +
        'der Administration auf der Seite „Identitätswechsel“. Niemand handelt im Namen von ' +
        '{subject}, bevor eine andere Person der Administration genehmigt; wenn die Anfrage nicht ' +
        'erwartet ist, lehnen Sie sie ab.',
    },
  },
  'impersonation.request_approved': {
    en: {
      subject: 'You may now act as {subject}',
      body:
        'Hello {actor},\n\n' +
        'Your request to act as {subject} was approved. Start within the time allowed; the ' +
        'approval is good for one start.\nReason you gave: {reason}',
    },
    de: {
      subject: 'Sie dürfen jetzt im Namen von {subject} handeln',
      body:
        'Hallo {actor},\n\n' +
        'Ihre Anfrage, im Namen von {subject} zu handeln, wurde genehmigt. Beginnen Sie innerhalb ' +
        'der erlaubten Zeit; die Genehmigung gilt für einen Start.\nIhr genannter Grund: {reason}',
    },
  },
  'impersonation.request_declined': {
    en: {
      subject: 'Your request to act as {subject} was declined',
      body: 'Hello {actor},\n\nYour request to act as {subject} was declined.\nReason you gave: {reason}',
    },
    de: {
      subject: 'Ihre Anfrage, im Namen von {subject} zu handeln, wurde abgelehnt',
      body:
        'Hallo {actor},\n\nIhre Anfrage, im Namen von {subject} zu handeln, wurde abgelehnt.\n' +
        'Ihr genannter Grund: {reason}',
    },
  },
  'impersonation.break_glass': {
    en: {
      subject: 'Break-glass: {actor} acts as {subject} without consent',
      body:
        '{actor} started acting as {subject} on {startedAt} without their consent (break-glass), ' +
        'planned for {plannedDuration} minutes.\nReason: {reason}\n\n' +
        'This is recorded in the audit trail. If it was not expected, check it at once.',
    },
    de: {
      subject: 'Notfallzugriff: {actor} handelt ohne Zustimmung im Namen von {subject}',
      body:
        '{actor} handelt seit {startedAt} ohne Zustimmung im Namen von {subject} (Notfallzugriff), ' +
        'geplant für {plannedDuration} Minuten.\nGrund: {reason}\n\n' +
        'Das ist im Audit-Trail festgehalten. Wenn es nicht erwartet war, prüfen Sie es sofort.',
    },
  },
};

/**
 * Where the in-platform copy of a mail-only value (the consent link) would stand: an
 * administrator acting as the user can read the user's notifications, never their mail.
 */
export const mailOnlyWords: Record<TemplateLanguage, string> = {
  en: 'the link in the e-mail, or My Profile, "Who acted as me"',
  de: 'den Link in der E-Mail oder Mein Profil, „Wer in meinem Namen gehandelt hat“',
};

/** Words for a missing reason (a platform may not require one, R-IMP-11). */
export const noReasonWords: Record<TemplateLanguage, string> = {
  en: '(none given)',
  de: '(keiner angegeben)',
};

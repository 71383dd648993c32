import { displayName, type User } from '../users/user.ts';
import { codeChallengeTtlMs } from './second-factor.ts';

// The mails that carry a one-time code for signing in or confirming who one is. They are not
// notification templates (src/notifications/templates.ts) on purpose: an administrator must not be
// able to rewrite a mail that carries a code, and a code must never become an in-platform
// notification, which an administrator acting as the user could read (R-IMP-03). Both are queued
// as `login_code` mails, hidden from the outbox listing and the mail log.

/** The code's lifetime in the text comes from the one that limits it, so they cannot disagree. */
const validMinutes = codeChallengeTtlMs / 60_000;

export interface CodeMail {
  subject: string;
  text: string;
}

/** The login's second step (R-ADM-13). */
export function loginCodeMail(user: User, code: string): CodeMail {
  if (user.language === 'de') {
    return {
      subject: `Ihr Anmeldecode: ${code}`,
      text: `Hallo ${displayName(user)},\n\nIhr Anmeldecode lautet ${code}. Er ist ${validMinutes} Minuten gültig.\n\nWenn Sie sich nicht anmelden wollten, ändern Sie bitte Ihr Passwort.`,
    };
  }
  return {
    subject: `Your login code: ${code}`,
    text: `Hello ${displayName(user)},\n\nyour login code is ${code}. It is valid for ${validMinutes} minutes.\n\nIf you did not try to log in, please change your password.`,
  };
}

/** A step-up before acting as another user (R-IMP-17, issue 12 #5). */
export function stepUpCodeMail(language: string, code: string): CodeMail {
  if (language === 'de') {
    return {
      subject: `Ihr Bestätigungscode: ${code}`,
      text: `Ihr Code zur Bestätigung vor einem Identitätswechsel lautet ${code}. Er ist ${validMinutes} Minuten gültig.\n\nWenn Sie das nicht waren, ändern Sie bitte Ihr Passwort.`,
    };
  }
  return {
    subject: `Your confirmation code: ${code}`,
    text: `Your code to confirm who you are before acting as another user is ${code}. It is valid for ${validMinutes} minutes.\n\nIf this was not you, please change your password.`,
  };
}

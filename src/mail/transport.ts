import { AppError } from '../shared/errors.ts';

// Whether a login code sent by e-mail can reach its user (issue 10 #14). Without SMTP_URL the
// mail worker writes mail into the log and hides login codes there (they would let anyone who
// reads the log complete the login), so a user switched to codes by e-mail could never sign in
// again. Pure: the configuration is passed in.

export interface MailTransport {
  /** Null: no SMTP server; mail is logged. */
  smtpUrl: string | null;
  /** Development: the log shows login codes in clear (MAIL_LOG_CODES). */
  logCodes: boolean;
}

/** SMTP delivers codes; the log does only when it is allowed to show them. */
export function deliversLoginCodes(t: MailTransport): boolean {
  return t.smtpUrl !== null || t.logCodes;
}

/** Refuses choosing codes by e-mail on a server that cannot deliver them. */
export function assertLoginCodesDeliverable(t: MailTransport): void {
  if (deliversLoginCodes(t)) return;
  throw new AppError(
    'mail_transport_missing',
    'Codes by e-mail cannot be chosen: this server has no mail transport (SMTP_URL is not set), ' +
      'so the codes would never arrive. Use the authenticator app, or ask the operator to configure SMTP_URL.',
  );
}

/**
 * The start-up warning for users switched to codes by e-mail before this check existed (or
 * before SMTP_URL was removed): they cannot finish a login until mail works or an administrator
 * switches them to another method. Returns the line to log, or null when all is well.
 */
export function undeliverableCodesWarning(t: MailTransport, emailCodeUsers: number): string | null {
  if (deliversLoginCodes(t) || emailCodeUsers === 0) return null;
  return (
    `${emailCodeUsers} active user(s) get their second factor by e-mail, but no mail transport is ` +
    'configured (SMTP_URL), so their codes never arrive and they cannot log in: set SMTP_URL, or ' +
    'switch them to another method (PUT /api/v1/admin/users/{id}/two-factor)'
  );
}

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

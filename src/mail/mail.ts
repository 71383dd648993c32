import type { Db } from '../db/database.ts';
import type { Clock } from '../shared/clock.ts';
import { newId } from '../shared/ids.ts';
import { insertOutboxRow } from './outbox.store.ts';

export interface Mail {
  to: string;
  subject: string;
  text: string;
}

/**
 * What a mail is, for the people who read the outbox and its logs. `login_code` mails carry a
 * second-factor code in subject and body: those two are never shown or logged (mail-view.ts).
 */
export type MailKind = 'email' | 'notification' | 'login_code';

/** Queues a mail inside the caller's transaction (pass the transaction as `db`). */
export async function enqueueMail(
  db: Db,
  clock: Clock,
  mail: Mail,
  kind: MailKind = 'email',
): Promise<string> {
  const now = clock.now();
  const id = newId(now);
  await insertOutboxRow(db, {
    id,
    kind,
    recipient: mail.to,
    subject: mail.subject,
    body_text: mail.text,
    created_at: now,
    available_at: now,
    attempts: 0,
    last_error: null,
    sent_at: null,
    status: 'pending',
    lease_until: null,
    lease_owner: null,
    message_id: null,
  });
  return id;
}

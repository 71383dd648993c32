import type { Db } from '../db/database.ts';
import type { Clock } from '../shared/clock.ts';
import { newId } from '../shared/ids.ts';
import { insertOutboxRow } from './outbox.store.ts';

export interface Mail {
  to: string;
  subject: string;
  text: string;
}

/** Queues a mail inside the caller's transaction (pass the transaction as `db`). */
export async function enqueueMail(db: Db, clock: Clock, mail: Mail): Promise<string> {
  const now = clock.now();
  const id = newId(now);
  await insertOutboxRow(db, {
    id,
    kind: 'email',
    recipient: mail.to,
    subject: mail.subject,
    body_text: mail.text,
    created_at: now,
    available_at: now,
    attempts: 0,
    last_error: null,
    sent_at: null,
  });
  return id;
}

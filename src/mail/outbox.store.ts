import type { Db } from '../db/database.ts';
import type { OutboxTable } from '../db/schema.ts';

// The transactional outbox: a mail is a row written in the same transaction as the change that
// causes it, so no committed change loses its mail and no rolled-back change sends one.
// A worker delivers the rows (see mail/).

export async function insertOutboxRow(db: Db, row: OutboxTable): Promise<void> {
  await db.insertInto('outbox').values(row).execute();
}

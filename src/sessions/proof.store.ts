import type { Db } from '../db/database.ts';

// Issue 12 #5, step-up: when a session's owner last proved a credential on the server.

export async function findProvenAt(db: Db, sessionId: string): Promise<number | null> {
  const row = await db
    .selectFrom('sessions')
    .select('proven_at')
    .where('id', '=', sessionId)
    .executeTakeFirst();
  return row?.proven_at == null ? null : Number(row.proven_at);
}

export async function setProvenAt(db: Db, sessionId: string, now: number): Promise<void> {
  await db.updateTable('sessions').set({ proven_at: now }).where('id', '=', sessionId).execute();
}

import type { Db } from '../db/database.ts';
import { authorize } from '../permissions/authorize.ts';
import { decodeKeysetCursor } from '../shared/keyset-cursor.ts';
import type { AuthedContext } from '../shared/request-context.ts';
import { listOutboxRows, type OutboxStatus } from './outbox.store.ts';

// Issue 10 #19: the outbox is for administrators of notifications; decided here, not by the
// route, and before the cursor is read (who may not look learns nothing about its format).
export async function listOutboxAs(
  ctx: AuthedContext,
  db: Db,
  q: { status?: OutboxStatus | undefined; cursor?: string | undefined; limit: number },
) {
  authorize(ctx, 'notifications.manage');
  return listOutboxRows(db, {
    status: q.status,
    before: q.cursor === undefined ? undefined : decodeKeysetCursor(q.cursor),
    limit: q.limit,
  });
}

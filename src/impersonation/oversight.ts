import type { Db } from '../db/database.ts';
import { authorize } from '../permissions/authorize.ts';
import type { AuthedContext } from '../shared/request-context.ts';
import { listImpersonations } from './impersonation.store.ts';

// Issue 10 #19: who may oversee impersonations is decided here, not by the route. The operator's
// `npm run admin` lists them from the store directly: on the host nobody is to authorize.
export async function listImpersonationsAs(
  ctx: AuthedContext,
  db: Db,
  opts: { activeOnly: boolean; limit: number },
) {
  authorize(ctx, 'impersonations.manage');
  return listImpersonations(db, opts);
}

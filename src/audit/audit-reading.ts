import type { Db } from '../db/database.ts';
import { authorize } from '../permissions/authorize.ts';
import type { AuthedContext } from '../shared/request-context.ts';
import { auditActions } from './actions.ts';
import type { AuditIntegrity } from './integrity.ts';
import { readTrail, type TrailQuery } from './trail.ts';

// Issue 10 #19: who may read and check the audit trail is decided here in the audit domain, not
// by its routes; each function asks `audit.read` before it reads or signs anything. The
// operator's jobs (src/ops/) call AuditIntegrity directly: on the host nobody is to authorize.

export async function readTrailAs(ctx: AuthedContext, db: Db, q: TrailQuery) {
  authorize(ctx, 'audit.read');
  return readTrail(db, q);
}

/** R-IMP-08: the whole trail checked. */
export async function verifyTrailAs(ctx: AuthedContext, integrity: AuditIntegrity) {
  authorize(ctx, 'audit.read');
  return integrity.verify();
}

export async function signCheckpointAs(ctx: AuthedContext, integrity: AuditIntegrity) {
  authorize(ctx, 'audit.read');
  return integrity.checkpoint();
}

/** The audit actions this server writes, for a filter (issue 10 #11). */
export function auditActionsFor(ctx: AuthedContext) {
  authorize(ctx, 'audit.read');
  return [...auditActions];
}

import type { Db, Tx } from '../db/database.ts';
import { newId } from '../shared/ids.ts';
import type { Clock } from '../shared/clock.ts';
import type { RequestContext } from '../shared/request-context.ts';
import { allCheckpoints, appendAuditEvent, auditRunAfter } from './audit.store.ts';
import { ChainVerifier, type VerifierKeys, type VerifyReport } from './verifier.ts';

// The audit writer. Every state change calls it inside the change's own transaction, so an
// event exists exactly when its change does. It never takes secrets: callers pass field names
// and values that are safe to show (see redact()).

/** What an event is about; the web app has a word for each (issue 10 #10). */
export const auditTargetTypes = [
  'user',
  'settings',
  'session',
  'system',
  'policy',
  'group',
  'domain',
  'app',
  'login_service',
] as const;

export interface AuditTarget {
  type: (typeof auditTargetTypes)[number];
  id: string | null;
  label: string | null;
}

export type Changes = Record<string, { before: unknown; after: unknown }>;

export interface AuditEventInput {
  action: string;
  target: AuditTarget;
  changes?: Changes | undefined;
  details?: Record<string, unknown> | undefined;
  /**
   * The reason of the impersonation the event belongs to, where the request itself runs outside
   * it (its start, its end by expiry or by the user): the trail shows it on every such event.
   */
  impersonationReason?: string | undefined;
}

/**
 * Field names whose values never enter the trail; they are shown as changed, not what to.
 * Only the last segment of a dotted name counts, so that settings such as
 * `login.passwordLoginEnabled` or `passwordPolicy.minLength` stay readable.
 */
const secretField =
  /^(password|newPassword|currentPassword|passwordHash|password_hash|secret|totpSecret|totp_secret|token|code)$/i;

export function isSecretField(field: string): boolean {
  return secretField.test(field.split('.').at(-1) ?? field);
}

export function redact(changes: Changes): Changes {
  const out: Changes = {};
  for (const [field, change] of Object.entries(changes)) {
    out[field] = isSecretField(field) ? { before: '[redacted]', after: '[redacted]' } : change;
  }
  return out;
}

/** Pure: the before/after of the fields that differ. */
export function diff(before: Record<string, unknown>, after: Record<string, unknown>): Changes {
  const out: Changes = {};
  for (const key of Object.keys(after)) {
    if (JSON.stringify(before[key]) !== JSON.stringify(after[key])) {
      out[key] = { before: before[key] ?? null, after: after[key] ?? null };
    }
  }
  return out;
}

/** How the trail names an operator's command as actor (the web app shows the label). */
export function operatorLabel(command: string): string {
  return `operator (npm run admin -- ${command})`;
}

/**
 * Told of every event as it is appended, inside its transaction (for /metrics: logins,
 * lockouts, impersonations). In-process and synchronous: a listener must not throw or wait.
 */
export const auditListeners = new Set<
  (action: string, details: Record<string, unknown> | undefined) => void
>();

/** Appends an event, inside the transaction `db` of the change it records (issue 7 #8). */
export async function recordAudit(
  db: Tx,
  clock: Clock,
  ctx: RequestContext,
  event: AuditEventInput,
): Promise<void> {
  const actor = ctx.actor ?? ctx.user;
  await appendAuditEvent(db, {
    id: newId(clock.now()),
    occurred_at: clock.now(),
    request_id: ctx.requestId,
    action: event.action,
    user_id: ctx.user?.id ?? null,
    user_label: ctx.user?.displayName ?? null,
    actor_id: actor?.id ?? null,
    actor_label: actor?.displayName ?? (ctx.operator ? operatorLabel(ctx.operator) : null),
    impersonation_id: ctx.impersonationId,
    impersonation_reason: event.impersonationReason ?? ctx.impersonation?.reason ?? null,
    target_type: event.target.type,
    target_id: event.target.id,
    target_label: event.target.label,
    changes: event.changes ? JSON.stringify(redact(event.changes)) : null,
    details: event.details ? JSON.stringify(event.details) : null,
    ip: ctx.ip,
  });
  for (const listener of auditListeners) listener(event.action, event.details);
}

/**
 * Walks the whole trail in order and checks every event and checkpoint (R-IMP-08, issue 7 #9).
 * Checkpoints are read first: one written meanwhile points past what the walk will see.
 */
export async function verifyAuditChain(db: Db, keys: VerifierKeys, batchSize = 5000): Promise<VerifyReport> {
  const verifier = new ChainVerifier(keys, await allCheckpoints(db));
  let afterSeq = 0;
  for (;;) {
    const rows = await auditRunAfter(db, afterSeq, batchSize);
    if (rows.length === 0) return verifier.finish();
    verifier.add(rows);
    afterSeq = rows.at(-1)!.seq;
  }
}

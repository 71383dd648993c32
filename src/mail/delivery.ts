// Pure rules of mail delivery, tested by tables (delivery.test.ts).

export const retryBaseMs = 30_000;
export const retryCapMs = 60 * 60_000;

/**
 * How long to wait after the `attempts`-th failed attempt: 30 s, doubling, at most an hour.
 * Exponential, so a long SMTP outage costs few connection attempts; capped, so a mail goes out
 * within an hour of the server's return.
 */
export function retryDelayMs(attempts: number): number {
  const n = Math.max(1, Math.floor(attempts));
  // 2^7 * 30 s already exceeds the cap; stopping there keeps the arithmetic exact.
  return Math.min(retryBaseMs * 2 ** Math.min(n - 1, 7), retryCapMs);
}

/** What to do after a failed attempt, `attempts` counting this one. */
export function afterFailure(
  attempts: number,
  maxAttempts: number,
  now: number,
): { retryAt: number } | { giveUp: true } {
  return attempts >= maxAttempts ? { giveUp: true } : { retryAt: now + retryDelayMs(attempts) };
}

/** The address part of a From header: `Behalf <no-reply@example.org>` -> `no-reply@example.org`. */
export function addressOf(from: string): string {
  const angle = /<([^<>\s]+@[^<>\s]+)>\s*$/.exec(from);
  return (angle ? angle[1]! : from).trim();
}

/**
 * The Message-ID of an outbox row: derived from the row's id, so a mail sent again (a crash
 * between the server's acceptance and our bookkeeping) carries the same id, and mail systems
 * that deduplicate by Message-ID show it once.
 */
export function messageIdFor(outboxId: string, from: string): string {
  const address = addressOf(from);
  const at = address.lastIndexOf('@');
  const domain = at >= 0 ? address.slice(at + 1) : '';
  return `<${outboxId}@${/^[A-Za-z0-9.-]+$/.test(domain) ? domain : 'behalf.invalid'}>`;
}

/** One line of an error for `last_error`: no stack, bounded, safe to show administrators. */
export function describeError(error: unknown): string {
  const e = error as { message?: unknown; code?: unknown; responseCode?: unknown };
  const message = typeof e?.message === 'string' ? e.message : String(error);
  const parts = [
    typeof e?.responseCode === 'number' ? String(e.responseCode) : null,
    typeof e?.code === 'string' ? e.code : null,
    message.replace(/\s+/g, ' ').trim(),
  ].filter(Boolean);
  return parts.join(' ').slice(0, 500);
}

export const hidden = '[hidden]';

/**
 * What administrators and logs may see of a mail. A login_code mail carries a second-factor
 * code in its subject and body, so both are hidden: whoever reads the outbox must not be able
 * to complete someone else's login.
 */
export function visibleContent(
  kind: string,
  subject: string,
  body: string,
): { subject: string; body: string } {
  return kind === 'login_code' ? { subject: hidden, body: hidden } : { subject, body };
}

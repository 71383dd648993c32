import { randomInt } from 'node:crypto';
import type { PasswordPolicy } from '../settings/settings.schema.ts';
import type { FieldError, FieldErrorKind } from '../shared/errors.ts';

// Pure rules for passwords (R-ADM-12). The policy is an application setting.

export const maxPasswordLength = 256;

/** The rules a password breaks, as readable sentences; empty when it satisfies the policy. */
export function passwordViolations(policy: PasswordPolicy, password: string): string[] {
  return passwordFieldErrors(policy, password, 'password').map((e) => e.message);
}

/** The same checks as field errors with a kind, so clients can say them in their language. */
export function passwordFieldErrors(policy: PasswordPolicy, password: string, field: string): FieldError[] {
  const out: FieldError[] = [];
  const add = (kind: FieldErrorKind, message: string, params?: Record<string, unknown>) =>
    out.push({ field, message, kind, ...(params ? { params } : {}) });
  const length = [...password].length;
  if (length < policy.minLength) {
    add('password_too_short', `must be at least ${policy.minLength} characters long`, {
      minimum: policy.minLength,
    });
  }
  if (length > maxPasswordLength) {
    add('password_too_long', `must be at most ${maxPasswordLength} characters long`, {
      maximum: maxPasswordLength,
    });
  }
  if (policy.requireLowercase && !/\p{Ll}/u.test(password)) {
    add('password_needs_lowercase', 'must contain a lowercase letter');
  }
  if (policy.requireUppercase && !/\p{Lu}/u.test(password)) {
    add('password_needs_uppercase', 'must contain an uppercase letter');
  }
  if (policy.requireDigit && !/\p{Nd}/u.test(password)) add('password_needs_digit', 'must contain a digit');
  if (policy.requireSymbol && !/[^\p{L}\p{Nd}]/u.test(password)) {
    add('password_needs_symbol', 'must contain a symbol');
  }
  return out;
}

// No look-alikes (0/O, 1/l/I), so a password read from a screen is typed right the first time.
const lower = 'abcdefghijkmnopqrstuvwxyz';
const upper = 'ABCDEFGHJKLMNPQRSTUVWXYZ';
const digits = '23456789';
const symbols = '!#$%&*+-=?@_';

/**
 * A random password that satisfies the policy: at least 20 characters (about 119 bits), one of
 * each class, positions shuffled. `pick` is injectable for tests; by default it is CSPRNG-backed.
 */
export function generatePassword(
  policy: PasswordPolicy,
  pick: (max: number) => number = (max) => randomInt(max),
): string {
  const length = Math.max(20, policy.minLength);
  const all = lower + upper + digits + symbols;
  const chars = [lower, upper, digits, symbols].map((set) => set[pick(set.length)]!);
  while (chars.length < length) chars.push(all[pick(all.length)]!);
  for (let i = chars.length - 1; i > 0; i--) {
    const j = pick(i + 1);
    [chars[i], chars[j]] = [chars[j]!, chars[i]!];
  }
  return chars.join('');
}

import { randomInt, timingSafeEqual } from 'node:crypto';
import { Secret, TOTP } from 'otpauth';
import type { TwoFactorMethod } from '../users/user.ts';

// Pure pieces of the second login step (R-ADM-13): e-mail codes and TOTP (RFC 6238).

/**
 * How long a code challenge lives (the login's second step, and a step-up's e-mail code) and how
 * many codes one challenge may check: one place, so a step-up is never easier to guess than a login.
 */
export const codeChallengeTtlMs = 10 * 60_000;
export const maxCodeAttemptsPerChallenge = 5;

/** A six-digit code for e-mail, from the CSPRNG. */
export function newEmailCode(): string {
  return String(randomInt(0, 1_000_000)).padStart(6, '0');
}

export function sameCode(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Checks an authenticator-app code against the enrolled secret, one step of clock drift allowed. */
export function totpMatches(secretBase32: string, code: string, nowMs: number): boolean {
  const totp = new TOTP({ secret: Secret.fromBase32(secretBase32), digits: 6, period: 30 });
  return totp.validate({ token: code, timestamp: nowMs, window: 1 }) !== null;
}

export type ChallengeMethod = Exclude<TwoFactorMethod, 'none'>;

import { hash, randomBytes } from 'node:crypto';

// Session tokens: 256 random bits handed to the browser; only their SHA-256 is stored, so a
// copy of the database lets nobody in. The one-shot crypto.hash is the cheapest way per request.

export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

export function hashToken(token: string): string {
  return hash('sha256', token, 'base64url');
}

/** Tokens we issue are 43 base64url characters; anything else is not worth a lookup. */
export function looksLikeToken(value: string | undefined): value is string {
  return typeof value === 'string' && /^[A-Za-z0-9_-]{43}$/.test(value);
}

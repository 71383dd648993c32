import type { JWTPayload } from 'jose';
import { BehalfTokenError } from './errors.ts';

// Who a verified token speaks for (R-IMP-14, docs/apps.md "Impersonation claims"). Pure: the
// same reading for an access token, an ID token, userinfo or an introspection answer.

export interface Principal {
  /** The user the session is (while acting: the subject, the user being acted as). */
  user: { id: string; name?: string; email?: string };
  /** The person really acting (the RFC 8693 `act` claim), or null outside an impersonation. */
  actor: { id: string; name?: string } | null;
  impersonation: { id: string; expiresAt: Date } | null;
  /** Capabilities refused while acting (`blocked_capabilities`); [] outside an impersonation. */
  blocked: string[];
  claims: JWTPayload;
}

function invalid(message: string): BehalfTokenError {
  return new BehalfTokenError('invalid_token', message);
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const optionalString = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/**
 * Pure: the principal of claims that were verified already. Fails closed: an `act` claim without
 * a well-formed impersonation and blocked list is refused, never read as "nothing blocked".
 */
export function principalFromClaims(claims: JWTPayload): Principal {
  if (typeof claims.sub !== 'string' || claims.sub === '') throw invalid('The token has no subject.');
  const name = optionalString(claims.name);
  const email = optionalString(claims.email);
  const user = { id: claims.sub, ...(name ? { name } : {}), ...(email ? { email } : {}) };
  const { act, impersonation, blocked_capabilities: blocked } = claims;
  if (act === undefined) {
    if (impersonation !== undefined || blocked !== undefined)
      throw invalid('Impersonation claims without an actor.');
    return { user, actor: null, impersonation: null, blocked: [], claims };
  }
  if (!isObject(act) || typeof act.sub !== 'string' || act.sub === '')
    throw invalid('The "act" claim names no actor.');
  if (
    !isObject(impersonation) ||
    typeof impersonation.id !== 'string' ||
    typeof impersonation.expires_at !== 'number'
  )
    throw invalid('The "impersonation" claim is missing or malformed.');
  if (!Array.isArray(blocked) || !blocked.every((c) => typeof c === 'string'))
    throw invalid('The "blocked_capabilities" claim is missing or malformed.');
  const actorName = optionalString(act.name);
  return {
    user,
    actor: { id: act.sub, ...(actorName ? { name: actorName } : {}) },
    impersonation: { id: impersonation.id, expiresAt: new Date(impersonation.expires_at * 1000) },
    blocked: [...blocked],
    claims,
  };
}

/** Pure: whether the principal may not exercise this capability (it is acting and it is blocked). */
export function isBlocked(principal: Principal, capability: string): boolean {
  return principal.blocked.includes(capability);
}

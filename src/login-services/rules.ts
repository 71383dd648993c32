// Pure rules of external login services (issue 8, R-ADM-11, R-ADM-17). No I/O; tested by tables
// (rules.test.ts).

const loopbackHosts = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Why an issuer URL is not acceptable, or null. An issuer must be https: its discovery document
 * and keys decide whose ID tokens Behalf trusts, so plain http would let anyone on the path sign
 * users in. Plain http is allowed on loopback hosts only (a provider on the same machine, and the
 * tests' providers). No query, fragment or user info (OpenID Connect Discovery, section 3).
 */
export function issuerProblem(value: string): string | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'must be an absolute URL';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'must be an https URL';
  if (url.protocol === 'http:' && !loopbackHosts.has(url.hostname))
    return 'must be an https URL (http only on localhost, 127.0.0.1 or [::1])';
  if (url.search || url.hash || value.includes('#') || value.includes('?'))
    return 'must not have a query or fragment';
  if (url.username || url.password) return 'must not contain user information';
  return null;
}

/** Whether plain http is to be allowed towards this issuer (loopback only, see above). */
export function isLoopbackHttp(issuer: string): boolean {
  const url = new URL(issuer);
  return url.protocol === 'http:' && loopbackHosts.has(url.hostname);
}

/**
 * A local path to return to after the flow, or the fallback. Only same-origin paths: an
 * absolute URL, a protocol-relative `//host` or a backslash trick would turn the sign-in into an
 * open redirect.
 */
export function safeReturnTo(value: string | undefined, fallback: string): string {
  if (!value || value.length > 500) return fallback;
  if (!value.startsWith('/') || value.startsWith('//') || value.includes('\\')) return fallback;
  // Control characters (e.g. a tab inside `/\t/host`) are dropped by browsers: refuse them.
  for (let i = 0; i < value.length; i++)
    if (value.charCodeAt(i) < 0x20 || value.charCodeAt(i) === 0x7f) return fallback;
  return value;
}

/** The sign-in page a flow that started from `returnTo` goes back to. */
export function signInPageFor(returnTo: string): string {
  return returnTo === '/admin' || returnTo.startsWith('/admin/') ? '/admin/sign-in' : '/sign-in';
}

/**
 * The `amr` values (RFC 8176) that show the provider itself checked more than one factor. When a
 * service trusts the provider's MFA, such a sign-in skips Behalf's own second factor; any other
 * (or no) `amr` gets Behalf's second factor as a password sign-in would. `acr` values are
 * provider-specific and therefore not trusted by themselves.
 */
export const multiFactorAmr = ['mfa', 'otp', 'hwk', 'swk', 'sms', 'fpt', 'face', 'iris', 'retina', 'sc'];

/** Whether Behalf's own second factor is still due after a sign-in at a login service. */
export function secondFactorDue(twoFactorMethod: string, trustProviderMfa: boolean, amr: unknown): boolean {
  if (twoFactorMethod === 'none') return false;
  if (!trustProviderMfa || !Array.isArray(amr)) return true;
  return !amr.some((v) => typeof v === 'string' && multiFactorAmr.includes(v));
}

/** Scope tokens (RFC 6749, section 3.3); `openid` must be among them. */
export function scopesProblem(scopes: string[]): string | null {
  if (!scopes.includes('openid')) return 'must include openid';
  if (scopes.some((s) => !/^[\x21\x23-\x5b\x5d-\x7e]+$/.test(s)))
    return 'must be scope tokens without spaces';
  if (new Set(scopes).size !== scopes.length) return 'must not repeat a scope';
  return null;
}

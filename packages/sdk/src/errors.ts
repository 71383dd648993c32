import { errors } from 'jose';

// Why a token was refused, as a stable code an app can switch on. jose's own errors are
// mapped once, here: apps never need to import jose to tell "expired" from "forged".

export type BehalfTokenErrorCode =
  /** Not a JWT, a bad signature, a key Behalf never published, a wrong `typ`, a missing claim. */
  | 'invalid_token'
  /** `exp` has passed (beyond the clock tolerance). */
  | 'expired'
  /** `iss` is not the configured issuer. */
  | 'wrong_issuer'
  /** `aud` (or an access token's `client_id`) is not this app's. */
  | 'wrong_audience'
  /** An ID token's `nonce` is not the one the app sent. */
  | 'wrong_nonce'
  /** A logout token whose `jti` was seen already. */
  | 'replayed'
  /** No token in the request. */
  | 'missing_token'
  /** Behalf's discovery document or JWKS could not be fetched: try again later. */
  | 'unavailable';

export class BehalfTokenError extends Error {
  readonly code: BehalfTokenErrorCode;
  constructor(code: BehalfTokenErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'BehalfTokenError';
    this.code = code;
  }
}

/** Pure: jose's (or anything else's) error as a BehalfTokenError. */
export function toTokenError(error: unknown): BehalfTokenError {
  if (error instanceof BehalfTokenError) return error;
  if (error instanceof errors.JWTExpired) return new BehalfTokenError('expired', 'The token has expired.');
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === 'iss')
      return new BehalfTokenError('wrong_issuer', 'The token was not issued by the configured issuer.');
    if (error.claim === 'aud')
      return new BehalfTokenError('wrong_audience', 'The token was not issued for this audience.');
    return new BehalfTokenError('invalid_token', `The token's "${error.claim}" claim is invalid.`);
  }
  if (error instanceof errors.JWKSTimeout)
    return new BehalfTokenError('unavailable', "Behalf's keys could not be fetched in time.", {
      cause: error,
    });
  if (error instanceof errors.JOSEError)
    return new BehalfTokenError('invalid_token', `The token is invalid (${error.code}).`, { cause: error });
  // Anything else comes from fetching the keys (network, a non-JSON answer).
  return new BehalfTokenError('unavailable', "Behalf's keys could not be fetched.", { cause: error });
}

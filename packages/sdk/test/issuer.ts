import { randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWTPayload } from 'jose';
import { startApp } from './apps.ts';

// An issuer of our own (discovery and JWKS on node:http, a key made here) for the cases the
// real server must never produce: wrong issuer, wrong audience, expired, forged, malformed.

export interface TestIssuer {
  issuer: string;
  kid: string;
  /** Signs claims with the published key (or `key`), ES256, header `typ` as given. */
  sign(claims: JWTPayload, options?: { typ?: string; key?: CryptoKey; kid?: string }): Promise<string>;
  close(): Promise<void>;
}

export async function startIssuer(discoveredIssuer?: (own: string) => string): Promise<TestIssuer> {
  const { publicKey, privateKey } = await generateKeyPair('ES256');
  const kid = randomUUID();
  const jwk = { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' };
  let issuer = '';
  const json = (body: unknown) => (_req: unknown, res: import('node:http').ServerResponse) => {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify(typeof body === 'function' ? (body as () => unknown)() : body));
  };
  const app = await startApp({
    'GET /oidc/.well-known/openid-configuration': json(() => ({
      issuer: discoveredIssuer ? discoveredIssuer(issuer) : issuer,
      jwks_uri: `${issuer}/jwks`,
    })),
    'GET /oidc/jwks': json({ keys: [jwk] }),
  });
  issuer = `${app.url}/oidc`;
  return {
    issuer,
    kid,
    sign: (claims, options = {}) =>
      new SignJWT(claims)
        .setProtectedHeader({
          alg: 'ES256',
          kid: options.kid ?? kid,
          ...(options.typ ? { typ: options.typ } : {}),
        })
        .sign(options.key ?? privateKey),
    close: () => app.close(),
  };
}

export const nowSec = () => Math.floor(Date.now() / 1000);

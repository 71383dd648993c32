import { createPrivateKey, generateKeyPairSync, randomUUID } from 'node:crypto';
import type { Database } from '../db/database.ts';
import { insertSigningKey, listSigningKeys } from './oidc.store.ts';

// The provider's signing keys live in the database (table oidc_keys), not in a file: every
// instance of one installation must sign with and publish the same keys, and the database is
// what they already share. They are private keys: whoever reads the database can mint tokens,
// as whoever reads it can already read every session (see docs/apps.md).
//
// ES256 (P-256): short signatures, supported by every certified client library. The newest key
// signs; all stored keys stay published in the JWKS so tokens signed before a rotation still
// verify (`npm run oidc:rotate-keys` adds one; instances pick it up at their next start).

export type PrivateJwk = Record<string, unknown> & { kid: string };

/** Pure: a new ES256 private JWK with a fresh key id. */
export function newSigningKey(): PrivateJwk {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const jwk = privateKey.export({ format: 'jwk' });
  return { ...jwk, kid: randomUUID(), alg: 'ES256', use: 'sig' };
}

async function addKey(database: Database, now: number): Promise<void> {
  const jwk = newSigningKey();
  await insertSigningKey(database.db, { kid: jwk.kid, jwk: JSON.stringify(jwk), created_at: now });
}

/** The stored keys, newest first; generates the first one at the installation's first start. */
export async function loadSigningKeys(database: Database, now: number): Promise<PrivateJwk[]> {
  return database.exclusive('oidc-keys', async () => {
    if ((await listSigningKeys(database.db)).length === 0) await addKey(database, now);
    return (await listSigningKeys(database.db)).map((row) => JSON.parse(row.jwk) as PrivateJwk);
  });
}

/**
 * Throws unless every key is an ES256 private key. The provider that signs with them is built at
 * its first use (issue 13), so a damaged key is caught here at start, as it was when the provider
 * was built at start, not by the first app that signs in.
 */
export function checkSigningKeys(keys: PrivateJwk[]): void {
  for (const jwk of keys) {
    let curve: string | undefined;
    try {
      const key = createPrivateKey({ key: jwk, format: 'jwk' });
      curve = key.asymmetricKeyType === 'ec' ? key.asymmetricKeyDetails?.namedCurve : undefined;
    } catch {
      curve = undefined;
    }
    if (curve !== 'prime256v1' || jwk.alg !== 'ES256') {
      throw new Error(`OpenID Provider signing key ${jwk.kid} is not an ES256 private key (table oidc_keys)`);
    }
  }
}

/** Adds a new signing key; the old ones stay for verification. */
export async function rotateSigningKeys(database: Database, now: number): Promise<void> {
  await database.exclusive('oidc-keys', () => addKey(database, now));
}

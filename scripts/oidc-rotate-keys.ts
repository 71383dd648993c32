// `npm run oidc:rotate-keys`: adds a new signing key for the OpenID Provider (issue 9) to the
// database DATABASE_URL names. The new key signs from each instance's next start; the old keys
// stay published in the JWKS, so tokens signed with them still verify until they expire.
// Remove a retired key (table oidc_keys) only once its last token has expired (1 hour for
// ID and access tokens).
import { loadConfig } from '../src/config.ts';
import { migrateToLatest, openDatabase } from '../src/db/database.ts';
import { loadSigningKeys, rotateSigningKeys } from '../src/oidc/keys.ts';

const config = loadConfig();
const database = await openDatabase(config.databaseUrl);
try {
  await migrateToLatest(database);
  await loadSigningKeys(database, Date.now());
  await rotateSigningKeys(database, Date.now());
  const keys = await loadSigningKeys(database, Date.now());
  console.log(
    `new signing key ${keys[0]!.kid}; ${keys.length} key(s) published. Restart the server to sign with it.`,
  );
} finally {
  await database.close();
}

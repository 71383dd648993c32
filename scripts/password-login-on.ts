// `npm run login:password-on`: switches password login back on in the database DATABASE_URL
// names (R-ADM-17), for the day every login service shown on the sign-in page breaks while
// password login is off and nobody can sign in to switch it on. Audited as `settings.updated`
// by the system, like any settings change. With PostgreSQL every running instance drops its
// cached settings at once; a server on a SQLite file reads the change after a restart.
import { loadConfig } from '../src/config.ts';
import { migrateToLatest, openDatabase } from '../src/db/database.ts';
import { systemClock } from '../src/shared/clock.ts';
import { systemContext } from '../src/shared/request-context.ts';
import { createServices } from '../src/services.ts';

const config = loadConfig();
const database = await openDatabase(config.databaseUrl);
try {
  await migrateToLatest(database);
  const services = createServices(config, database, systemClock);
  const before = await services.settings.get();
  if (before.login.passwordLoginEnabled) {
    console.log('Password login is on already; nothing changed.');
  } else {
    // Switching it on is always allowed: only switching it off needs a way back in.
    await services.settings.update(
      systemContext('password-login-on'),
      { login: { passwordLoginEnabled: true } },
      null,
    );
    console.log('Password login is on again. Users with a password can sign in.');
  }
} finally {
  await database.close();
}

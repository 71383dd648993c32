import { openDatabase } from '../../src/db/database.ts';
import { systemClock } from '../../src/shared/clock.ts';
import { SettingsService } from '../../src/settings/settings.service.ts';
import { SessionService } from '../../src/sessions/sessions.service.ts';

/**
 * Creates `count` sessions, one each for as many plain users (cycling if there are fewer),
 * straight in the database through Behalf's own SessionService (so rows and tokens are exactly
 * what a login makes), and returns their tokens. One transaction for all of them: with synchronous=FULL, a commit per session
 * would measure the disk, not the cache these sessions are for. The running server has never
 * seen them, so its first request with each one takes the cache-miss path.
 */
export async function createSessions(databaseUrl: string, count: number): Promise<string[]> {
  const database = await openDatabase(databaseUrl);
  try {
    // Distinct users, as in real life: each cached session then holds its own principal.
    const users = await database.db
      .selectFrom('users')
      .select('id')
      .where('role', '=', 'user')
      .where('active', '=', true)
      .limit(count)
      .execute();
    if (users.length === 0) throw new Error('no users to create sessions for');
    const settings = new SettingsService(database, systemClock);
    // Read (and cache) the settings now: inside the transaction, SQLite's one connection is
    // taken, and a settings read outside it would wait for it forever.
    await settings.get();
    const tokens: string[] = [];
    await database.transaction(async (trx) => {
      const sessions = new SessionService({ ...database, db: trx }, systemClock, settings);
      for (let i = 0; i < count; i++) {
        const { token } = await sessions.create(users[i % users.length]!.id, {
          ip: '127.0.0.1',
          userAgent: 'behalf-bench',
        });
        tokens.push(token);
      }
    });
    return tokens;
  } finally {
    await database.close();
  }
}

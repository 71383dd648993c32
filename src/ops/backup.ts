import { existsSync, renameSync, rmSync } from 'node:fs';
import { backup, DatabaseSync } from 'node:sqlite';
import { describeDatabaseUrl } from '../db/database.ts';

// An online backup of the SQLite database (issue 11): SQLite's backup API through node:sqlite,
// on a connection of its own, while the server goes on writing. It copies a consistent state
// (restarting when a write lands meanwhile), into a temporary file that becomes FILE only when
// complete and checked, so a FILE that exists is a usable backup.

export async function backupSqlite(
  databaseUrl: string | undefined,
  file: string,
): Promise<{ pages: number }> {
  const { dialect, location } = describeDatabaseUrl(databaseUrl);
  if (dialect !== 'sqlite') {
    throw new Error(
      'backup copies the SQLite database; back up PostgreSQL with pg_dump (docs/operations.md)',
    );
  }
  if (location === ':memory:') throw new Error('an in-memory database has nothing to back up');
  if (!existsSync(location)) throw new Error(`there is no database at ${location}`);
  if (existsSync(file)) throw new Error(`${file} exists already; it is not overwritten`);
  const partial = `${file}.partial`;
  const source = new DatabaseSync(location);
  try {
    source.exec('PRAGMA busy_timeout = 5000');
    const pages = await backup(source, partial, { rate: 1000 });
    const copy = new DatabaseSync(partial);
    try {
      const check = copy.prepare('PRAGMA integrity_check').get() as { integrity_check: string };
      if (check.integrity_check !== 'ok') throw new Error(`the copy is damaged: ${check.integrity_check}`);
      // One self-contained file: no -wal beside it to lose when it is moved.
      copy.exec('PRAGMA journal_mode = DELETE');
    } finally {
      copy.close();
    }
    renameSync(partial, file);
    return { pages };
  } catch (error) {
    rmSync(partial, { force: true });
    throw error;
  } finally {
    source.close();
  }
}

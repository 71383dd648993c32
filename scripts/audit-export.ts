// `npm run audit:export -- [--out trail.jsonl]`: the audit trail of the database DATABASE_URL
// names as JSON lines (header, events, checkpoints) to the file or to stdout (issue 7 #9).
// Verify it offline with the public key (GET /api/v1/audit/public-key):
//   npm run audit:verify -- --export trail.jsonl --public-key audit.pub.pem
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config.ts';
import { openDatabase } from '../src/db/database.ts';
import { exportAuditTrail } from '../src/audit/export.ts';

const { values } = parseArgs({ options: { out: { type: 'string' } } });

try {
  const config = loadConfig();
  const database = await openDatabase(config.databaseUrl);
  const out = values.out === undefined ? process.stdout : createWriteStream(values.out, { mode: 0o600 });
  try {
    const counts = await exportAuditTrail(database.db, Date.now(), async (line) => {
      if (!out.write(`${line}\n`)) await once(out, 'drain');
    });
    if (values.out !== undefined) {
      out.end();
      await once(out, 'finish');
      console.error(
        `exported ${counts.events} events and ${counts.checkpoints} checkpoints to ${values.out}`,
      );
    }
  } finally {
    await database.close();
  }
} catch (error) {
  console.error(`audit:export: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 2;
}

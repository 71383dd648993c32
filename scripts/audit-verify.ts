// `npm run audit:verify`: checks the audit trail's hash chain in the database DATABASE_URL
// names (the server's own default otherwise) and exits 1 at the first broken link.
import { openDatabase } from '../src/db/database.ts';
import { verifyAuditChain } from '../src/audit/audit.ts';

const database = await openDatabase(process.env.DATABASE_URL);
try {
  const report = await verifyAuditChain(database.db);
  if (report.ok) {
    console.log(`audit trail intact: ${report.checked} events checked`);
  } else {
    const b = report.firstBroken!;
    console.error(
      `audit trail BROKEN at event seq ${b.seq} (id ${b.id}): ${b.reason}; ${report.checked} events before it are intact`,
    );
    process.exitCode = 1;
  }
} finally {
  await database.close();
}

// `npm run audit:verify`: checks the audit trail (issue 7 #9) and exits 1 when anything is wrong.
//   npm run audit:verify
//       the database DATABASE_URL names (the server's default otherwise), with the server's keys
//       (AUDIT_HMAC_KEY/AUDIT_SIGNING_KEY, or the files in AUDIT_KEY_DIR): hashes, links,
//       positions, MACs and checkpoints.
//   npm run audit:verify -- --export trail.jsonl --public-key audit.pub.pem [--checkpoints server.log]...
//       offline, an export (npm run audit:export) with the public key alone: everything but MACs.
// --json prints the whole report.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config.ts';
import { openDatabase } from '../src/db/database.ts';
import { verifyAuditChain } from '../src/audit/audit.ts';
import { verifyExport } from '../src/audit/export.ts';
import { keyIdOf, loadAuditKeys, parsePublicKey } from '../src/audit/keys.ts';
import type { VerifyReport } from '../src/audit/verifier.ts';

const { values } = parseArgs({
  options: {
    export: { type: 'string' },
    'public-key': { type: 'string' },
    checkpoints: { type: 'string', multiple: true, default: [] },
    json: { type: 'boolean', default: false },
  },
});

async function run(): Promise<VerifyReport> {
  if (values.export !== undefined) {
    if (values['public-key'] === undefined) throw new Error('--export needs --public-key FILE (PEM)');
    const publicKey = parsePublicKey(readFileSync(values['public-key'], 'utf8'));
    if (!publicKey) throw new Error(`${values['public-key']} is not an Ed25519 public key in PEM`);
    return verifyExport(values.export, values.checkpoints, {
      macKey: null,
      publicKey,
      keyId: keyIdOf(publicKey),
    });
  }
  const config = loadConfig();
  const keys = loadAuditKeys(
    { hmacKey: config.auditHmacKey, signingKey: config.auditSigningKey, keyDir: config.auditKeyDir },
    { create: false },
  );
  const database = await openDatabase(config.databaseUrl);
  try {
    return await verifyAuditChain(database.db, keys);
  } finally {
    await database.close();
  }
}

function describe(r: VerifyReport): string[] {
  const out: string[] = [];
  if (r.firstBroken) {
    const b = r.firstBroken;
    out.push(
      `audit trail BROKEN at event seq ${b.seq} (position ${b.position}, id ${b.id}): ${b.reason}; ${r.checked} events before it are intact`,
    );
  }
  if (r.badCheckpoint) {
    const c = r.badCheckpoint;
    out.push(`audit checkpoint BAD at position ${c.position} (id ${c.id}): ${c.reason}`);
  }
  if (r.truncated) {
    out.push(
      `audit trail TRUNCATED: a signed checkpoint is at position ${r.truncated.checkpointPosition}, the chain ends at ${r.truncated.chainEnd}`,
    );
  }
  return out;
}

try {
  const report = await run();
  if (values.json) console.log(JSON.stringify(report, null, 2));
  if (report.ok) {
    const last = report.lastCheckpoint;
    console.log(
      `audit trail intact: ${report.checked} events checked (${report.unkeyed} from before keying, ` +
        `MACs ${report.macChecked ? 'checked' : 'not checked: no MAC key'}), ${report.checkpoints} signed checkpoints` +
        (last ? `, the last at position ${last.position}` : ''),
    );
  } else {
    for (const line of describe(report)) console.error(line);
    process.exitCode = 1;
  }
} catch (error) {
  console.error(`audit:verify: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 2;
}

import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Db } from '../db/database.ts';
import { allCheckpoints, auditRunAfter } from './audit.store.ts';
import type { CheckpointRecord } from './chain.ts';
import { ChainVerifier, type VerifiableRow, type VerifierKeys, type VerifyReport } from './verifier.ts';

// The audit trail as JSON lines, and its offline verification (issue 7 #9): one header line,
// every event in `seq` order (the database row as it is), then every checkpoint. The verifier
// needs only the file and the public key: not the database, not the MAC key. It also takes
// checkpoints from other files, e.g. the server's log lines with `auditCheckpoint` in them, so
// that checkpoints removed from the database still count against the export.

export const exportFormat = 'behalf-audit-export/1';

/** Writes the export through `write`, batch by batch; checkpoints are read first (see verify). */
export async function exportAuditTrail(
  db: Db,
  now: number,
  write: (line: string) => Promise<void> | void,
  batchSize = 5000,
): Promise<{ events: number; checkpoints: number }> {
  const checkpoints = await allCheckpoints(db);
  await write(
    JSON.stringify({ type: 'header', format: exportFormat, exportedAt: new Date(now).toISOString() }),
  );
  let afterSeq = 0;
  let events = 0;
  for (;;) {
    const rows = await auditRunAfter(db, afterSeq, batchSize);
    if (rows.length === 0) break;
    for (const row of rows) await write(JSON.stringify({ type: 'event', ...row }));
    events += rows.length;
    afterSeq = rows.at(-1)!.seq;
  }
  for (const c of checkpoints) await write(JSON.stringify({ type: 'checkpoint', ...c }));
  return { events, checkpoints: checkpoints.length };
}

type Line =
  | { kind: 'event'; row: VerifiableRow }
  | { kind: 'checkpoint'; checkpoint: CheckpointRecord }
  | { kind: 'other' };

/** Pure: one line of an export or of a server log. Throws on a line that is not JSON. */
export function parseLine(text: string, lineNumber: number): Line {
  if (text.trim() === '') return { kind: 'other' };
  let value: Record<string, unknown>;
  try {
    value = JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw new Error(`line ${lineNumber} is not JSON`);
  }
  if (value.type === 'event') return { kind: 'event', row: value as unknown as VerifiableRow };
  if (value.type === 'checkpoint')
    return { kind: 'checkpoint', checkpoint: value as unknown as CheckpointRecord };
  // A log line of the checkpoint job or endpoint.
  const logged = value.auditCheckpoint;
  if (logged && typeof logged === 'object')
    return { kind: 'checkpoint', checkpoint: logged as CheckpointRecord };
  return { kind: 'other' };
}

async function* lines(path: string): AsyncGenerator<Line> {
  let n = 0;
  for await (const text of createInterface({ input: createReadStream(path), crlfDelay: Infinity })) {
    yield parseLine(text, ++n);
  }
}

/** Verifies an export file offline; checkpoints from the export and from `checkpointFiles`. */
export async function verifyExport(
  exportPath: string,
  checkpointFiles: readonly string[],
  keys: VerifierKeys,
): Promise<VerifyReport> {
  // Two passes: the verifier must know the checkpoints before it walks the events.
  const byId = new Map<string, CheckpointRecord>();
  for (const path of [exportPath, ...checkpointFiles]) {
    for await (const line of lines(path)) {
      if (line.kind === 'checkpoint')
        byId.set(`${line.checkpoint.id}:${line.checkpoint.signature}`, line.checkpoint);
    }
  }
  const verifier = new ChainVerifier(keys, [...byId.values()]);
  for await (const line of lines(exportPath)) {
    if (line.kind === 'event') verifier.add([line.row]);
  }
  return verifier.finish();
}

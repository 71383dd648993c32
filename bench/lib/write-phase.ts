import { loadConfig } from '../../src/config.ts';
import { openDatabase } from '../../src/db/database.ts';
import { createServices } from '../../src/services.ts';
import { systemClock } from '../../src/shared/clock.ts';
import { ensureFirstSuperadmin } from '../../src/bootstrap/first-superadmin.ts';
import { rawWriteRate, serviceWriteRate, type WriteRate } from './audited-write.ts';
import { r2, type LoadResult } from './load.ts';
import { verifyAuditChain } from '../../src/audit/audit.ts';
import { loadAuditKeys } from '../../src/audit/keys.ts';

export interface WriteFigures {
  concurrency: number;
  service: WriteRate;
  raw: WriteRate;
  /** service rate / raw rate */
  share: number;
  /** PATCH /api/v1/admin/users/{id} over HTTP (no outbox row: a rename sends no mail). */
  http?: LoadResult;
  httpShare?: number;
  rounds?: WriteFigures[];
  /** The audit chain checked after every round on this engine (raw, service and HTTP events). */
  chain?: ChainCheck;
}

export interface ChainCheck {
  ok: boolean;
  checked: number;
  /** The first fault the verifier found. */
  fault?: string;
}

/**
 * Verifies the audit chain of the write database with the server's keys, as `npm run
 * audit:verify` does: a raw side that linked its events wrongly would show here.
 */
export async function verifyWriteChain(url: string, env: Record<string, string> = {}): Promise<ChainCheck> {
  const config = loadConfig({ ...env, DATABASE_URL: url });
  const keys = loadAuditKeys(
    { hmacKey: config.auditHmacKey, signingKey: config.auditSigningKey, keyDir: config.auditKeyDir },
    { create: false },
  );
  const database = await openDatabase(url);
  try {
    const report = await verifyAuditChain(database.db, keys);
    const fault = report.firstBroken
      ? `event ${report.firstBroken.position}: ${report.firstBroken.reason}`
      : report.badCheckpoint
        ? `checkpoint ${report.badCheckpoint.position}: ${report.badCheckpoint.reason}`
        : report.truncated
          ? `truncated at ${report.truncated.chainEnd}`
          : undefined;
    return { ok: report.ok, checked: report.checked, ...(fault === undefined ? {} : { fault }) };
  } finally {
    await database.close();
  }
}

/** The superadmin who makes the edits, created as at a first start. */
export async function prepareWriteDatabase(
  url: string,
  admin: { email: string; password: string },
  env: Record<string, string> = {},
): Promise<void> {
  const database = await openDatabase(url);
  try {
    const config = loadConfig({
      ...env,
      DATABASE_URL: url,
      BOOTSTRAP_ADMIN_EMAIL: admin.email,
      BOOTSTRAP_ADMIN_PASSWORD: admin.password,
    });
    await ensureFirstSuperadmin(createServices(config, database, systemClock));
  } finally {
    await database.close();
  }
}

export async function writePhase(
  url: string,
  adminEmail: string,
  concurrency: number,
  seconds: number,
): Promise<WriteFigures> {
  const database = await openDatabase(url);
  try {
    const raw = await rawWriteRate(url, database, adminEmail, concurrency, seconds);
    const service = await serviceWriteRate(url, adminEmail, concurrency, seconds);
    return { concurrency, service, raw, share: r2(service.perSecond / raw.perSecond) };
  } finally {
    await database.close();
  }
}

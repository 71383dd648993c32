import { loadConfig } from '../../src/config.ts';
import { describeDatabaseUrl, openDatabase } from '../../src/db/database.ts';
import { createServices } from '../../src/services.ts';
import { systemClock } from '../../src/shared/clock.ts';
import { ensureFirstSuperadmin } from '../../src/bootstrap/first-superadmin.ts';
import { rawPgWriteRate, rawSqliteWriteRate, serviceWriteRate, type WriteRate } from './audited-write.ts';
import { r2, type LoadResult } from './load.ts';

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
}

/** The superadmin who makes the edits, created as at a first start. */
export async function prepareWriteDatabase(
  url: string,
  admin: { email: string; password: string },
): Promise<void> {
  const database = await openDatabase(url);
  try {
    const config = loadConfig({
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
    const { dialect, location } = describeDatabaseUrl(url);
    const raw =
      dialect === 'sqlite'
        ? await rawSqliteWriteRate(location, database, adminEmail, concurrency, seconds)
        : await rawPgWriteRate(url, database, adminEmail, concurrency, seconds);
    const service = await serviceWriteRate(url, adminEmail, concurrency, seconds);
    return { concurrency, service, raw, share: r2(service.perSecond / raw.perSecond) };
  } finally {
    await database.close();
  }
}

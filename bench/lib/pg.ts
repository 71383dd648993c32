import pg from 'pg';
import { randomBytes } from 'node:crypto';

// A fresh PostgreSQL database per run (and per purpose), dropped again at the end, so figures
// never depend on what an earlier run left behind.

export interface PgDatabase {
  url: string;
  drop(): Promise<void>;
}

export async function freshPgDatabase(adminUrl: string, purpose: string): Promise<PgDatabase> {
  const name = `behalf_bench_${purpose}_${process.pid}_${randomBytes(3).toString('hex')}`;
  await adminQuery(adminUrl, `CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => adminQuery(adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}

async function adminQuery(adminUrl: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

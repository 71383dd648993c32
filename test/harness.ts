// Test servers on a fresh database each: a temporary SQLite file, or a new PostgreSQL
// database (BEHALF_TEST_DB=postgres), dropped again on close. Servers listen on a loopback port
// and are driven over real HTTP, with an injected clock that tests move by hand.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { FastifyInstance } from 'fastify';
import { loadConfig, type Config } from '../src/config.ts';
import { migrateToLatest, openDatabase } from '../src/db/database.ts';
import { ManualClock } from '../src/shared/clock.ts';
import { createServices, type Services } from '../src/services.ts';
import { buildApp } from '../src/app.ts';
import { ensureFirstSuperadmin } from '../src/bootstrap/first-superadmin.ts';

export const dialect = process.env.BEHALF_TEST_DB === 'postgres' ? 'postgres' : 'sqlite';
const pgAdminUrl = process.env.BEHALF_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export const adminEmail = 'sadmin@example.test';
export const adminPassword = 'Correct-Horse-Battery-9';

export interface Reply {
  status: number;
  headers: Headers;
  body: any;
}

/** An HTTP client with its own cookie jar, like one browser. */
export class Client {
  readonly base: string;
  private readonly jar = new Map<string, string>();
  constructor(base: string) {
    this.base = base;
  }

  get cookieHeader(): string {
    return [...this.jar].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  async request(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<Reply> {
    const res = await fetch(this.base + path, {
      method,
      redirect: 'manual',
      headers: {
        origin: this.base,
        ...(this.jar.size ? { cookie: this.cookieHeader } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq);
      const value = pair!.slice(eq + 1);
      if (value === '' || /max-age=0|expires=thu, 01 jan 1970/i.test(line)) this.jar.delete(name);
      else this.jar.set(name, value);
    }
    const text = await res.text();
    let parsed: unknown = text;
    if (text && /json/.test(res.headers.get('content-type') ?? '')) parsed = JSON.parse(text);
    return { status: res.status, headers: res.headers, body: parsed };
  }

  get(path: string, headers?: Record<string, string>) {
    return this.request('GET', path, undefined, headers);
  }
  post(path: string, body?: unknown, headers?: Record<string, string>) {
    return this.request('POST', path, body, headers);
  }
  put(path: string, body?: unknown, headers?: Record<string, string>) {
    return this.request('PUT', path, body, headers);
  }
  patch(path: string, body?: unknown, headers?: Record<string, string>) {
    return this.request('PATCH', path, body, headers);
  }
  delete(path: string, headers?: Record<string, string>) {
    return this.request('DELETE', path, undefined, headers);
  }

  async login(login: string, password: string): Promise<Reply> {
    return this.post('/api/v1/auth/login', { login, password });
  }
}

export interface TestServer {
  url: string;
  app: FastifyInstance;
  services: Services;
  clock: ManualClock;
  /** A client signed in as the first superadmin. */
  admin: Client;
  client(): Client;
  /** Creates a user through the API (as the superadmin), with a password when given. */
  createUser(overrides?: Partial<NewUser> & { password?: string }): Promise<any>;
  /** A client signed in as a new user holding these system permissions. */
  signedInWith(
    systemPermissions: string[],
    overrides?: Partial<NewUser>,
  ): Promise<{ client: Client; user: any }>;
  close(): Promise<void>;
}

export interface NewUser {
  email: string;
  username: string;
  firstName: string;
  lastName: string;
  gender: string;
  language: string;
}

let counter = 0;
export const strongPassword = 'Another-Strong-Pass-42';

/**
 * A server on a fresh database; with `sameDatabaseAs`, a second instance on another server's
 * database (PostgreSQL), as behind a load balancer. Only the first one drops the database.
 */
export async function startServer(
  env: Record<string, string> = {},
  options: { sameDatabaseAs?: TestServer } = {},
): Promise<TestServer> {
  const shared = options.sameDatabaseAs?.services.config.databaseUrl;
  const { url: databaseUrl, drop } = shared
    ? { url: shared, drop: () => Promise.resolve() }
    : await freshDatabase();
  const config: Config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    DATABASE_URL: databaseUrl,
    BOOTSTRAP_ADMIN_EMAIL: adminEmail,
    BOOTSTRAP_ADMIN_PASSWORD: adminPassword,
    LOG_LEVEL: 'silent',
    // One test server signs in many times from 127.0.0.1 within one window of its clock;
    // tests of sign-in admission set their own limits (issue 7 #11).
    LOGIN_LIMIT_PER_ADDRESS: '100000',
    LOGIN_LIMIT_PER_ACCOUNT: '100000',
    ...env,
  });
  const database = await openDatabase(config.databaseUrl);
  await migrateToLatest(database);
  const clock = new ManualClock(Date.UTC(2026, 10, 23, 9, 0, 0));
  const services = createServices(config, database, clock);
  const app = await buildApp(services, { logger: false });
  await ensureFirstSuperadmin(services);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const url = `http://127.0.0.1:${port}`;
  // Same-origin checks compare against PUBLIC_URL or the Host header; tests use the latter.
  const admin = new Client(url);
  const signedIn = await admin.login(adminEmail, adminPassword);
  if (signedIn.status !== 200) throw new Error(`superadmin login failed: ${JSON.stringify(signedIn.body)}`);

  const server: TestServer = {
    url,
    app,
    services,
    clock,
    admin,
    client: () => new Client(url),
    async createUser(overrides = {}) {
      const n = ++counter;
      const { password, ...fields } = overrides;
      const res = await admin.post('/api/v1/admin/users', {
        email: `user${n}-${randomBytes(3).toString('hex')}@example.test`,
        firstName: 'Test',
        lastName: `User${n}`,
        gender: 'unspecified',
        language: 'en',
        ...fields,
      });
      if (res.status !== 201)
        throw new Error(`create user failed: ${res.status} ${JSON.stringify(res.body)}`);
      if (password !== undefined) {
        const set = await admin.put(`/api/v1/admin/users/${res.body.id}/password`, { password });
        if (set.status !== 204)
          throw new Error(`set password failed: ${set.status} ${JSON.stringify(set.body)}`);
      }
      return res.body;
    },
    async signedInWith(systemPermissions, overrides = {}) {
      const user = await server.createUser({ ...overrides, password: strongPassword });
      if (systemPermissions.length > 0) {
        const res = await admin.put(`/api/v1/admin/users/${user.id}/permissions`, {
          general: [],
          system: systemPermissions,
        });
        if (res.status !== 200) throw new Error(`grant failed: ${res.status} ${JSON.stringify(res.body)}`);
      }
      const client = new Client(url);
      const login = await client.login(user.primaryEmail, strongPassword);
      if (login.status !== 200)
        throw new Error(`login failed: ${login.status} ${JSON.stringify(login.body)}`);
      return { client, user };
    },
    async close() {
      await app.close();
      await database.close();
      await drop();
    },
  };
  return server;
}

async function freshDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'behalf-test-'));
    return {
      url: `sqlite:${join(dir, 'behalf.db')}`,
      drop: () => {
        rmSync(dir, { recursive: true, force: true });
        return Promise.resolve();
      },
    };
  }
  const name = `behalf_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: pgAdminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(pgAdminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: pgAdminUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

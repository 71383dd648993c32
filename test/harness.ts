// Test servers on a fresh database each: a temporary SQLite file, or a new PostgreSQL
// database (BEHALF_TEST_DB=postgres), dropped again on close. Servers listen on a loopback port
// and are driven over real HTTP, with an injected clock that tests move by hand.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
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

/**
 * The audit trail's keys for every test server of this process (issue 7 #9): in the environment,
 * so that no test reads or writes key files under ./data, and servers on one database agree.
 */
export const auditKeyEnv = {
  AUDIT_HMAC_KEY: randomBytes(32).toString('hex'),
  AUDIT_SIGNING_KEY: generateKeyPairSync('ed25519')
    .privateKey.export({ type: 'pkcs8', format: 'pem' })
    .toString(),
};

export const adminEmail = 'sadmin@example.test';
export const adminPassword = 'Correct-Horse-Battery-9';

export interface Reply {
  status: number;
  headers: Headers;
  body: any;
}

/** Sees every answer a server's clients get (e.g. to check them against the OpenAPI document). */
export type AnswerObserver = (method: string, path: string, reply: Reply) => void;

/** An HTTP client with its own cookie jar, like one browser. */
export class Client {
  readonly base: string;
  /** The Origin a browser on PUBLIC_URL sends (the CSRF guard accepts configured origins only). */
  readonly origin: string;
  private readonly jar = new Map<string, string>();
  private readonly onAnswer: AnswerObserver | undefined;
  constructor(base: string, origin: string = new URL(base).origin, onAnswer?: AnswerObserver) {
    this.base = base;
    this.origin = origin;
    this.onAnswer = onAnswer;
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
        origin: this.origin,
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
    const reply = { status: res.status, headers: res.headers, body: parsed };
    this.onAnswer?.(method, path, reply);
    return reply;
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
  options: {
    sameDatabaseAs?: TestServer;
    clockStart?: number;
    logStream?: NodeJS.WritableStream;
    onAnswer?: AnswerObserver;
  } = {},
): Promise<TestServer> {
  const shared = options.sameDatabaseAs?.services.config.databaseUrl;
  const { url: databaseUrl, drop } = shared
    ? { url: shared, drop: () => Promise.resolve() }
    : await freshDatabase();
  // PUBLIC_URL is the address the server really listens at, as in production: the CSRF guard
  // trusts configured origins only, never the Host header. So the port is chosen first.
  const port = await freePort();
  const config: Config = loadConfig({
    PORT: String(port),
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    HOST: '127.0.0.1',
    DATABASE_URL: databaseUrl,
    BOOTSTRAP_ADMIN_EMAIL: adminEmail,
    BOOTSTRAP_ADMIN_PASSWORD: adminPassword,
    LOG_LEVEL: 'silent',
    ...auditKeyEnv,
    // One test server signs in many times from 127.0.0.1 within one window of its clock;
    // tests of sign-in admission set their own limits (issue 7 #11).
    LOGIN_LIMIT_PER_ADDRESS: '100000',
    LOGIN_LIMIT_PER_ACCOUNT: '100000',
    // Tests choose codes by e-mail without an SMTP server (issue 10 #14); tests of the refusal
    // set it to 'false'.
    MAIL_LOG_CODES: 'true',
    ...env,
  });
  const database = await openDatabase(config.databaseUrl);
  await migrateToLatest(database);
  // A fixed start keeps API tests repeatable. Browser tests start at the real time instead: the
  // pages count down against the browser's clock, and a superadmin session opened at a fixed
  // date expires (absolute timeout) once the real date is far enough past it.
  const clock = new ManualClock(options.clockStart ?? Date.UTC(2026, 10, 23, 9, 0, 0));
  const services = createServices(config, database, clock);
  // No request log unless a test reads it (the production serializers and redaction apply).
  const logger = options.logStream ? { level: 'info', stream: options.logStream } : false;
  const app = await buildApp(services, { logger });
  await ensureFirstSuperadmin(services);
  await app.listen({ port: config.port, host: config.host });
  const url = `http://127.0.0.1:${port}`;
  const origin = new URL(config.publicUrl).origin;
  const admin = new Client(url, origin, options.onAnswer);
  const signedIn = await admin.login(adminEmail, adminPassword);
  if (signedIn.status !== 200) throw new Error(`superadmin login failed: ${JSON.stringify(signedIn.body)}`);

  const server: TestServer = {
    url,
    app,
    services,
    clock,
    admin,
    client: () => new Client(url, origin, options.onAnswer),
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
      const client = new Client(url, origin, options.onAnswer);
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

/** A port free right now (the kernel picks it), for a server that must know its URL before it listens. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

/** A fresh empty database of the dialect under test, and how to drop it again. */
export async function freshDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
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

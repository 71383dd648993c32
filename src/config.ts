import { z } from 'zod';
import { dirname, join } from 'node:path';
import { describeDatabaseUrl } from './db/database.ts';
import { emailField } from './shared/text-fields.ts';
import { parseHmacKey, parseSigningKey } from './audit/keys.ts';

// The process's configuration, from the environment, checked once at start: a bad value stops
// the server with a message that names the variable, instead of failing on first use.

const boolFlag = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

const env = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HOST: z.string().default('0.0.0.0'),
  DATABASE_URL: z
    .string()
    .optional()
    .refine(
      (v) => {
        try {
          describeDatabaseUrl(v);
          return true;
        } catch {
          return false;
        }
      },
      { message: 'must be sqlite:PATH or postgres://...' },
    ),
  PUBLIC_URL: z.url().optional(),
  // The same rules as every address that enters (RFC 5321 lengths, issue 7 #19).
  BOOTSTRAP_ADMIN_EMAIL: emailField.default('admin@behalf.local'),
  BOOTSTRAP_ADMIN_PASSWORD: z.string().min(1).optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  TRUST_PROXY: boolFlag.default(false),
  /** Password hashes computed at once; the rest wait in a queue of HASH_QUEUE_LIMIT. */
  HASH_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(2),
  HASH_QUEUE_LIMIT: z.coerce.number().int().min(0).max(10_000).default(32),
  /** The hashing threads' nice value (0-19; why 10: src/credentials/password-hasher.ts). */
  HASH_NICE: z.coerce.number().int().min(0).max(19).default(10),
  /**
   * Sign-in admission (src/http/admission.ts): attempts per client address and per account
   * within a window, checked before any hashing. Below the hash queue's size, so one address
   * cannot fill the queue; far above what a person typing a password does.
   */
  LOGIN_LIMIT_PER_ADDRESS: z.coerce.number().int().min(1).max(1_000_000).default(20),
  LOGIN_LIMIT_PER_ACCOUNT: z.coerce.number().int().min(1).max(1_000_000).default(10),
  LOGIN_LIMIT_WINDOW_SECONDS: z.coerce.number().int().min(1).max(86_400).default(60),
  /** smtp://user:pass@host:port (STARTTLS when offered) or smtps://... (TLS); unset: mail is logged. */
  SMTP_URL: z
    .string()
    .optional()
    .refine((v) => v === undefined || v === '' || /^smtps?:\/\/[^/?#]+/.test(v), {
      message: 'must be smtp://[user:pass@]host[:port] or smtps://...',
    }),
  /**
   * Development only (issue 10 #14): without SMTP_URL, write login codes into the log in clear, so
   * that codes by e-mail can be tried locally. Never on a server others use: whoever reads the log
   * can complete their logins.
   */
  MAIL_LOG_CODES: boolFlag.default(false),
  MAIL_FROM: z
    .string()
    .default('Behalf <no-reply@localhost>')
    .refine((v) => /^([^<>]*<)?[^<>\s@]+@[^<>\s@]+>?$/.test(v.trim()), {
      message: 'must be an address, optionally with a name: Name <address@host>',
    }),
  /** The audit trail's keys (issue 7 #9); unset: files in AUDIT_KEY_DIR, made at first start. */
  AUDIT_HMAC_KEY: z
    .string()
    .optional()
    .refine((v) => !v || parseHmacKey(v) !== null, {
      message: 'must be 32 or more random bytes, as hex or base64 (openssl rand -hex 32)',
    }),
  AUDIT_SIGNING_KEY: z
    .string()
    .optional()
    .refine((v) => !v || parseSigningKey(v) !== null, {
      message: 'must be an Ed25519 private key in PEM (openssl genpkey -algorithm ed25519)',
    }),
  AUDIT_KEY_DIR: z.string().min(1).optional(),
  /** Minutes between signed checkpoints of the audit trail (only when it grew). */
  AUDIT_CHECKPOINT_MINUTES: z.coerce.number().int().min(1).max(1440).default(10),
  /** Bearer token that lets other hosts than this one read /metrics; unset: loopback only. */
  METRICS_TOKEN: z
    .string()
    .optional()
    .refine((v) => !v || v.length >= 16, { message: 'must be 16 or more characters (openssl rand -hex 32)' }),
});

export interface Config {
  port: number;
  host: string;
  databaseUrl: string | undefined;
  publicUrl: string;
  bootstrapAdminEmail: string;
  bootstrapAdminPassword: string | undefined;
  logLevel: string;
  trustProxy: boolean;
  hashConcurrency: number;
  hashQueueLimit: number;
  hashNice: number;
  /** Sign-in attempts admitted per client address / per account in each window. */
  loginLimitPerAddress: number;
  loginLimitPerAccount: number;
  loginLimitWindowSeconds: number;
  /** Null: no SMTP server, mails are logged (the embedded default). */
  smtpUrl: string | null;
  /** Without smtpUrl: login codes appear in the log (development). */
  mailLogCodes: boolean;
  mailFrom: string;
  /** Null: read from (or generated into) auditKeyDir. */
  auditHmacKey: string | null;
  auditSigningKey: string | null;
  auditKeyDir: string;
  auditCheckpointMinutes: number;
  /** Null: /metrics answers loopback only. */
  metricsToken: string | null;
}

export function loadConfig(source: NodeJS.ProcessEnv = process.env): Config {
  const parsed = env.safeParse(source);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  return {
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    publicUrl: (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/$/, ''),
    bootstrapAdminEmail: e.BOOTSTRAP_ADMIN_EMAIL,
    bootstrapAdminPassword: e.BOOTSTRAP_ADMIN_PASSWORD,
    logLevel: e.LOG_LEVEL,
    trustProxy: e.TRUST_PROXY,
    hashConcurrency: e.HASH_CONCURRENCY,
    hashQueueLimit: e.HASH_QUEUE_LIMIT,
    hashNice: e.HASH_NICE,
    loginLimitPerAddress: e.LOGIN_LIMIT_PER_ADDRESS,
    loginLimitPerAccount: e.LOGIN_LIMIT_PER_ACCOUNT,
    loginLimitWindowSeconds: e.LOGIN_LIMIT_WINDOW_SECONDS,
    smtpUrl: e.SMTP_URL || null,
    mailLogCodes: e.MAIL_LOG_CODES,
    mailFrom: e.MAIL_FROM.trim(),
    auditHmacKey: e.AUDIT_HMAC_KEY || null,
    auditSigningKey: e.AUDIT_SIGNING_KEY || null,
    auditKeyDir: e.AUDIT_KEY_DIR ?? defaultKeyDir(e.DATABASE_URL),
    auditCheckpointMinutes: e.AUDIT_CHECKPOINT_MINUTES,
    metricsToken: e.METRICS_TOKEN || null,
  };
}

/** Beside the SQLite file (./data/keys for the embedded default); ./data/keys otherwise. */
function defaultKeyDir(databaseUrl: string | undefined): string {
  const { dialect, location } = describeDatabaseUrl(databaseUrl);
  if (dialect === 'sqlite' && location !== ':memory:') return join(dirname(location), 'keys');
  return join('data', 'keys');
}

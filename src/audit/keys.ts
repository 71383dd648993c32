import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  randomBytes,
  type KeyObject,
} from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

// The two audit keys (issue 7 #9). Neither is ever stored in the database, so that whoever can
// write the database cannot forge what they protect:
// - the MAC key (HMAC-SHA-256 over every event's hash): only this server and its verify command
//   can check or make event MACs;
// - the Ed25519 signing key of checkpoints, whose public key anyone may hold and check with.
// From AUDIT_HMAC_KEY / AUDIT_SIGNING_KEY, or else from files in the key directory, generated
// at first start (mode 0600). A malformed key stops the start with a message naming it.

export interface AuditKeys {
  macKey: Buffer;
  signingKey: KeyObject;
  publicKey: KeyObject;
  publicKeyPem: string;
  /** The first 16 hex digits of SHA-256 over the public key (SPKI DER): names the key. */
  keyId: string;
}

export const hmacKeyFile = 'audit-hmac.key';
export const signingKeyFile = 'audit-signing.key';
export const publicKeyFile = 'audit-signing.pub.pem';

/** 32 bytes or more, as hex or base64; null when malformed or too short. */
export function parseHmacKey(text: string): Buffer | null {
  const t = text.trim();
  let key: Buffer | null = null;
  if (/^(?:[0-9a-fA-F]{2})+$/.test(t)) key = Buffer.from(t, 'hex');
  else if (/^[A-Za-z0-9+/_-]+={0,2}$/.test(t)) key = Buffer.from(t, 'base64');
  return key && key.length >= 32 ? key : null;
}

/** An Ed25519 private key in PEM (PKCS#8); `\n` escapes allowed for one-line variables. */
export function parseSigningKey(pem: string): KeyObject | null {
  try {
    const key = createPrivateKey(pem.replace(/\\n/g, '\n'));
    return key.asymmetricKeyType === 'ed25519' ? key : null;
  } catch {
    return null;
  }
}

/** An Ed25519 public key in PEM (SPKI), as GET /api/v1/audit/public-key gives it out. */
export function parsePublicKey(pem: string): KeyObject | null {
  try {
    const key = createPublicKey(pem.replace(/\\n/g, '\n'));
    return key.asymmetricKeyType === 'ed25519' ? key : null;
  } catch {
    return null;
  }
}

export function keyIdOf(publicKey: KeyObject): string {
  const der = publicKey.export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(der).digest('hex').slice(0, 16);
}

export interface KeySource {
  hmacKey: string | null;
  signingKey: string | null;
  keyDir: string;
}

/**
 * The keys from the configuration or the key directory. `create`: generate missing key files
 * (the server at start); the verify and export commands never create keys, they fail instead.
 */
export function loadAuditKeys(source: KeySource, options: { create: boolean }): AuditKeys {
  const macKey =
    source.hmacKey !== null
      ? must(parseHmacKey(source.hmacKey), 'AUDIT_HMAC_KEY is malformed')
      : keyFromFile(source.keyDir, hmacKeyFile, options.create, parseHmacKey, () =>
          randomBytes(32).toString('hex'),
        );
  const signingKey =
    source.signingKey !== null
      ? must(parseSigningKey(source.signingKey), 'AUDIT_SIGNING_KEY is malformed')
      : keyFromFile(source.keyDir, signingKeyFile, options.create, parseSigningKey, () =>
          generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
        );
  const publicKey = createPublicKey(signingKey);
  const publicKeyPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  if (source.signingKey === null && options.create) {
    // For the auditor's convenience; public, so an ordinary file.
    writeFileSync(join(source.keyDir, publicKeyFile), publicKeyPem, { mode: 0o644 });
  }
  return { macKey, signingKey, publicKey, publicKeyPem, keyId: keyIdOf(publicKey) };
}

function must<T>(value: T | null, message: string): T {
  if (value === null) throw new Error(message);
  return value;
}

function keyFromFile<T>(
  dir: string,
  name: string,
  create: boolean,
  parse: (text: string) => T | null,
  generate: () => string,
): T {
  const path = join(dir, name);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    if (!create) {
      throw new Error(
        `no audit key at ${path}: set AUDIT_KEY_DIR to the server's key directory, or AUDIT_HMAC_KEY and AUDIT_SIGNING_KEY`,
        { cause: error },
      );
    }
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    try {
      // 'wx': two processes starting at once must not overwrite each other's key.
      writeFileSync(path, generate(), { mode: 0o600, flag: 'wx' });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    text = readFileSync(path, 'utf8');
  }
  return must(parse(text), `the audit key file ${path} is malformed`);
}

// One process, one MAC key: appendAuditEvent() takes it from here, so that the writers of
// events (every service, through recordAudit) need not carry it. createServices() installs it.
let installedMacKey: Buffer | null = null;

export function installAuditMacKey(key: Buffer): void {
  installedMacKey = key;
}

export function auditMacKey(): Buffer {
  if (!installedMacKey) throw new Error('no audit MAC key installed (createServices installs it)');
  return installedMacKey;
}

import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

// Secrets Behalf must give back in clear to a peer (an app's client secret for oidc-provider,
// a login service's client secret for openid-client) cannot be stored as one-way hashes. They
// are stored encrypted (AES-256-GCM) under a key derived, per purpose, from a secret that lives
// outside the database: a copy of the database alone reveals none of them.

export class SecretBox {
  private readonly key: Buffer;

  /** `purpose` separates the keys of different uses of one root secret (HKDF info). */
  constructor(rootSecret: Buffer, purpose: string) {
    this.key = Buffer.from(hkdfSync('sha256', rootSecret, Buffer.alloc(0), purpose, 32));
  }

  seal(plain: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return [iv, cipher.getAuthTag(), body].map((b) => b.toString('base64url')).join('.');
  }

  /** Undefined when the box was sealed under another key (e.g. a database restored under a new
   * root secret): the caller treats the secret as missing rather than the server failing. */
  open(sealed: string): string | undefined {
    const [iv, tag, body] = sealed.split('.').map((p) => Buffer.from(p, 'base64url'));
    if (!iv || !tag || !body) return undefined;
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, iv);
      decipher.setAuthTag(tag);
      return Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
    } catch {
      return undefined;
    }
  }
}

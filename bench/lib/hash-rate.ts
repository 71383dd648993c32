import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { verify } from '@node-rs/argon2';
import { PasswordHasher } from '../../src/credentials/password-hasher.ts';
import { r2 } from './load.ts';

// Raw password-verify rates, outside any server: the ceiling each login path is judged against.

export interface HashRate {
  perSecond: number;
  msPerVerify: number;
  concurrency: number;
  verifies: number;
}

/** `concurrency` loops verifying back to back for `seconds`. */
async function measure(
  check: () => Promise<unknown>,
  concurrency: number,
  seconds: number,
): Promise<HashRate> {
  await check(); // warm up: first call loads and allocates
  let done = 0;
  const t0 = performance.now();
  const end = t0 + seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < end) {
        await check();
        done++;
      }
    }),
  );
  const elapsed = (performance.now() - t0) / 1000;
  return {
    perSecond: r2(done / elapsed),
    msPerVerify: r2((elapsed * 1000 * concurrency) / done),
    concurrency,
    verifies: done,
  };
}

/** argon2id through @node-rs/argon2 at Behalf's parameters (the hash comes from Behalf's hasher). */
export async function argon2Rate(concurrency: number, seconds: number): Promise<HashRate> {
  const password = 'Correct-Horse-Battery-9';
  const phc = await new PasswordHasher(1, 0).hash(password);
  return measure(
    async () => {
      if (!(await verify(phc, password))) throw new Error('argon2 verify failed');
    },
    concurrency,
    seconds,
  );
}

/** better-auth's own verifyPassword (scrypt N=16384 r=16 p=1 on node:crypto), from its install. */
export async function betterAuthRate(
  sharedBench: string,
  concurrency: number,
  seconds: number,
): Promise<HashRate> {
  const resolved = createRequire(join(sharedBench, 'package.json')).resolve('better-auth/crypto');
  const crypto = (await import(pathToFileURL(resolved).href)) as {
    hashPassword(password: string): Promise<string>;
    verifyPassword(input: { hash: string; password: string }): Promise<boolean>;
  };
  const password = 'correct horse battery staple';
  const hash = await crypto.hashPassword(password);
  return measure(
    async () => {
      if (!(await crypto.verifyPassword({ hash, password }))) throw new Error('scrypt verify failed');
    },
    concurrency,
    seconds,
  );
}

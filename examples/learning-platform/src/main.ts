// `npm run example`: the learning platform against a running Behalf (see the README).
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { startLearningPlatform } from './server.ts';

function required(name: string): string {
  const value = process.env[name];
  if (!value) {
    console.error(`${name} is required (see examples/learning-platform/README.md).`);
    process.exit(1);
  }
  return value;
}

const dataDir = process.env.DATA_DIR ?? fileURLToPath(new URL('../data/', import.meta.url));
mkdirSync(dataDir, { recursive: true });
const port = Number(process.env.PORT ?? 4000);
const app = await startLearningPlatform({
  issuer: required('BEHALF_ISSUER').replace(/\/$/, ''),
  clientId: required('CLIENT_ID'),
  clientSecret: process.env.CLIENT_SECRET || undefined,
  port,
  host: process.env.HOST ?? '127.0.0.1',
  publicUrl: process.env.PUBLIC_URL ?? `http://127.0.0.1:${port}`,
  ...(process.env.BEHALF_URL ? { behalfUrl: process.env.BEHALF_URL } : {}),
  dataFile: `${dataDir.replace(/\/$/, '')}/learning-platform.sqlite`,
});
console.log(`Learning platform at ${app.url}`);
console.log(`  redirect URI: ${app.redirectUri}`);
console.log(`  post-logout URI: ${app.postLogoutRedirectUri}`);
console.log(`  back-channel logout URI: ${app.backchannelLogoutUri}`);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void app.close().then(() => process.exit(0)));
}

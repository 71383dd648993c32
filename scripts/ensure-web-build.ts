// Builds the web pages (web/dist) when they are missing or older than their sources, so that
// `npm start` on a fresh clone serves them, and tests run against the current code. The build
// itself is `npm run build` (vite, about two seconds).
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const web = join(root, 'web');
const built = join(web, 'dist', 'index.html');

/** The newest modification time among the files the build reads. */
function newestSource(): number {
  let newest = 0;
  const visit = (path: string) => {
    const stat = statSync(path);
    if (stat.isDirectory()) for (const name of readdirSync(path)) visit(join(path, name));
    else newest = Math.max(newest, stat.mtimeMs);
  };
  for (const name of ['src', 'index.html', 'vite.config.ts']) {
    const path = join(web, name);
    if (existsSync(path)) visit(path);
  }
  return newest;
}

export function webBuildIsCurrent(): boolean {
  return existsSync(built) && statSync(built).mtimeMs >= newestSource();
}

/** Builds web/dist unless it is current; throws when the build fails. */
export function ensureWebBuild(log: (line: string) => void = (l) => console.log(l)): void {
  if (webBuildIsCurrent()) return;
  let vite: string;
  try {
    vite = join(createRequire(import.meta.url).resolve('vite/package.json'), '..', 'bin', 'vite.js');
  } catch {
    throw new Error('vite is not installed: run `npm ci` first (it installs what the build needs)');
  }
  log('building the web pages (web/dist) ...');
  const result = spawnSync(process.execPath, [vite, 'build', '--config', join(web, 'vite.config.ts')], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`the web build failed (exit ${result.status})\n${result.stdout}`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  try {
    ensureWebBuild();
  } catch (error) {
    process.stderr.write(`behalf: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
}

// Which Chromium the browser tests drive (issue 11): CHROMIUM_PATH (or the older BEHALF_CHROMIUM)
// when set; else Debian's /usr/bin/chromium when it starts; else the Chromium build shipped in
// the npm package @sparticuz/chromium (unpacked once into the temporary folder), so that the
// browser tests need nothing but Node and npm.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

export interface ChromiumChoice {
  path: string;
  /** Where it came from, for the test log: which fallback a run took. */
  source: 'CHROMIUM_PATH' | 'system' | '@sparticuz/chromium';
}

const systemChromium = '/usr/bin/chromium';

/** Starts at all (`--version` runs the real binary behind Debian's wrapper script). */
function starts(path: string): boolean {
  if (!existsSync(path)) return false;
  const result = spawnSync(path, ['--version'], { stdio: 'ignore', timeout: 20_000 });
  return result.status === 0;
}

let chosen: Promise<ChromiumChoice> | undefined;

export function chooseChromium(): Promise<ChromiumChoice> {
  chosen ??= (async () => {
    const given = process.env.CHROMIUM_PATH || process.env.BEHALF_CHROMIUM;
    if (given) {
      if (!existsSync(given)) throw new Error(`CHROMIUM_PATH=${given}: no such file`);
      return { path: given, source: 'CHROMIUM_PATH' };
    }
    if (starts(systemChromium)) return { path: systemChromium, source: 'system' };
    const { default: sparticuz } = await import('@sparticuz/chromium');
    // A headless-shell build; playwright-core drives it with the same flags as Debian's.
    return { path: await sparticuz.executablePath(), source: '@sparticuz/chromium' };
  })();
  return chosen;
}

// Browser tests: a real Chromium (test/browser/chromium.ts says which: CHROMIUM_PATH, Debian's,
// or the build inside the npm package @sparticuz/chromium), driven by playwright-core, against a
// real test server (test/harness.ts) that serves the built web pages. Nothing is downloaded here:
// the test command builds web/dist.
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { ensureWebBuild } from '../../scripts/ensure-web-build.ts';
import { chooseChromium } from './chromium.ts';

// The server under test serves web/dist: build it (when missing or stale) before any test file
// that imports this starts its server. `npm test` has built it already.
ensureWebBuild();

/** Where `BEHALF_SCREENSHOTS=1 npm run test:sqlite` saves the pictures of the main pages. */
const screenshotDir = fileURLToPath(new URL('../../docs/screenshots/', import.meta.url));

export async function launchBrowser(): Promise<Browser> {
  const choice = await chooseChromium();
  return chromium.launch({
    executablePath: choice.path,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      // This machine has no network beyond the registries: no calls home at start.
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/** A browser profile of its own (cookies, storage), like one person's browser. */
export function newContext(browser: Browser, locale = 'en-US'): Promise<BrowserContext> {
  // Reduced motion: dialogs appear at once, without a fade a check could catch halfway.
  return browser.newContext({ locale, viewport: { width: 1280, height: 800 }, reducedMotion: 'reduce' });
}

/**
 * Everything a page reports that should never happen: script errors, console errors (a
 * Content-Security-Policy violation is one), failed requests to our own server.
 */
export function watch(page: Page): string[] {
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    const text = m.text();
    // The API's own 401/403/404 answers are expected in some steps; the page handles them.
    if (/Failed to load resource: the server responded with a status of (401|403|404|409)/.test(text)) return;
    problems.push(`console: ${text}`);
  });
  return problems;
}

export async function screenshot(page: Page, name: string): Promise<void> {
  if (process.env.BEHALF_SCREENSHOTS !== '1') return;
  mkdirSync(screenshotDir, { recursive: true });
  await page.waitForTimeout(400); // let dialogs and menus finish their transitions
  await page.screenshot({ path: `${screenshotDir}${name}.png`, fullPage: false });
}

// Run inside the page, where these exist.
declare const document: any, localStorage: any, sessionStorage: any;

/** Everything the page's scripts could read from browser storage, to prove no secret is there. */
export function storageContents(page: Page): Promise<string> {
  return page.evaluate(() => {
    const dump = (s: any) => Object.keys(s).map((k) => `${k}=${s.getItem(k)}`);
    return JSON.stringify([dump(localStorage), dump(sessionStorage), document.cookie]);
  });
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/**
 * The serious and critical accessibility violations axe-core finds on the page as it is now
 * (WCAG 2.1 A and AA rules), one line each. axe runs through the DevTools protocol, which the
 * page's Content-Security-Policy does not apply to.
 */
export async function accessibilityProblems(page: Page): Promise<string[]> {
  await page.evaluate(axeSource);
  const violations: any[] = await page.evaluate(async () => {
    const axe = (globalThis as any).axe;
    const result = await axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    });
    return result.violations.map((v: any) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      targets: v.nodes.slice(0, 3).map((n: any) => `${n.target.join(' ')} ${n.html}`),
    }));
  });
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.help} (${v.targets.join(', ')})`);
}

/**
 * Where a browser test's server clock starts: shortly before the real time, so that sessions
 * opened while the test sets up are neither expired nor in the future when the pages, which
 * count down against the browser's own clock, are driven (each test then sets it to now).
 */
export function browserClockStart(): number {
  return Date.now() - 10 * 60_000;
}

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { accessibilityProblems, launchBrowser, newContext, watch } from '../../../test/browser/browser.ts';
import { bannerFile } from '../src/index.ts';
import { startApp } from './apps.ts';

// <behalf-banner> in real Chromium, loaded as the plain ES module file the SDK ships (no bundler),
// time moved by Playwright's clock, never by sleeping.

declare const document: any;

const escape = (s: string) => s.replaceAll('&', '&amp;').replaceAll('"', '&quot;').replaceAll('<', '&lt;');

describe('<behalf-banner> in Chromium (R-IMP-14)', () => {
  let browser: Browser;
  let app: Awaited<ReturnType<typeof startApp>>;
  before(async () => {
    browser = await launchBrowser();
    app = await startApp({
      'GET /behalf-banner.js': (_req, res) => {
        res.setHeader('content-type', 'text/javascript');
        res.end(readFileSync(bannerFile));
      },
      // A page of an app: the banner's attributes from the query, the document's language too.
      'GET /': (req, res) => {
        const q = new URL(req.url!, 'http://x').searchParams;
        const attrs = ['subject', 'actor', 'expires-at', 'lang', 'back-url']
          .filter((a) => q.has(a))
          .map((a) => ` ${a}="${escape(q.get(a)!)}"`)
          .join('');
        res.setHeader('content-type', 'text/html; charset=utf-8');
        res.end(`<!DOCTYPE html><html lang="${escape(q.get('doc') ?? 'en')}"><head><meta charset="utf-8"><title>Learning portal</title>
<script type="module" src="/behalf-banner.js"></script></head>
<body><behalf-banner${attrs}></behalf-banner><main><h1>Courses</h1></main></body></html>`);
      },
      'GET /back': (_req, res) => {
        res.setHeader('content-type', 'text/html; charset=utf-8');
        res.end(
          '<!DOCTYPE html><html lang="en"><head><title>Back</title></head><body><h1>Signed out of the app</h1></body></html>',
        );
      },
    });
  });
  after(async () => {
    await app.close();
    await browser.close();
  });

  const start = Date.parse('2026-12-07T09:00:00Z');

  /** A page at the fixed time `start` (paused), showing the banner with these attributes. */
  async function open(
    attrs: Record<string, string>,
    doc = 'en',
  ): Promise<{ page: Page; problems: string[] }> {
    const context = await newContext(browser, doc === 'de' ? 'de-DE' : 'en-US');
    const page = await context.newPage();
    const problems = watch(page);
    // The page loads while the clock runs (a minute is ample), then it stands still at `start`.
    await page.clock.install({ time: start - 60_000 });
    await page.goto(`${app.url}/?${new URLSearchParams({ doc, ...attrs }).toString()}`);
    await page.clock.pauseAt(start);
    await page.locator('behalf-banner .headline').waitFor();
    return { page, problems };
  }
  const at = (ms: number) => new Date(start + ms).toISOString();
  const text = (page: Page, part: string) => page.locator(`behalf-banner ${part}`).innerText();

  it('R-IMP-14: English: names the subject and the actor, counts down every second, offers the way back', async () => {
    const { page, problems } = await open({
      subject: 'Anna Schmidt',
      actor: 'Max Admin',
      'expires-at': at(2000),
      'back-url': '/back',
    });
    // The expiry set while the clock stands still: the countdown is exact.
    await page.evaluate(
      (iso) => document.querySelector('behalf-banner').setAttribute('expires-at', iso),
      at(754_000),
    );
    const region = page.getByRole('region', { name: 'Impersonation' });
    assert.equal(await region.count(), 1, 'a region with a label');
    assert.equal(await text(page, '.headline'), 'You are acting as Anna Schmidt');
    assert.equal(await text(page, '.details'), 'Signed in as Max Admin · time left 12:34');
    await page.clock.runFor(1000);
    assert.equal(await text(page, '.details'), 'Signed in as Max Admin · time left 12:33');
    await page.clock.runFor(60_000);
    assert.equal(await text(page, '.details'), 'Signed in as Max Admin · time left 11:33');
    const back = region.getByRole('link', { name: 'Back to your account' });
    assert.equal(await back.getAttribute('href'), `${app.url}/back`);
    await page.clock.resume(); // axe waits on timers of its own
    assert.deepEqual(await accessibilityProblems(page), []);
    assert.deepEqual(problems, []);
    await page.context().close();
  });

  it("R-IMP-14: German from the document language, with the words of Behalf's own banner", async () => {
    const { page } = await open(
      { subject: 'Anna Schmidt', actor: 'Max Admin', 'expires-at': at(3_723_000), 'back-url': '/back' },
      'de',
    );
    assert.equal(await page.getByRole('region', { name: 'Als Benutzer angemeldet' }).count(), 1);
    assert.equal(await text(page, '.headline'), 'Sie sind vorübergehend als Anna Schmidt angemeldet');
    assert.equal(await text(page, '.details'), 'Angemeldet als Max Admin · verbleibende Zeit 1:02:03');
    assert.equal(await page.getByRole('link', { name: 'Zurück zu Ihrem Konto wechseln' }).count(), 1);
    // The lang attribute wins over the document's, and a change re-renders at once.
    await page.evaluate(() => document.querySelector('behalf-banner').setAttribute('lang', 'en'));
    assert.equal(await text(page, '.headline'), 'You are acting as Anna Schmidt');
    await page.context().close();
  });

  it('R-IMP-14: at the expiry it says the session has ended (and tells the page once)', async () => {
    const { page } = await open({
      subject: 'Anna Schmidt',
      actor: 'Max Admin',
      'expires-at': at(3000),
      lang: 'de',
    });
    await page.evaluate(() => {
      (globalThis as any).expired = 0;
      document.addEventListener('behalf-expired', () => (globalThis as any).expired++);
    });
    assert.equal(await text(page, '.details'), 'Angemeldet als Max Admin · verbleibende Zeit 0:03');
    await page.clock.runFor(3000);
    assert.equal(await text(page, '.headline'), 'Ihre Sitzung als Anna Schmidt ist beendet');
    assert.equal(
      await text(page, '.details'),
      'Sie ist abgelaufen oder wurde beendet. Kehren Sie zu Ihrem eigenen Konto zurück, Max Admin.',
    );
    await page.clock.runFor(5000);
    assert.equal(await page.evaluate(() => (globalThis as any).expired), 1);
    assert.equal(
      await page.locator('behalf-banner .headline').getAttribute('aria-live'),
      'polite',
      'announced',
    );
    await page.clock.resume(); // axe waits on timers of its own
    assert.deepEqual(await accessibilityProblems(page), [], 'the red "ended" state is readable too');
    await page.context().close();
  });

  it('the back link goes to back-url (unless the page handles behalf-back); names are text, never markup; javascript: is no link', async () => {
    const { page } = await open({
      subject: '<img src=x onerror="globalThis.owned=1">Anna',
      actor: 'Max Admin',
      'expires-at': at(600_000),
      'back-url': 'javascript:globalThis.owned=1',
    });
    assert.equal(
      await text(page, '.headline'),
      'You are acting as <img src=x onerror="globalThis.owned=1">Anna',
    );
    assert.equal(await page.locator('behalf-banner img').count(), 0);
    assert.equal(await page.getByRole('link').count(), 0, 'no link to a javascript: URL');

    await page.evaluate(() => {
      const banner = document.querySelector('behalf-banner');
      banner.setAttribute('back-url', '/back');
      banner.addEventListener('behalf-back', (e: any) => e.preventDefault(), { once: true });
    });
    const back = page.getByRole('link', { name: 'Back to your account' });
    await back.click();
    assert.equal(new URL(page.url()).pathname, '/', 'a page that handles behalf-back keeps the browser');
    await back.click();
    await page.waitForURL(`${app.url}/back`);
    assert.equal(await page.evaluate(() => (globalThis as any).owned), undefined);
    await page.context().close();
  });
});

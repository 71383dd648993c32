// The server serves the built web pages (web/dist): index.html for any page path a browser asks
// for, under a strict Content-Security-Policy with a fresh style nonce; hashed assets cached
// for good; and the API's own answers (problem documents) left exactly as they were.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { ensureWebBuild } from '../scripts/ensure-web-build.ts';
import { startServer } from './harness.ts';
import { get } from 'node:http';

ensureWebBuild();
const s = await startServer();
const html = { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' };

describe('web pages served by the server', () => {
  after(() => s.close());

  it('R-OPS-02: every page path of both areas answers the app, under a strict CSP', async () => {
    const nonces = new Set<string>();
    for (const path of [
      '/',
      '/sign-in',
      '/admin',
      '/admin/users',
      '/admin/sign-in?next=%2Fadmin',
      '/profile/x',
    ]) {
      const res = await s.client().get(path, html);
      assert.equal(res.status, 200, path);
      assert.match(res.headers.get('content-type') ?? '', /^text\/html/);
      assert.match(res.body, /<div id="root"><\/div>/);
      assert.equal(res.headers.get('cache-control'), 'no-store');
      const csp = res.headers.get('content-security-policy') ?? '';
      assert.match(csp, /default-src 'self'/);
      assert.match(csp, /script-src 'self'(;|$)/, 'no inline or foreign scripts');
      assert.match(csp, /frame-ancestors 'none'/);
      const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
      assert.ok(nonce, 'a style nonce');
      assert.ok(res.body.includes(`<meta name="csp-nonce" content="${nonce}"`), 'the page carries it');
      nonces.add(nonce);
      assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
    }
    assert.equal(nonces.size, 6, 'a fresh nonce for every page');
    const head = await s.client().request('HEAD', '/admin/users', undefined, html);
    assert.equal(head.status, 200);
  });

  it('R-OPS-03: API paths, other methods and non-HTML requests keep their problem documents', async () => {
    const c = s.client();
    const api = await c.get('/api/v1/no-such-thing', html);
    assert.equal(api.status, 404);
    assert.equal(api.body.code, 'not_found');
    const plain = await c.get('/admin/users');
    assert.equal(plain.status, 404, 'fetch without Accept: text/html');
    assert.match(plain.headers.get('content-type') ?? '', /problem\+json/);
    const post = await c.post('/admin/users', {}, html);
    assert.equal(post.status, 404);
    // Registered routes are untouched.
    assert.equal((await c.get('/healthz', html)).status, 200);
    assert.equal((await c.get('/api/v1/session', html)).status, 401);
  });

  it('issue 10 #12: R-OPS-01 the entry pages answer curl (Accept: */*, or none) with the page, not a 404', async () => {
    for (const path of ['/', '/admin']) {
      for (const accept of ['*/*', '']) {
        // node:http sends exactly these headers (fetch would add `Accept: */*` by itself).
        const res = await rawGet(s.url + path, accept ? { accept } : {});
        assert.equal(res.status, 200, `${path} with Accept "${accept}"`);
        assert.match(res.contentType, /text\/html/);
        assert.match(res.body, /<div id="root">/);
      }
    }
    const json = await s.client().get('/', { accept: 'application/json' });
    assert.equal(json.status, 404, 'a client that asks for JSON only still gets the problem document');
  });

  it('serves the hashed assets for a year, and a missing one is a 404 problem', async () => {
    const assets = readdirSync(new URL('../web/dist/assets/', import.meta.url));
    const script = assets.find((f) => f.endsWith('.js'));
    assert.ok(script);
    const res = await s.client().get(`/assets/${script}`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /javascript/);
    assert.match(res.headers.get('cache-control') ?? '', /max-age=31536000.*immutable/);
    const missing = await s.client().get('/assets/nothing-here.js');
    assert.equal(missing.status, 404);
    assert.equal(missing.body.code, 'not_found');
    const escape = await s.client().get('/assets/..%2f..%2fpackage.json');
    assert.equal(escape.status, 404);
  });

  it('issue 10 #13: scripts and styles go out compressed as the browser accepts (br, else gzip), precompressed at build', async () => {
    const assets = readdirSync(new URL('../web/dist/assets/', import.meta.url));
    for (const file of assets.filter((f) => /\.(js|css)$/.test(f))) {
      const plain = await rawAsset(`${s.url}/assets/${file}`, {});
      const br = await rawAsset(`${s.url}/assets/${file}`, { 'accept-encoding': 'gzip, deflate, br' });
      const gz = await rawAsset(`${s.url}/assets/${file}`, { 'accept-encoding': 'gzip' });
      assert.equal(plain.encoding, undefined, file);
      assert.equal(br.encoding, 'br', file);
      assert.equal(gz.encoding, 'gzip', file);
      assert.match(br.vary ?? '', /accept-encoding/i, 'caches keep the forms apart');
      assert.ok(br.bytes < plain.bytes / 3, `${file}: ${br.bytes} of ${plain.bytes} bytes`);
      assert.ok(gz.bytes < plain.bytes / 2.5, `${file}: ${gz.bytes} of ${plain.bytes} bytes`);
      assert.match(br.contentType, /javascript|css/);
    }
  });

  it('issue 10 #13: the page loads the user client only; the console is a chunk of its own, fetched when /admin is opened', async () => {
    const page = await rawGet(`${s.url}/`, html);
    const scripts = [...page.body.matchAll(/src="\/assets\/([^"]+\.js)"/g)].map((m) => m[1]!);
    assert.equal(scripts.length, 1, page.body);
    const entry = await rawGet(`${s.url}/assets/${scripts[0]}`, {});
    const consoleChunk = readdirSync(new URL('../web/dist/assets/', import.meta.url)).find((f) =>
      /^AdminRoutes-.*\.js$/.test(f),
    );
    assert.ok(consoleChunk, 'the build has a console chunk');
    assert.ok(entry.body.includes(consoleChunk), 'the entry knows where to fetch it');
    assert.ok(!page.body.includes(consoleChunk), 'the page does not load it');
    assert.ok(!entry.body.includes('notification-templates'), 'console pages are not in the entry');
  });
});

function rawAsset(
  url: string,
  headers: Record<string, string>,
): Promise<{ encoding: string | undefined; vary: string | undefined; contentType: string; bytes: number }> {
  return new Promise((resolve, reject) => {
    get(url, { headers }, (res) => {
      let bytes = 0;
      res.on('data', (d: Buffer) => (bytes += d.length));
      res.on('end', () =>
        resolve({
          encoding: res.headers['content-encoding'],
          vary: res.headers.vary,
          contentType: res.headers['content-type'] ?? '',
          bytes,
        }),
      );
    }).on('error', reject);
  });
}

function rawGet(
  url: string,
  headers: Record<string, string>,
): Promise<{ status: number; contentType: string; body: string }> {
  return new Promise((resolve, reject) => {
    get(url, { headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, contentType: res.headers['content-type'] ?? '', body }),
      );
    }).on('error', reject);
  });
}

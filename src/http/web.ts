import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fastifyStatic from '@fastify/static';
import { AppError } from '../shared/errors.ts';

// The web pages (admin console under /admin, user client under /), built by `npm run build`
// into web/dist and served by this process: the hashed files under /assets/, and index.html
// for every other path a browser navigates to, so the app's own router takes over (a reload of
// /admin/users works). The API keeps its own answers: an unknown /api path, or a request that
// does not ask for HTML, still gets the problem document 404.

export const webDist = fileURLToPath(new URL('../../web/dist/', import.meta.url));

/**
 * The policy for the pages: everything from this origin only, no inline script at all, and
 * <style> elements only with the page's nonce (the component library creates a few; style
 * attributes set from script go through the CSSOM, which the policy does not restrict).
 */
export function contentSecurityPolicy(nonce: string): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    `style-src 'self' 'nonce-${nonce}'`,
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** Where a person starts: `curl http://host/` must show a working server, not a 404. */
const entryPages = new Set(['/', '/admin', '/admin/']);

function wantsHtml(req: FastifyRequest): boolean {
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  const path = req.url.split('?')[0]!;
  if (path === '/api' || path.startsWith('/api/')) return false;
  const accept = req.headers.accept ?? '';
  if (accept.includes('text/html')) return true;
  // Deep links keep answering a script's fetch with the problem document; the entry pages answer
  // any client that takes anything (curl sends `*/*`, some probes send no Accept at all).
  return entryPages.has(path) && (accept === '' || accept.includes('*/*'));
}

/**
 * Registers the web pages when they are built; without web/dist the server still runs (the
 * API alone), and says how to build them.
 */
export async function registerWeb(app: FastifyInstance, root: string = webDist): Promise<void> {
  const indexFile = join(root, 'index.html');
  if (!existsSync(indexFile)) {
    app.log.warn({ root }, 'web pages not built (run `npm run build`); serving the API only');
    return;
  }
  // The page and the list of built files, read again whenever a new build replaced them (the
  // server need not restart after `npm run build`). A name not among the files is a 404
  // problem document (the static plugin's own not-found path would reach the router's 405).
  const assetsRoot = join(root, 'assets');
  let built = { at: -1, template: '', assets: new Set<string>() };
  const current = () => {
    const at = existsSync(indexFile) ? statSync(indexFile).mtimeMs : -1;
    if (at !== built.at) {
      built = {
        at,
        template: at < 0 ? '' : readFileSync(indexFile, 'utf8'),
        assets: new Set(
          existsSync(assetsRoot) ? readdirSync(assetsRoot, { recursive: true, encoding: 'utf8' }) : [],
        ),
      };
    }
    return built;
  };
  current();
  await app.register(async (scope) => {
    scope.addHook('onRequest', async (req) => {
      const path = req.url.split('?')[0]!;
      let name: string;
      try {
        name = decodeURIComponent(path.slice('/assets/'.length));
      } catch {
        name = '';
      }
      if (!current().assets.has(name)) throw new AppError('not_found', `Nothing at ${path}.`);
    });
    await scope.register(fastifyStatic, {
      root: assetsRoot,
      prefix: '/assets/',
      decorateReply: false,
      index: false,
      // File names carry a hash of their content, so a name never changes meaning.
      immutable: true,
      maxAge: '365d',
      // Issue 10 #13: the build writes .br and .gz beside each file; the smallest form the
      // browser accepts goes out (with Vary: Accept-Encoding), nothing is compressed per request.
      preCompressed: true,
      schemaHide: true,
    });
  });

  const sendPage = (reply: FastifyReply) => {
    const nonce = randomBytes(16).toString('base64');
    return reply
      .code(200)
      .header('content-security-policy', contentSecurityPolicy(nonce))
      .header('cache-control', 'no-store')
      .type('text/html; charset=utf-8')
      .send(current().template.replace('__CSP_NONCE__', nonce));
  };

  // The single-page fallback runs where the router found no route (is404), before any other
  // hook does work for it; registered routes and API 404s are untouched.
  app.addHook('onRequest', async (req, reply) => {
    if (req.is404 && wantsHtml(req)) return sendPage(reply);
  });
}

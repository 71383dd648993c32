import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Auth, safeReturnTo } from './auth.ts';
import { findCourse, findProduct } from './catalog.ts';
import * as pages from './pages.ts';
import {
  bannerFile,
  createBehalf,
  isBlocked,
  requireCapability,
  type Principal,
} from '../../../packages/sdk/src/index.ts';
import { Store } from './store.ts';
import { pickLanguage, type WordKey } from './words.ts';

// The example platform app (issue 9, R-APP-03): a learning platform that signs in through
// Behalf and obeys an impersonation as seeds 000 and 002 describe: the banner on every page,
// no telephony widget, payments and e-signature courses refused with a clear message, lesson
// progress stored as the user's own with a note for them (R-IMP-07). It reads only the token's
// claims: it never asks for, and never learns, the actor's rights (R-IMP-03).

export interface LearningPlatformOptions {
  /** Behalf's issuer, e.g. https://behalf.example.com/oidc. */
  issuer: string;
  clientId: string;
  clientSecret?: string;
  /** 0 or absent: a free port. */
  port?: number;
  host?: string;
  /** Where browsers reach the app; default http://127.0.0.1:<port>. */
  publicUrl?: string;
  /** Where "Back to your account" leads after the app session ended: Behalf's start page. */
  behalfUrl?: string;
  /** The SQLite file; default: in memory. */
  dataFile?: string;
  now?: () => number;
}

export interface LearningPlatform {
  url: string;
  redirectUri: string;
  postLogoutRedirectUri: string;
  backchannelLogoutUri: string;
  store: Store;
  close(): Promise<void>;
}

let bannerModule: string | undefined;

/** The SDK's <behalf-banner>, a plain ES module file (no bundler), read once. */
function bannerScript(): string {
  bannerModule ??= readFileSync(bannerFile, 'utf8');
  return bannerModule;
}

/** Pure: the pages' policy: scripts from this origin only (the banner), forms to here and Behalf. */
export function contentSecurityPolicy(issuer: string): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'unsafe-inline'",
    // Sign-out posts here and is redirected to Behalf's end-session endpoint.
    `form-action 'self' ${new URL(issuer).origin}`,
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

function send(res: ServerResponse, status: number, html: string, csp: string): void {
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'content-security-policy': csp,
    'x-content-type-options': 'nosniff',
  });
  res.end(html);
}

function redirect(res: ServerResponse, location: string): void {
  res.writeHead(303, { location, 'cache-control': 'no-store' }).end();
}

async function formOf(req: IncomingMessage): Promise<URLSearchParams> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > 16_384) throw new Error('form too large');
    chunks.push(chunk as Buffer);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

function wantsJson(req: IncomingMessage): boolean {
  return /application\/(problem\+)?json/.test(req.headers.accept ?? '');
}

export async function startLearningPlatform(options: LearningPlatformOptions): Promise<LearningPlatform> {
  const now = options.now ?? Date.now;
  const csp = contentSecurityPolicy(options.issuer);
  const show = (res: ServerResponse, status: number, html: string) => send(res, status, html, csp);
  const store = new Store(options.dataFile);
  const behalf = createBehalf({ issuer: options.issuer, audience: options.clientId });
  const server = createServer();
  await new Promise<void>((resolve) =>
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve),
  );
  const port = (server.address() as AddressInfo).port;
  const publicUrl = (options.publicUrl ?? `http://127.0.0.1:${port}`).replace(/\/$/, '');
  const behalfUrl = options.behalfUrl ?? `${new URL(options.issuer).origin}/`;
  const auth = new Auth(
    {
      issuer: options.issuer,
      clientId: options.clientId,
      clientSecret: options.clientSecret,
      publicUrl,
      now,
    },
    store,
    behalf,
  );
  // Back-channel logout: Behalf ends the app sessions of a Behalf session (sid) or user (sub),
  // e.g. when an impersonation ends for any reason (R-APP-02).
  const backchannelLogout = behalf.backchannelLogoutHandler((event) => {
    store.endSessions(event);
  });

  /**
   * A capability refused while acting (R-IMP-04, seed 002): problem JSON through the SDK's guard
   * for API callers, a page with the clear message for browsers. Answers whether it may go on.
   */
  function allowed(
    req: IncomingMessage,
    res: ServerResponse,
    principal: Principal,
    capability: string,
    message: WordKey,
    back: string,
  ) {
    if (!isBlocked(principal, capability)) return true;
    if (wantsJson(req)) {
      req.behalf = principal;
      requireCapability(capability)(req, res, () => undefined);
    } else {
      show(
        res,
        403,
        pages.refusalPage({ lang: pickLanguage(req.headers['accept-language']), principal }, message, back),
      );
    }
    return false;
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', publicUrl);
    const path = url.pathname;
    const method = req.method ?? 'GET';
    const lang = pickLanguage(req.headers['accept-language']);

    if (method === 'POST' && path === '/backchannel-logout') return backchannelLogout(req, res);
    if (method === 'GET' && path === '/assets/behalf-banner.js') {
      res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-cache' });
      res.end(bannerScript());
      return;
    }
    // Forms post only from this app's own pages (with SameSite=Lax, a second guard).
    if (method === 'POST' && req.headers.origin && req.headers.origin !== new URL(publicUrl).origin) {
      return show(res, 403, pages.notFoundPage({ lang, principal: null }));
    }
    if (method === 'GET' && path === '/login') {
      // Behalf unreachable (discovery failed): say so, and let the visitor try again.
      return auth.start(res, url.searchParams.get('returnTo') ?? '/').catch((error: unknown) => {
        console.error('learning platform: sign-in could not start:', error);
        show(res, 503, pages.signInPage({ lang, principal: null }, '/', 'signInFailed'));
      });
    }
    if (method === 'GET' && path === '/callback') {
      const to = await auth.finish(req, res).catch((error: unknown) => {
        console.error('learning platform: sign-in failed:', error);
        return null;
      });
      if (to) return redirect(res, to);
      return show(res, 400, pages.signInPage({ lang, principal: null }, '/', 'signInFailed'));
    }
    if (method === 'GET' && path === '/signed-out') {
      return show(res, 200, pages.signInPage({ lang, principal: null }, '/', 'signedOut'));
    }
    if (method === 'POST' && path === '/logout') {
      const ended = auth.end(req, res);
      return redirect(res, (await auth.endSessionUrl(ended).catch(() => null)) ?? '/signed-out');
    }
    // "Back to your account" in the banner: the app session ends here at once, and the browser
    // goes to Behalf, whose own banner ends the impersonation (which also sends back-channel
    // logout to every app that got tokens in it).
    if (path === '/back' && (method === 'GET' || method === 'POST')) {
      auth.end(req, res);
      return redirect(res, behalfUrl);
    }

    const current = auth.current(req);
    if (!current) {
      if (method === 'GET')
        return show(res, 200, pages.signInPage({ lang, principal: null }, safeReturnTo(path + url.search)));
      res.writeHead(401, { 'content-type': 'application/problem+json' });
      res.end(
        JSON.stringify({ type: 'about:blank', title: 'Sign in first', status: 401, code: 'unauthenticated' }),
      );
      return;
    }
    const { principal } = current;
    const view = { lang, principal };
    // Everything below is stored and read under the SUBJECT's id: the token's `sub`.
    const userId = principal.user.id;

    if (method === 'GET' && path === '/') {
      const telephony = !isBlocked(principal, 'telephony');
      return show(res, 200, pages.homePage(view, store.progressOf(userId), store.callsOf(userId), telephony));
    }
    if (method === 'POST' && path === '/telephony/call') {
      if (!allowed(req, res, principal, 'telephony', 'refusedTelephony', '/')) return;
      const number = (await formOf(req)).get('number')?.slice(0, 40) ?? '';
      store.recordCall(userId, number, now());
      return redirect(res, '/');
    }
    if (method === 'GET' && path === '/courses')
      return show(res, 200, pages.coursesPage(view, store.progressOf(userId)));
    if (method === 'GET' && path === '/shop')
      return show(res, 200, pages.shopPage(view, store.purchasesOf(userId)));

    const buy = /^\/shop\/([\w-]+)\/buy$/.exec(path);
    if (method === 'POST' && buy) {
      const product = findProduct(buy[1]!);
      if (!product) return show(res, 404, pages.notFoundPage(view));
      if (!allowed(req, res, principal, 'payments', 'refusedPayments', '/shop')) return;
      store.recordPurchase(userId, product.id, now());
      return redirect(res, '/shop');
    }

    const coursePath = /^\/courses\/([\w-]+)(?:\/lessons\/([\w-]+)\/complete|\/(sign))?$/.exec(path);
    const course = coursePath && findCourse(coursePath[1]!);
    if (!coursePath || !course) return show(res, 404, pages.notFoundPage(view));
    // Seed 002: an e-signature course of the user is not accessible at all while acting.
    if (course.esignature && !allowed(req, res, principal, 'esignature', 'refusedEsignature', '/courses'))
      return;
    if (method === 'GET' && !coursePath[2] && !coursePath[3]) {
      return show(
        res,
        200,
        pages.coursePage(view, course, store.progressOf(userId), store.signed(userId, course.id)),
      );
    }
    if (method === 'POST' && coursePath[2]) {
      const lesson = course.lessons.find((l) => l.id === coursePath[2]);
      if (!lesson) return show(res, 404, pages.notFoundPage(view));
      // R-IMP-07: real, and the user's own; the actor is kept only as a note for the user.
      const actor = principal.actor ? { id: principal.actor.id, name: principal.actor.name ?? null } : null;
      store.completeLesson(userId, course.id, lesson.id, now(), actor);
      return redirect(res, `/courses/${course.id}`);
    }
    if (method === 'POST' && coursePath[3]) {
      store.recordSignature(userId, course.id, now());
      return redirect(res, `/courses/${course.id}`);
    }
    return show(res, 404, pages.notFoundPage(view));
  }

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    handle(req, res).catch((error: unknown) => {
      console.error('learning platform:', error);
      if (!res.headersSent) show(res, 500, '<!DOCTYPE html><title>Error</title><h1>Error</h1>');
      else res.end();
    });
  });

  return {
    url: publicUrl,
    redirectUri: auth.redirectUri,
    postLogoutRedirectUri: auth.postLogoutRedirectUri,
    backchannelLogoutUri: `${publicUrl}/backchannel-logout`,
    store,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      store.close();
    },
  };
}

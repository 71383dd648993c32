import rateLimit from '@fastify/rate-limit';
import type {
  FastifyInstance,
  FastifyRequest,
  onRequestAsyncHookHandler,
  preHandlerAsyncHookHandler,
} from 'fastify';
import type { Config } from '../config.ts';
import type { Clock } from '../shared/clock.ts';
import { AppError } from '../shared/errors.ts';
import { hashToken } from '../sessions/token.ts';
import { clockedWindowStore } from './admission-store.ts';

// Fair sign-in admission (issue 7 #11, R-OPS-05). Password hashing is the scarce resource: one
// queue (src/credentials/password-hasher.ts) serves every sign-in of the process. Without a
// limit in front of it, a flood at one account, or from one address, fills that queue and the
// other users' right passwords are refused with it. So each route that checks a secret without
// a session declares `config: { admission: ... }`, and before its handler runs (and so before
// any hashing or database work) two counters must admit it:
//   - per client address (req.ip: the socket's address, or X-Forwarded-For with TRUST_PROXY),
//   - per account (the normalised login name; for the second step, the login challenge).
// My Profile's checks of the current password (kind `password-check`) pass the same counters,
// keyed by the signed-in user: a session must not be a way around them to the hash queue.
// A refusal is 429 `rate_limited` with Retry-After. The counters live in this process's memory:
// with several instances, each admits its own share (see docs/decisions.md).
//
// Issue 13: during a flood most requests are refused, thousands a second, on the event loop the
// other requests need; so each refusal is given as early as what it depends on allows. The
// address is known when the request arrives: its counter runs in onRequest, before the body is
// read. A route that declares `hashQueue: true` (its handler's first act is a place in the
// password hash queue) is then refused there too when the queue is full, with the queue's own
// 429 (`too_many_requests`, Retry-After: 1): the same answer the handler would give, without
// reading, parsing and validating the body, the account counter and the handler.

export type AdmissionKind = 'login' | 'second-factor' | 'password-check';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Sign-in admission: counts this route's requests per address and per account. */
    admission?: AdmissionKind;
    /** The handler's first act is a place in the password hash queue (issue 13, see above). */
    hashQueue?: true;
  }
}

/** How an account is named in its counter: the login as the user store compares it, and more. */
export function accountKeyOfLogin(login: string): string {
  // NFKC folds fullwidth and compatibility forms, so look-alike spellings share one counter.
  return `login:${login.trim().normalize('NFKC').toLowerCase()}`;
}

function accountKey(req: FastifyRequest, kind: AdmissionKind, challengeCookie: string): string | null {
  if (kind === 'login') {
    const login = (req.body as { login?: unknown } | undefined)?.login;
    return typeof login === 'string' ? accountKeyOfLogin(login) : null;
  }
  if (kind === 'password-check') {
    const userId = req.ctx?.user?.id;
    return userId ? `user:${userId}` : null;
  }
  // The second step has no login name: its challenge stands for the account that passed the
  // password (hashed, so that no counter key is a usable secret).
  const challenge = req.cookies[challengeCookie];
  return challenge ? `challenge:${hashToken(challenge)}` : null;
}

export interface AdmissionOptions {
  config: Config;
  clock: Clock;
  /** The second step's cookie (SecondFactorService.cookieName()). */
  challengeCookie: string;
  /** The password hash queue: throws its 429 when full (PasswordHasher.assertCapacity). */
  hashQueue: { assertCapacity(): void };
}

/**
 * Registers the limiter and a hook that puts the admission check in front of every route
 * declaring `config.admission`. Call before those routes are added.
 */
export async function registerAdmission(app: FastifyInstance, options: AdmissionOptions): Promise<void> {
  const { config, clock, challengeCookie, hashQueue } = options;
  const timeWindow = config.loginLimitWindowSeconds * 1000;
  await app.register(rateLimit, { global: false, store: clockedWindowStore(clock) });
  // Default key: the client address (IPv6 folded to its /64, as one host usually owns one).
  const byAddress = app.createRateLimit({ max: config.loginLimitPerAddress, timeWindow });
  const byAccount = app.createRateLimit({
    max: config.loginLimitPerAccount,
    timeWindow,
    keyGenerator: (req) => req.admissionAccountKey ?? '',
  });

  const refuse = (scope: 'address' | 'account', retryAfter: number) =>
    new AppError('rate_limited', 'Too many sign-in attempts; wait a moment and try again.', {
      retryAfter: Math.max(1, retryAfter),
      extra: { scope },
    });

  // Every request of the route counts against its address, as before the body existed: a
  // request refused later (by the queue, by validation) has still been sent from there.
  const admitAddress: onRequestAsyncHookHandler = async (req) => {
    const address = await byAddress(req);
    if (!address.isAllowed && address.isExceeded) throw refuse('address', address.ttlInSeconds);
  };

  // Decided for issue 13: a login the full queue refuses here is not counted against its
  // account. The account counter bounds the hashing done for one account, and every request
  // that can still reach the queue passes it in preHandler; a refusal hashes nothing and tells
  // nothing, and counting it would only let a flood at a full queue use up the rightful owner's
  // attempts. A malformed body is refused 429 rather than 422 while the queue is full: it is
  // told to come back, and then hears what is wrong with it.
  const refuseWhenQueueFull: onRequestAsyncHookHandler = async () => {
    hashQueue.assertCapacity();
  };

  const admitAccount =
    (kind: AdmissionKind): preHandlerAsyncHookHandler =>
    async (req) => {
      req.admissionAccountKey = accountKey(req, kind, challengeCookie);
      if (req.admissionAccountKey === null) return;
      const account = await byAccount(req);
      if (!account.isAllowed && account.isExceeded) throw refuse('account', account.ttlInSeconds);
    };

  app.decorateRequest('admissionAccountKey', null);
  app.addHook('onRoute', (route) => {
    const kind = route.config?.admission;
    if (!kind) return;
    // onRequest: after the app's own onRequest hooks (security headers, CSRF guard, session),
    // so a cross-site request is still refused as such first; before the body is read.
    route.onRequest = [
      ...[route.onRequest ?? []].flat(),
      admitAddress,
      ...(route.config?.hashQueue ? [refuseWhenQueueFull] : []),
    ];
    // preHandler: after the body is parsed and validated (the account key is in it), before
    // the handler (the hash queue).
    route.preHandler = [admitAccount(kind), ...[route.preHandler ?? []].flat()];
  });
}

declare module 'fastify' {
  interface FastifyRequest {
    admissionAccountKey: string | null;
  }
}

import type { Client, TestServer } from './harness.ts';
import { startIdp, type TestIdp } from './idp.ts';

// Driving sign-in and linking with a login service over HTTP (issue 8): the Behalf side with a
// harness Client (its cookie jar is the browser's Behalf cookies), the provider's side with a
// jar of its own, redirects followed by hand as a browser would.

/** A test provider whose client may redirect to this server's callbacks. */
export function idpFor(server: TestServer, name = 'idp'): Promise<TestIdp> {
  return startIdp(`${server.services.config.publicUrl}/api/v1/auth/login-services/`, name);
}

/** Adds a login service for this provider through the admin API. */
export async function addService(
  server: TestServer,
  idp: TestIdp,
  overrides: Record<string, unknown> = {},
): Promise<any> {
  const res = await server.admin.post('/api/v1/admin/login-services', {
    displayName: 'Test provider',
    issuer: idp.issuer,
    clientId: idp.clientId,
    clientSecret: idp.clientSecret,
    showOnSignIn: true,
    allowLinking: true,
    ...overrides,
  });
  if (res.status !== 201) throw new Error(`add login service: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** Links a subject to a user directly in the store (the admin wizard is another helper's). */
export async function linkDirectly(server: TestServer, userId: string, serviceId: string, subject: string) {
  const now = server.clock.now();
  await server.services.database.db
    .insertInto('linked_accounts')
    .values({
      id: `link-${serviceId}-${subject}`,
      user_id: userId,
      service_id: serviceId,
      subject,
      email: null,
      linked_via: 'admin',
      linked_at: now,
      last_used_at: null,
    })
    .execute();
}

/**
 * Follows the provider's redirects from `url` until the browser is sent back to Behalf's
 * callback; returns that callback's path and query (on the Behalf server).
 */
export async function throughProvider(url: string, jar: Map<string, string> = new Map()): Promise<string> {
  let next = new URL(url);
  const origin = next.origin;
  for (let hop = 0; hop < 12; hop++) {
    const res = await fetch(next, {
      redirect: 'manual',
      headers: jar.size ? { cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; ') } : {},
    });
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair!.indexOf('=');
      jar.set(pair!.slice(0, eq), pair!.slice(eq + 1));
    }
    const location = res.headers.get('location');
    await res.arrayBuffer();
    if (!location) throw new Error(`the provider answered ${res.status} without a redirect`);
    next = new URL(location, next);
    if (next.origin !== origin) return `${next.pathname}${next.search}`;
  }
  throw new Error('too many redirects at the provider');
}

export interface Started {
  /** Where Behalf sent the browser (the provider's authorization URL, or a sign-in page). */
  location: string;
}

/** GET …/start with this client; the 302's location. */
export async function start(client: Client, serviceId: string, returnTo = '/'): Promise<string> {
  const res = await client.get(
    `/api/v1/auth/login-services/${serviceId}/start?returnTo=${encodeURIComponent(returnTo)}`,
  );
  if (res.status !== 302) throw new Error(`start: ${res.status} ${JSON.stringify(res.body)}`);
  return res.headers.get('location')!;
}

/** The whole sign-in in one browser: start, the provider, the callback. Returns the callback's answer. */
export async function signInWith(client: Client, serviceId: string, returnTo = '/') {
  const location = await start(client, serviceId, returnTo);
  if (location.startsWith('/')) return { status: 302, location };
  const callback = await throughProvider(location);
  const res = await client.get(callback);
  return { status: res.status, location: res.headers.get('location') ?? '', callback };
}

/** The query of a local redirect location, as an object. */
export function queryOf(location: string): Record<string, string> {
  return Object.fromEntries(new URL(location, 'http://x').searchParams);
}

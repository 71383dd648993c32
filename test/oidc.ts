import * as oc from 'openid-client';
import type { Client, TestServer } from './harness.ts';

// openid-client (a certified relying party) against a test server: register an app through
// the API, then drive the browser part of the code flow with fetch, carrying the Behalf
// session cookie of a harness Client and the provider's own cookies, redirects followed by hand.

export const redirectUri = 'https://app.example.test/callback';
export const postLogoutUri = 'https://app.example.test/signed-out';

export interface Rp {
  clientId: string;
  clientSecret: string | undefined;
  config: oc.Configuration;
}

export async function registerApp(server: TestServer, body: Record<string, unknown> = {}): Promise<Rp> {
  const res = await server.admin.post('/api/v1/admin/apps', {
    name: 'Learning portal',
    type: 'confidential',
    redirectUris: [redirectUri],
    postLogoutRedirectUris: [postLogoutUri],
    firstParty: true,
    ...body,
  });
  if (res.status !== 201) throw new Error(`register app: ${res.status} ${JSON.stringify(res.body)}`);
  const { clientId, clientSecret } = res.body as { clientId: string; clientSecret?: string };
  return { clientId, clientSecret, config: await rpConfig(server, clientId, clientSecret) };
}

export async function rpConfig(server: TestServer, clientId: string, clientSecret?: string) {
  return oc.discovery(
    new URL(`${server.services.config.publicUrl}/oidc`),
    clientId,
    undefined,
    clientSecret ? oc.ClientSecretBasic(clientSecret) : oc.None(),
    { execute: [oc.allowInsecureRequests] },
  );
}

export interface Started {
  url: URL;
  verifier: string;
  state: string;
}

export async function startAuthorization(rp: Rp, params: Record<string, string> = {}): Promise<Started> {
  const verifier = oc.randomPKCECodeVerifier();
  const state = oc.randomState();
  const url = oc.buildAuthorizationUrl(rp.config, {
    redirect_uri: redirectUri,
    scope: 'openid profile email',
    code_challenge: await oc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
    ...params,
  });
  return { url, verifier, state };
}

/**
 * Follows the authorization's redirects as a browser with this Behalf client's cookies would,
 * until the answer leaves the server (the app's redirect URI, or Behalf's sign-in page), or an
 * answer that is not a redirect. Returns that last location or answer.
 */
export async function followAuthorization(
  start: URL,
  browser: Client | null,
  jar: Map<string, string> = new Map(),
): Promise<{ location: URL | null; status: number; body: string }> {
  let url = start;
  let form: URLSearchParams | null = null;
  for (let hop = 0; hop < 10; hop++) {
    const cookies = [browser?.cookieHeader, ...[...jar].map(([k, v]) => `${k}=${v}`)].filter(Boolean);
    const res = await fetch(url, {
      redirect: 'manual',
      method: form ? 'POST' : 'GET',
      headers: {
        ...(cookies.length ? { cookie: cookies.join('; ') } : {}),
        ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
      ...(form ? { body: form } : {}),
    });
    form = null;
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair!.indexOf('=');
      const value = pair!.slice(eq + 1);
      if (value === '' || /expires=thu, 01 jan 1970/i.test(line)) jar.delete(pair!.slice(0, eq));
      else jar.set(pair!.slice(0, eq), value);
    }
    const location = res.headers.get('location');
    if (res.status < 300 || res.status >= 400 || !location) {
      const body = await res.text();
      // The provider's self-submitting form (e.g. ending its session of another account
      // before the new sign-in resumes): a browser posts it at once.
      const auto = /<form method="post" action="([^"]+)">([\s\S]*?)<\/form>/.exec(body);
      if (res.status === 200 && auto && body.includes('forms[0].submit()')) {
        url = new URL(auto[1]!.replaceAll('&amp;', '&'), url);
        form = new URLSearchParams();
        for (const input of auto[2]!.matchAll(/name="([^"]+)" value="([^"]*)"/g))
          form.set(input[1]!, input[2]!);
        continue;
      }
      return { location: null, status: res.status, body };
    }
    await res.arrayBuffer();
    const next = new URL(location, url);
    if (next.origin !== start.origin || next.pathname === '/sign-in')
      return { location: next, status: res.status, body: '' };
    url = next;
  }
  throw new Error('too many redirects');
}

/** The whole flow for a signed-in Behalf client: tokens for the app. */
export async function signInToApp(
  rp: Rp,
  browser: Client,
  params: Record<string, string> = {},
  jar: Map<string, string> = new Map(),
) {
  const started = await startAuthorization(rp, params);
  const end = await followAuthorization(started.url, browser, jar);
  if (!end.location?.href.startsWith(redirectUri)) {
    throw new Error(
      `authorization did not reach the app: ${end.status} ${String(end.location)} ${end.body.slice(0, 300)}`,
    );
  }
  const tokens = await oc.authorizationCodeGrant(
    rp.config,
    end.location,
    { pkceCodeVerifier: started.verifier, expectedState: started.state },
    params.resource ? { resource: params.resource } : undefined,
  );
  return { tokens, callback: end.location, started };
}

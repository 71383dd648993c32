// Tests of the example app: a real Behalf (the root test harness), the app registered there
// through the admin API and started in-process, and a browser-like client that follows the
// sign-in redirects between the two with both cookie jars.
import { createServer } from 'node:net';
import type { Client, TestServer } from '../../../test/harness.ts';
import { startLearningPlatform, type LearningPlatform, type LearningPlatformOptions } from '../src/server.ts';

export { startLearningPlatform };

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/**
 * Registers the learning platform as a first-party app of `s` (redirect, post-logout and
 * back-channel logout URIs on a port chosen first) and starts it in-process.
 */
export async function startLearningPlatformFor(
  s: TestServer,
  options: Partial<LearningPlatformOptions> = {},
): Promise<LearningPlatform & { clientId: string }> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const res = await s.admin.post('/api/v1/admin/apps', {
    name: 'Learning platform',
    type: 'confidential',
    redirectUris: [`${base}/callback`],
    postLogoutRedirectUris: [`${base}/signed-out`],
    backchannelLogoutUri: `${base}/backchannel-logout`,
    firstParty: true,
  });
  if (res.status !== 201) throw new Error(`register app: ${res.status} ${JSON.stringify(res.body)}`);
  const { clientId, clientSecret } = res.body as { clientId: string; clientSecret: string };
  const app = await startLearningPlatform({
    issuer: `${s.services.config.publicUrl}/oidc`,
    clientId,
    clientSecret,
    port,
    behalfUrl: `${s.url}/`,
    ...options,
  });
  return Object.assign(app, { clientId });
}

export interface Answer {
  status: number;
  location: string | null;
  body: string;
  headers: Headers;
}

/**
 * One browser across Behalf and the app: Behalf's cookies are the harness client's (so it is
 * signed in, or acting, as that client is); the app's and the provider's cookies are kept here.
 */
export class Browser {
  private readonly jar = new Map<string, string>();
  /** Every Set-Cookie line the app and the provider sent, in order. */
  readonly setCookies: string[] = [];
  private readonly behalf: Client | null;
  private readonly language: string;
  constructor(behalf: Client | null, language = 'en') {
    this.behalf = behalf;
    this.language = language;
  }

  async request(
    url: string,
    init: { method?: string; form?: Record<string, string>; accept?: string } = {},
  ): Promise<Answer> {
    const target = new URL(url);
    const behalfHost = this.behalf ? new URL(this.behalf.base).host : null;
    const cookies = [
      ...(target.host === behalfHost && this.behalf?.cookieHeader ? [this.behalf.cookieHeader] : []),
      ...[...this.jar]
        .filter(([k]) => k.startsWith(`${target.host}|`))
        .map(([k, v]) => `${k.split('|')[1]}=${v}`),
    ];
    const res = await fetch(target, {
      method: init.method ?? (init.form ? 'POST' : 'GET'),
      redirect: 'manual',
      headers: {
        'accept-language': this.language,
        accept: init.accept ?? 'text/html',
        ...(cookies.length ? { cookie: cookies.join('; ') } : {}),
        ...(init.form ? { 'content-type': 'application/x-www-form-urlencoded', origin: target.origin } : {}),
      },
      ...(init.form ? { body: new URLSearchParams(init.form) } : {}),
    });
    for (const line of res.headers.getSetCookie()) {
      this.setCookies.push(line);
      const [pair] = line.split(';');
      const eq = pair!.indexOf('=');
      const key = `${target.host}|${pair!.slice(0, eq)}`;
      const value = pair!.slice(eq + 1);
      if (value === '' || /max-age=0|expires=thu, 01 jan 1970/i.test(line)) this.jar.delete(key);
      else this.jar.set(key, value);
    }
    const body = await res.text();
    const location = res.headers.get('location');
    return {
      status: res.status,
      location: location ? new URL(location, target).href : null,
      body,
      headers: res.headers,
    };
  }

  /** The value of a cookie this browser holds for the host of `url`. */
  cookie(url: string, name: string): string | undefined {
    return this.jar.get(`${new URL(url).host}|${name}`);
  }

  /** Follows redirects (GET) until an answer that is not one; the provider's auto-post form too. */
  async follow(
    url: string,
    init: { method?: string; form?: Record<string, string>; accept?: string } = {},
  ): Promise<Answer & { url: string }> {
    let answer = await this.request(url, init);
    for (let hop = 0; hop < 15 && answer.location; hop++) answer = await this.request(answer.location);
    const auto = /<form method="post" action="([^"]+)">([\s\S]*?)<\/form>/.exec(answer.body);
    if (answer.status === 200 && auto && answer.body.includes('forms[0].submit()')) {
      const form: Record<string, string> = {};
      for (const input of auto[2]!.matchAll(/name="([^"]+)" value="([^"]*)"/g)) form[input[1]!] = input[2]!;
      return this.follow(new URL(auto[1]!.replaceAll('&amp;', '&'), url).href, { form });
    }
    return { ...answer, url };
  }

  /** Signs in to the app through Behalf (with the Behalf session this browser has). */
  async signIn(app: LearningPlatform): Promise<Answer> {
    const end = await this.follow(`${app.url}/login?returnTo=/`);
    if (end.status !== 200 || !/<h1>(Hello|Hallo), /.test(end.body)) {
      throw new Error(
        `sign-in to the app did not reach its start page: ${end.status} ${end.body.slice(0, 400)}`,
      );
    }
    return end;
  }
}

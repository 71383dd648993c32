// A minimal signed-in HTTP client for setting up a benchmark (not for load: autocannon does that).

export class Client {
  readonly base: string;
  cookie = '';
  constructor(base: string) {
    this.base = base;
  }

  async call(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
    const res = await fetch(this.base + path, {
      method,
      headers: {
        origin: this.base,
        ...(this.cookie ? { cookie: this.cookie } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const set = res.headers.getSetCookie().map((c) => c.split(';')[0]!);
    if (set.length > 0) this.cookie = set.join('; ');
    const text = await res.text();
    return { status: res.status, body: text.startsWith('{') ? JSON.parse(text) : text };
  }

  async must(method: string, path: string, body?: unknown): Promise<any> {
    const r = await this.call(method, path, body);
    if (r.status >= 400) throw new Error(`${method} ${path}: HTTP ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  }
}

/** An autocannon request: one password login with the given account. */
export function loginRequest(base: string, who: { email: string; password: string }) {
  return {
    method: 'POST' as const,
    path: '/api/v1/auth/login',
    headers: { 'content-type': 'application/json', origin: base },
    body: JSON.stringify({ login: who.email, password: who.password }),
  };
}

/** The session cookie of a fresh password login. */
export async function signedInCookie(
  base: string,
  who: { email: string; password: string },
): Promise<string> {
  const client = new Client(base);
  await client.must('POST', '/api/v1/auth/login', { login: who.email, password: who.password });
  return client.cookie;
}

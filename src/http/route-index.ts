import FindMyWay from 'find-my-way';

declare module 'fastify' {
  interface FastifyInstance {
    /** Every registered method and path, for 405 answers and for tests that enumerate routes. */
    routeIndex: RouteIndex;
  }
}

export interface RouteEntry {
  method: string;
  url: string;
}

/**
 * Which methods each registered path accepts, to answer 405 (with Allow) instead of 404 when
 * a client uses a wrong method on a path that exists.
 */
export class RouteIndex {
  private readonly router = FindMyWay();
  private readonly methods = new Map<string, Set<string>>();

  add(method: string, url: string): void {
    let set = this.methods.get(url);
    if (!set) {
      set = new Set();
      this.methods.set(url, set);
      this.router.on('GET', url, () => {}, { methods: set });
    }
    set.add(method);
  }

  /** Every registered method and path (HEAD included), sorted by path, then method. */
  list(): RouteEntry[] {
    const out: RouteEntry[] = [];
    for (const [url, methods] of this.methods) for (const method of methods) out.push({ method, url });
    return out.sort((a, b) => a.url.localeCompare(b.url) || a.method.localeCompare(b.method));
  }

  allowed(path: string): string[] {
    const found = this.router.find('GET', path);
    const store = found?.store as { methods: Set<string> } | undefined;
    return store ? [...store.methods].filter((m) => m !== 'HEAD').sort() : [];
  }
}

// Checks answers against the OpenAPI document the server publishes: for the operation a
// request reached, the status must be documented, and so must the answer's media type.
import FindMyWay from 'find-my-way';

interface Operation {
  responses: Record<string, { content?: Record<string, unknown> }>;
}
export interface OpenApiDocument {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, unknown> };
  [key: string]: unknown;
}

/** Outside the contract: the document itself and its browsable UI. */
const undocumented = (path: string) => path === '/api/v1/openapi.json' || path.startsWith('/api/docs');
/** What any path answers when no operation is there (the document's info says so). */
const noOperation = new Set([400, 403, 404, 405, 413, 415]);

export class Contract {
  private readonly router = FindMyWay({ ignoreTrailingSlash: true, maxParamLength: 200 });

  readonly doc: OpenApiDocument;

  constructor(doc: OpenApiDocument) {
    this.doc = doc;
    for (const [path, operations] of Object.entries(doc.paths)) {
      const url = path.replace(/\{([^}]+)\}/g, ':$1');
      for (const [method, op] of Object.entries(operations)) {
        this.router.on(method.toUpperCase() as 'GET', url, () => {}, { op, name: `${method} ${path}` });
      }
    }
  }

  /** The operation a request reaches, as Fastify's router would find it; null when none. */
  private find(method: string, path: string): { op: Operation; name: string } | null {
    try {
      const found = this.router.find((method === 'HEAD' ? 'GET' : method) as 'GET', path);
      return (found?.store as { op: Operation; name: string } | undefined) ?? null;
    } catch {
      return null; // a path the router cannot decode: no operation
    }
  }

  /** Null when the answer is documented; else what is wrong. */
  check(method: string, pathAndQuery: string, status: number, contentType: string | null): string | null {
    // The path as fetch sends it (`a/..` resolved), which is what the server routed.
    const path = new URL(pathAndQuery, 'http://server').pathname;
    if (!path.startsWith('/api/') && path !== '/healthz' && path !== '/readyz') return null; // web pages
    if (undocumented(path)) return null;
    const media = contentType?.split(';')[0]!.trim() || null;
    const found = this.find(method, path);
    if (!found) {
      if (noOperation.has(status) && media === 'application/problem+json') return null;
      return `${method} ${path} (no operation): ${status} ${media}`;
    }
    const { op, name } = found;
    const response = op.responses[String(status)] ?? op.responses[`${String(status)[0]}XX`];
    if (!response) return `${name}: status ${status} is not documented`;
    if (method === 'HEAD' || !response.content) return null;
    if (media === null || !(media in response.content)) {
      return `${name}: ${status} as ${media} (documented: ${Object.keys(response.content).join(', ')})`;
    }
    return null;
  }
}

/** Collects the violations of many answers, each one once. */
export class ContractRecorder {
  readonly seen = new Set<string>();
  readonly violations = new Set<string>();
  readonly contract: Contract;
  constructor(contract: Contract) {
    this.contract = contract;
  }

  record(method: string, path: string, status: number, contentType: string | null): void {
    const problem = this.contract.check(method, path, status, contentType);
    this.seen.add(`${method} ${path.split('?')[0]} ${status}`);
    if (problem) this.violations.add(problem);
  }
}

// The one way the web app talks to the server: an openapi-fetch client typed by schema.d.ts
// (generated from the server's OpenAPI document, `npm run api:types`), with the session cookie,
// JSON in and out, and RFC 9457 problem documents turned into an ApiError that pages can show
// field by field.
// Nothing here keeps a secret: the session is the server's HttpOnly cookie, which scripts
// cannot read, and no token is ever put in localStorage or sessionStorage.

import i18n from 'i18next';
import createClient, { type Middleware } from 'openapi-fetch';
import type { paths } from './schema';

export interface FieldError {
  field: string;
  /** In the interface's language when the server named a kind this app has a text for. */
  message: string;
  /** What is wrong, as a stable word (docs/errors.md#field-errors), e.g. `too_small`, `taken`. */
  kind?: string;
  params?: Record<string, unknown>;
}

/**
 * The field error in the interface's language (issue 10 #8): the text of its kind, with zod's
 * `origin`/`format` as i18next context (too_small of a string says "characters"), else the
 * server's English message (an older server, or a kind this build does not know yet).
 */
function translated(error: FieldError): FieldError {
  const key = `errors.fields.${error.kind ?? ''}`;
  if (!error.kind || !i18n.exists(key)) return error;
  const params = error.params ?? {};
  const values = Object.fromEntries(
    Object.entries(params).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : v]),
  );
  const context = typeof params.format === 'string' ? params.format : params.origin;
  const message = i18n.t(key, {
    ...values,
    ...(typeof context === 'string' ? { context } : {}),
    defaultValue: error.message,
  });
  return { ...error, message };
}

/** A problem document from the server (docs/errors.md), or a stand-in for a network failure. */
export class ApiError extends Error {
  readonly status: number;
  /** Stable machine-readable code, e.g. `invalid_credentials`, `not_authenticated`. */
  readonly code: string;
  readonly detail: string;
  readonly fieldErrors: FieldError[];
  /** The whole problem document, for codes that carry extra members. */
  readonly problem: Record<string, unknown>;

  constructor(status: number, problem: Record<string, unknown>) {
    const detail = typeof problem.detail === 'string' ? problem.detail : `HTTP ${status}`;
    super(detail);
    this.name = 'ApiError';
    this.status = status;
    this.code = typeof problem.code === 'string' ? problem.code : 'unknown_error';
    this.detail = detail;
    const fieldErrors = Array.isArray(problem.errors) ? (problem.errors as FieldError[]) : [];
    this.fieldErrors = fieldErrors.map(translated);
    this.problem = problem;
  }

  /** The message for one field (`email`, `reason`, ...), for a form control's `error`. */
  fieldError(field: string): string | undefined {
    return this.fieldErrors.find((e) => e.field === field)?.message;
  }
}

export function isApiError(error: unknown): error is ApiError {
  return error instanceof ApiError;
}

/** An answer together with the ETag the server sent with it (for a later If-Match). */
export interface Versioned<T> {
  data: T;
  etag: string | null;
}

type UnauthorizedListener = (error: ApiError) => void;
const unauthorizedListeners = new Set<UnauthorizedListener>();

/**
 * Called whenever the server answers 401: the session ended (logout elsewhere, expiry, an
 * impersonation ended). The session context listens, so every page learns it at once.
 */
export function onUnauthorized(listener: UnauthorizedListener): () => void {
  unauthorizedListeners.add(listener);
  return () => unauthorizedListeners.delete(listener);
}

/**
 * Query parameters as the server reads them; empty ones (undefined, null, '') are left out. The
 * API's query parameters are all scalars (strings, numbers, booleans).
 */
function querySerializer(query: Record<string, unknown>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    const scalar = typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
    if (scalar && value !== '') params.set(key, String(value));
  }
  return params.toString();
}

/**
 * A POST without a body still sends `{}` as JSON: the server's state-changing routes take JSON
 * only (a cross-site form cannot send it, part of the CSRF defence in src/http/csrf.ts).
 */
const jsonPost: Middleware = {
  onRequest({ request }) {
    if (request.method !== 'POST' || request.body !== null) return undefined;
    const headers = new Headers(request.headers);
    headers.set('content-type', 'application/json');
    return new Request(request, { body: '{}', headers });
  },
};

/**
 * The typed client. Same origin: the browser sends the cookie and the Origin header the CSRF
 * guard checks. Use it through `call` / `callVersioned`, which turn problems into ApiError.
 */
export const client = createClient<paths>({
  baseUrl: '',
  credentials: 'same-origin',
  headers: { accept: 'application/json' },
  querySerializer,
});
client.use(jsonPost);

/** What an openapi-fetch call answers. */
interface Answer<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/** Awaits a call; answers its data and response, or throws ApiError (401s are announced). */
async function settle<T>(pending: Promise<Answer<T>>): Promise<{ data: T; response: Response }> {
  let answer: Answer<T>;
  try {
    answer = await pending;
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError(0, { code: 'network_error', detail: 'The server could not be reached.' });
  }
  const { response } = answer;
  if (!response.ok) {
    const problem =
      answer.error && typeof answer.error === 'object'
        ? (answer.error as Record<string, unknown>)
        : { code: 'unknown_error', detail: `HTTP ${response.status}` };
    const error = new ApiError(response.status, problem);
    if (response.status === 401) for (const listener of unauthorizedListeners) listener(error);
    throw error;
  }
  return { data: answer.data as T, response };
}

/** The data of a typed call, e.g. `call(client.GET('/api/v1/session'))`; throws ApiError. */
export async function call<T>(pending: Promise<Answer<T>>): Promise<T> {
  return (await settle(pending)).data;
}

/** Like `call`, with the answer's ETag (send it back as If-Match: `ifMatch(etag)`). */
export async function callVersioned<T>(pending: Promise<Answer<T>>): Promise<Versioned<T>> {
  const { data, response } = await settle(pending);
  return { data, etag: response.headers.get('etag') };
}

/**
 * Headers for a write based on a version read earlier: it answers 412 instead of overwriting
 * someone else's change made meanwhile.
 */
export const ifMatch = (etag: string | null | undefined): Record<string, string> =>
  etag ? { 'if-match': etag } : {};

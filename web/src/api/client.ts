// The one way the web app talks to the server: fetch with the session cookie, JSON in and out,
// and RFC 9457 problem documents turned into an ApiError that pages can show field by field.
// Nothing here keeps a secret: the session is the server's HttpOnly cookie, which scripts
// cannot read, and no token is ever put in localStorage or sessionStorage.

import i18n from 'i18next';

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

type Query = Record<string, string | number | boolean | null | undefined>;

export interface RequestOptions {
  query?: Query;
  body?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal;
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

function urlOf(path: string, query?: Query): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

/** Sends one request; answers the body and the response (for its headers), or throws ApiError. */
async function send<T>(
  method: string,
  path: string,
  options: RequestOptions,
): Promise<{ data: T; response: Response }> {
  const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
  let body: string | undefined;
  if (options.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.body);
  }
  let response: Response;
  try {
    // Same origin: the browser sends the cookie and the Origin header the CSRF guard checks.
    response = await fetch(urlOf(path, options.query), {
      method,
      headers,
      body,
      credentials: 'same-origin',
      signal: options.signal,
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError(0, { code: 'network_error', detail: 'The server could not be reached.' });
  }
  if (response.status === 204) return { data: undefined as T, response };
  const type = response.headers.get('content-type') ?? '';
  const payload: unknown = /json/.test(type) ? await response.json() : await response.text();
  if (!response.ok) {
    const problem =
      payload && typeof payload === 'object'
        ? (payload as Record<string, unknown>)
        : { code: 'unknown_error', detail: `HTTP ${response.status}` };
    const error = new ApiError(response.status, problem);
    if (response.status === 401) for (const listener of unauthorizedListeners) listener(error);
    throw error;
  }
  return { data: payload as T, response };
}

export async function request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  return (await send<T>(method, path, options)).data;
}

/**
 * Like `request`, but also hands back the answer's ETag. `etag` is sent as If-Match, so a write
 * based on an older version answers 412 instead of overwriting someone else's change.
 */
export async function versioned<T>(
  method: string,
  path: string,
  options: RequestOptions & { etag?: string | null } = {},
): Promise<Versioned<T>> {
  const { etag, ...rest } = options;
  const headers = etag ? { ...rest.headers, 'if-match': etag } : rest.headers;
  const { data, response } = await send<T>(method, path, { ...rest, headers });
  return { data, etag: response.headers.get('etag') };
}

export const api = {
  get: <T>(path: string, options?: Omit<RequestOptions, 'body'>) => request<T>('GET', path, options),
  post: <T>(path: string, body?: unknown, options?: RequestOptions) =>
    request<T>('POST', path, { ...options, body: body ?? {} }),
  put: <T>(path: string, body?: unknown, options?: RequestOptions) =>
    request<T>('PUT', path, { ...options, body }),
  patch: <T>(path: string, body?: unknown, options?: RequestOptions) =>
    request<T>('PATCH', path, { ...options, body }),
  delete: <T>(path: string, options?: RequestOptions) => request<T>('DELETE', path, options),
};

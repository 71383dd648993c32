import { randomUUID } from 'node:crypto';
import type { Duplex } from 'node:stream';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import {
  AppError,
  errorStatus,
  fieldErrorKinds,
  isAppError,
  type ErrorCode,
  type FieldError,
  type FieldErrorKind,
} from '../shared/errors.ts';

// The one place where errors become HTTP answers: RFC 9457 problem JSON with a stable `code`.
// Client mistakes get their own status and a clear message; anything else is a 500 with no
// detail, logged with the request id the client also sees.

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  code: ErrorCode;
  detail: string;
  instance: string;
  requestId: string;
  errors?: FieldError[];
  [extra: string]: unknown;
}

const titles: Partial<Record<number, string>> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  410: 'Gone',
  412: 'Precondition Failed',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  428: 'Precondition Required',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export function problemOf(error: AppError, req: FastifyRequest): ProblemBody {
  return {
    ...error.extra,
    type: `/docs/errors#${error.code}`,
    title: titles[error.status] ?? 'Error',
    status: error.status,
    code: error.code,
    detail: error.message,
    instance: req.url.split('?')[0]!,
    requestId: req.id,
    ...(error.fieldErrors ? { errors: error.fieldErrors } : {}),
  };
}

export function sendProblem(reply: FastifyReply, error: AppError): FastifyReply {
  if (error.retryAfter !== undefined) void reply.header('retry-after', String(error.retryAfter));
  return reply.code(error.status).type('application/problem+json').send(problemOf(error, reply.request));
}

/** Turns whatever was thrown into an AppError; unknown errors become internal_error. */
export function toAppError(error: unknown): AppError {
  if (isAppError(error)) return error;
  if (hasZodFastifySchemaValidationErrors(error)) {
    if (error.validationContext === 'params') {
      return new AppError('not_found', 'No such resource.');
    }
    const where = locationOf(error.validationContext);
    const fieldErrors = error.validation.map((v): FieldError => ({
      field: fieldPath(v.instancePath, where),
      message: v.message ?? 'is invalid',
      ...kindOf(v.keyword, v.params),
      ...(where ? { in: where } : {}),
    }));
    return new AppError(refinementCode(error.validation), describeFieldErrors(fieldErrors, where), {
      fieldErrors,
    });
  }
  const fe = error as Partial<FastifyError>;
  switch (fe.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new AppError('payload_too_large', 'The request body is too large.');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new AppError('unsupported_media_type', 'Send the request body as application/json.');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new AppError('bad_request', 'The request body is empty; send a JSON document.');
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new AppError('bad_request', 'The request body is not valid JSON.');
    case 'FST_ERR_BAD_URL':
      return new AppError('bad_request', 'The URL is not valid (check its percent-encoding).');
    case 'FST_ERR_MAX_PARAM_LENGTH':
      // No resource has an identifier that long, so there is nothing at this URL.
      return new AppError('not_found', 'No such resource.');
  }
  if (error instanceof SyntaxError || fe.statusCode === 400) {
    return new AppError('bad_request', 'The request could not be read.');
  }
  if (fe.statusCode === 413) return new AppError('payload_too_large', 'The request body is too large.');
  if (fe.statusCode === 415) {
    return new AppError('unsupported_media_type', 'Send the request body as application/json.');
  }
  return new AppError('internal_error', 'Something went wrong on our side; the error was logged.');
}

/**
 * A refinement may name its own stable 422 code in its issue's params (src/shared/text-fields.ts).
 * It becomes the answer's code when every issue names that same code; a body with several
 * kinds of mistakes stays `validation_failed`, its `errors` listing each.
 */
function refinementCode(issues: ReadonlyArray<{ params?: unknown }>): ErrorCode {
  const codes = new Set(
    issues.map((v) => {
      const code = (v.params as { params?: { code?: unknown } } | undefined)?.params?.code;
      return typeof code === 'string' && code in errorStatus && errorStatus[code as ErrorCode] === 422
        ? (code as ErrorCode)
        : 'validation_failed';
    }),
  );
  return codes.size === 1 ? [...codes][0]! : 'validation_failed';
}

/**
 * The field error's kind and parameters from a zod issue (issue 10 #8): its code, or the stable
 * code a refinement names; the parameters a text needs (minimum, maximum, expected, format,
 * keys, values), never the value that was sent (a password stays out of the answer).
 */
function kindOf(code: string, params: unknown): Pick<FieldError, 'kind' | 'params'> {
  const issue = (params ?? {}) as Record<string, unknown>;
  const named = (issue.params as { code?: unknown } | undefined)?.code;
  if (typeof named === 'string' && (fieldErrorKinds as readonly string[]).includes(named)) {
    return { kind: named as FieldErrorKind };
  }
  const kind = (fieldErrorKinds as readonly string[]).includes(code) ? (code as FieldErrorKind) : 'custom';
  const kept: Record<string, unknown> = {};
  for (const key of [
    'origin',
    'minimum',
    'maximum',
    'inclusive',
    'expected',
    'format',
    'keys',
    'values',
    'divisor',
  ]) {
    const value = issue[key];
    if (value === undefined) continue;
    // bigint limits (zod's int64 bounds) are not JSON; their decimal text is.
    kept[key] = typeof value === 'bigint' ? String(value) : value;
  }
  return Object.keys(kept).length > 0 ? { kind, params: kept } : { kind };
}

/**
 * The field a schema issue is about, dotted; an issue about the whole query string or body (an
 * unknown key, say) names which of the two: `?includeEnded=true` where no such parameter exists
 * is no body error (issue 10 #17).
 */
function fieldPath(instancePath: string, where: FieldError['in']): string {
  const path = instancePath.replace(/^\//, '').replaceAll('/', '.');
  return path || (where === 'query' ? '(query)' : '(body)');
}

/** Fastify's validation context as the place the client sent the field. */
function locationOf(context: string | undefined): FieldError['in'] {
  if (context === 'querystring') return 'query';
  if (context === 'body') return 'body';
  return undefined;
}

function describeFieldErrors(errors: FieldError[], where?: FieldError['in']): string {
  const first = errors[0];
  if (!first) return 'The request is invalid.';
  const more = errors.length > 1 ? ` (and ${errors.length - 1} more)` : '';
  // A query parameter is named as one, so `limit: too small` is not read as a body member.
  const name =
    where === 'query' && !first.field.startsWith('(') ? `query parameter ${first.field}` : first.field;
  return `${name}: ${first.message}${more}`;
}

/**
 * For Fastify's `frameworkErrors` option: URLs the router rejects before any hook runs (bad
 * percent-encoding, over-long path parameters) get a problem document like every other error,
 * instead of Fastify's own JSON.
 */
export function frameworkProblem(error: unknown, req: FastifyRequest, reply: FastifyReply): FastifyReply {
  void reply.header('x-request-id', req.id);
  return sendProblem(reply, toAppError(error));
}

/**
 * For Fastify's `clientErrorHandler`: requests Node's HTTP parser rejects (an unknown method,
 * malformed or oversized headers) never reach Fastify, so the answer is written to the socket
 * here, still as a problem document with a stable code.
 */
export function clientProblem(error: Error & { code?: string }, socket: Duplex): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const detail =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? 'The request headers are too large.'
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? 'The request did not arrive in time.'
        : 'The request is not valid HTTP.';
  const body = JSON.stringify({
    type: '/docs/errors#bad_request',
    title: 'Bad Request',
    status: 400,
    code: 'bad_request',
    detail,
    instance: '',
    requestId: randomUUID(),
  } satisfies ProblemBody);
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 400 Bad Request\r\nContent-Type: application/problem+json; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(error);
}

export function registerProblemHandlers(app: FastifyInstance, allowedMethods: (url: string) => string[]) {
  app.setErrorHandler((error, req, reply) => {
    const appError = toAppError(error);
    if (appError.status >= 500) req.log.error({ err: error }, 'request failed');
    return sendProblem(reply, appError);
  });
  app.setNotFoundHandler((req, reply) => {
    const path = req.url.split('?')[0]!;
    const allowed = allowedMethods(path);
    if (allowed.length > 0) {
      void reply.header('allow', allowed.join(', '));
      return sendProblem(
        reply,
        new AppError('method_not_allowed', `${req.method} is not allowed here; use ${allowed.join(' or ')}.`),
      );
    }
    return sendProblem(reply, new AppError('not_found', `Nothing at ${path}.`));
  });
}

export const knownErrorCodes = Object.keys(errorStatus) as ErrorCode[];

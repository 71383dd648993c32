import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../shared/errors.ts';

// Optimistic concurrency over HTTP: representations carry an ETag made from their version;
// a write that sends If-Match with an older one gets 412 and changes nothing.

export function etagOf(kind: string, version: number): string {
  return `"${kind}-${version}"`;
}

export function setEtag(reply: FastifyReply, kind: string, version: number): void {
  void reply.header('etag', etagOf(kind, version));
}

/** The version an If-Match header names, null when there is none. `*` matches any version. */
export function ifMatchVersion(req: FastifyRequest, kind: string): number | null {
  const header = req.headers['if-match'];
  if (header === undefined || header.trim() === '*') return null;
  const match = new RegExp(`^(?:W/)?"${kind}-(\\d+)"$`).exec(header.trim());
  if (!match) {
    throw new AppError(
      'precondition_failed',
      'If-Match does not name a version of this resource; reload it.',
    );
  }
  return Number(match[1]);
}

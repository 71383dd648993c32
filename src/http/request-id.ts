import { randomUUID } from 'node:crypto';

/** Every request's id: in the x-request-id header, the request log and its audit events. */
export function newRequestId(): string {
  return randomUUID();
}

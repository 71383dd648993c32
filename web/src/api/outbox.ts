import { call, client } from './client.ts';
import type { Schemas } from './types.ts';

// The mail outbox: notifications.manage (never power users).

export type OutboxMail = Schemas['OutboxMail'];
export type OutboxStatus = OutboxMail['status'];
export const outboxStatuses: OutboxStatus[] = ['pending', 'sent', 'logged', 'failed'];

export interface OutboxPage {
  items: OutboxMail[];
  nextCursor: string | null;
}

export const listOutbox = (
  query: { status?: OutboxStatus | null; limit?: number; cursor?: string | null },
  signal?: AbortSignal,
) =>
  call(
    client.GET('/api/v1/admin/outbox', {
      params: {
        query: { status: query.status ?? undefined, limit: query.limit, cursor: query.cursor ?? undefined },
      },
      signal,
    }),
  );

import { api } from './client.ts';

// The mail outbox: notifications.manage (never power users).

export type OutboxStatus = 'pending' | 'sent' | 'logged' | 'failed';
export const outboxStatuses: OutboxStatus[] = ['pending', 'sent', 'logged', 'failed'];

export interface OutboxMail {
  id: string;
  kind: string;
  recipient: string;
  subject: string;
  body: string;
  status: OutboxStatus;
  attempts: number;
  lastError: string | null;
  createdAt: string;
  nextAttemptAt: string | null;
  sentAt: string | null;
  messageId: string | null;
}

export interface OutboxPage {
  items: OutboxMail[];
  nextCursor: string | null;
}

export const listOutbox = (
  query: { status?: OutboxStatus | null; limit?: number; cursor?: string | null },
  signal?: AbortSignal,
) => api.get<OutboxPage>('/api/v1/admin/outbox', { query: { ...query }, signal });

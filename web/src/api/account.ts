import { api } from './client.ts';
import type { NotificationPage } from './types.ts';

export const listNotifications = (cursor?: string | null, limit = 20) =>
  api.get<NotificationPage>('/api/v1/account/notifications', { query: { cursor, limit } });

export const markNotificationRead = (id: string) =>
  api.post<void>(`/api/v1/account/notifications/${encodeURIComponent(id)}/read`);

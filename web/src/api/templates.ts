import { api } from './client.ts';

// Notification templates (R-IMP-09): superadmins and holders of notifications.manage only.

export const templateTypes = [
  'impersonation.started',
  'impersonation.ended',
  'impersonation.ended_by_subject',
  // Issue 12 #3, #4
  'impersonation.consent_requested',
  'impersonation.request_approved',
  'impersonation.request_declined',
  'impersonation.break_glass',
] as const;
export type TemplateType = (typeof templateTypes)[number];
export const templateLanguages = ['en', 'de'] as const;

export interface NotificationTemplate {
  type: TemplateType;
  language: 'en' | 'de';
  subject: string;
  body: string;
  enabled: boolean;
  /** False while the built-in default is in force. */
  customized: boolean;
  /** The ETag names it: `"template-<version>"`. */
  version: number;
  updatedAt: string | null;
  variables: string[];
}

export interface TemplatePreview {
  subject: string;
  body: string;
  unknownVariables: string[];
}

const pathOf = (type: string, language: string) =>
  `/api/v1/admin/notification-templates/${encodeURIComponent(type)}/${encodeURIComponent(language)}`;

export const etagOfTemplate = (t: NotificationTemplate) => `"template-${t.version}"`;

export const listTemplates = () =>
  api.get<{ items: NotificationTemplate[] }>('/api/v1/admin/notification-templates');

export const getTemplate = (type: string, language: string) =>
  api.get<NotificationTemplate>(pathOf(type, language));

export const saveTemplate = (
  t: NotificationTemplate,
  input: { subject: string; body: string; enabled: boolean },
) =>
  api.put<NotificationTemplate>(pathOf(t.type, t.language), input, {
    headers: { 'if-match': etagOfTemplate(t) },
  });

export const previewTemplate = (
  type: string,
  language: string,
  draft: { subject?: string; body?: string },
  signal?: AbortSignal,
) => api.post<TemplatePreview>(`${pathOf(type, language)}/preview`, draft, { signal });

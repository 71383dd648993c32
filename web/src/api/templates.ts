import { call, client, ifMatch } from './client.ts';
import type { paths } from './schema';
import type { Schemas } from './types.ts';

// Notification templates (R-IMP-09): superadmins and holders of notifications.manage only.

export const templateTypes = [
  'impersonation.started',
  'impersonation.ended',
  'impersonation.ended_by_subject',
  // Issue 12 #3, #4
  'impersonation.consent_requested',
  'impersonation.approval_requested',
  'impersonation.request_approved',
  'impersonation.request_declined',
  'impersonation.break_glass',
] as const;
export type TemplateType = (typeof templateTypes)[number];
export const templateLanguages = ['en', 'de'] as const;
export type TemplateLanguage = (typeof templateLanguages)[number];

export type NotificationTemplate = Schemas['NotificationTemplate'];
export type TemplatePreview = NonNullable<
  paths['/api/v1/admin/notification-templates/{type}/{language}/preview']['post']['responses'][200]['content']
>['application/json'];

const pathOf = (type: TemplateType, language: TemplateLanguage) => ({ params: { path: { type, language } } });

export const etagOfTemplate = (t: NotificationTemplate) => `"template-${t.version}"`;

export const listTemplates = () => call(client.GET('/api/v1/admin/notification-templates'));

export const getTemplate = (type: TemplateType, language: TemplateLanguage) =>
  call(client.GET('/api/v1/admin/notification-templates/{type}/{language}', pathOf(type, language)));

export const saveTemplate = (
  t: NotificationTemplate,
  input: { subject: string; body: string; enabled: boolean },
) =>
  call(
    client.PUT('/api/v1/admin/notification-templates/{type}/{language}', {
      ...pathOf(t.type, t.language),
      body: input,
      headers: ifMatch(etagOfTemplate(t)),
    }),
  );

export const previewTemplate = (
  type: TemplateType,
  language: TemplateLanguage,
  draft: { subject?: string; body?: string },
  signal?: AbortSignal,
) =>
  call(
    client.POST('/api/v1/admin/notification-templates/{type}/{language}/preview', {
      ...pathOf(type, language),
      body: draft,
      signal,
    }),
  );

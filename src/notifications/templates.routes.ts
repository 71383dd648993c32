import { z } from 'zod';
import type { Services } from '../services.ts';
import { problems, type ZodApp } from '../http/zod-app.ts';
import { requireUser } from '../http/context.ts';
import { ifMatchVersion, setEtag } from '../http/etag.ts';
import type { EffectiveTemplate } from './templates.service.ts';
import { notificationTypes, templateLanguages, templateVariables } from './templates.ts';
import { displayText } from '../http/text-fields.ts';

// Notification templates (R-IMP-09): superadmins and holders of notifications.manage read, edit,
// disable and preview them; power users and everyone else get 403.

const etagKind = 'template';

const templateSchema = z
  .object({
    type: z.enum(notificationTypes),
    language: z.enum(templateLanguages),
    subject: z.string().describe('Mail subject and notification title'),
    body: z.string().describe('Plain text'),
    enabled: z.boolean().describe('A disabled template sends neither notification nor mail'),
    customized: z.boolean().describe('False while the built-in default is in force'),
    version: z.number().int().describe('0 for the built-in default; the ETag names it'),
    updatedAt: z.string().nullable(),
    variables: z.array(z.string()).describe('The {variables} templates may use'),
  })
  .meta({ id: 'NotificationTemplate' });

const params = z.object({ type: z.string().max(64), language: z.string().max(8) });

// Subjects are one line (a line break would start a mail header); texts are bounded and hold
// no control or invisible formatting characters (issue 7 #19).
const subjectText = displayText(z.string().trim().min(1).max(200));
const bodyText = displayText(z.string().trim().min(1).max(10_000), 'multi-line');

const putBody = z.object({ subject: subjectText, body: bodyText, enabled: z.boolean() }).strict();
const previewBody = z.object({ subject: subjectText.optional(), body: bodyText.optional() }).strict();

function represent(t: EffectiveTemplate) {
  return {
    type: t.type,
    language: t.language,
    subject: t.subject,
    body: t.body,
    enabled: t.enabled,
    customized: t.customized,
    version: t.version,
    updatedAt: t.updatedAt === null ? null : new Date(t.updatedAt).toISOString(),
    variables: [...templateVariables],
  };
}

export function notificationTemplateRoutes(app: ZodApp, services: Services) {
  const path = '/api/v1/admin/notification-templates';

  app.get(
    path,
    {
      schema: {
        tags: ['notifications'],
        summary: 'List the notification templates of every type and language',
        response: { 200: z.object({ items: z.array(templateSchema) }), ...problems(401, 403) },
      },
    },
    async (req) => {
      return { items: (await services.notificationTemplates.list(requireUser(req))).map(represent) };
    },
  );

  app.get(
    `${path}/:type/:language`,
    {
      schema: {
        tags: ['notifications'],
        summary: 'Read one notification template (with its ETag)',
        params,
        response: { 200: templateSchema, ...problems(401, 403, 404) },
      },
    },
    async (req, reply) => {
      const t = await services.notificationTemplates.get(
        requireUser(req),
        req.params.type,
        req.params.language,
      );
      setEtag(reply, etagKind, t.version);
      return represent(t);
    },
  );

  app.put(
    `${path}/:type/:language`,
    {
      schema: {
        tags: ['notifications'],
        summary: 'Change, enable or disable a notification template',
        description:
          'Honours If-Match (412 when someone changed it meanwhile). Unknown {variables} are refused (422). Audited with before and after.',
        params,
        body: putBody,
        response: { 200: templateSchema, ...problems(401, 403, 404, 412, 422) },
      },
    },
    async (req, reply) => {
      const t = await services.notificationTemplates.update(
        requireUser(req),
        req.params.type,
        req.params.language,
        req.body,
        ifMatchVersion(req, etagKind),
      );
      setEtag(reply, etagKind, t.version);
      return represent(t);
    },
  );

  app.post(
    `${path}/:type/:language/preview`,
    {
      schema: {
        tags: ['notifications'],
        summary: 'Render a template with example values',
        description:
          'Renders the stored template, or the subject/body sent (a draft), without saving anything.',
        params,
        body: previewBody,
        response: {
          200: z.object({ subject: z.string(), body: z.string(), unknownVariables: z.array(z.string()) }),
          ...problems(401, 403, 404, 422),
        },
      },
    },
    async (req) => {
      const ctx = requireUser(req);
      return services.notificationTemplates.preview(ctx, req.params.type, req.params.language, req.body);
    },
  );
}

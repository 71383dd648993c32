import type { Services } from '../services.ts';
import { problems, type ZodApp } from '../http/zod-app.ts';
import { authorize, requireUser } from '../http/context.ts';
import { ifMatchVersion, setEtag } from '../http/etag.ts';
import { settingsDocument, settingsPatch } from './settings.schema.ts';

const settingsResponse = settingsDocument.meta({ id: 'Settings' });

export function settingsRoutes(app: ZodApp, services: Services) {
  app.get(
    '/api/v1/admin/settings',
    {
      schema: {
        tags: ['settings'],
        summary: 'Read the application settings',
        response: { 200: settingsResponse, ...problems(401, 403) },
      },
    },
    async (req, reply) => {
      authorize(requireUser(req), 'settings.read');
      const { settings, version } = await services.settings.current();
      setEtag(reply, 'settings', version);
      return settings;
    },
  );

  app.patch(
    '/api/v1/admin/settings',
    {
      schema: {
        tags: ['settings'],
        summary: 'Change some application settings',
        description: 'Send only what changes. Honours If-Match (412 when the settings changed meanwhile).',
        body: settingsPatch,
        response: { 200: settingsResponse, ...problems(401, 403, 412, 422) },
      },
    },
    async (req, reply) => {
      const ctx = requireUser(req);
      authorize(ctx, 'settings.manage');
      const { settings, version } = await services.settings.update(
        ctx,
        req.body,
        ifMatchVersion(req, 'settings'),
      );
      setEtag(reply, 'settings', version);
      return settings;
    },
  );
}

import { z } from 'zod';
import type { Services } from '../services.ts';
import { problems, type ZodApp } from '../http/zod-app.ts';
import { requireUser } from '../http/context.ts';
import { ifMatchVersion, setEtag } from '../http/etag.ts';
import { settingsDocument, settingsPatch } from './settings.schema.ts';

const settingsResponse = settingsDocument.meta({ id: 'Settings' });

const capabilityCatalogue = z
  .object({
    core: z
      .array(z.object({ name: z.string(), description: z.string() }))
      .describe('Always blocked while acting; no setting removes them'),
    extension: z.object({
      pattern: z.string().describe('What an added name must look like (vendor.thing)'),
      reservedNamespaces: z.array(z.string()).describe("First segments an addition may not use (the core's)"),
      maxAdditions: z.number().int(),
    }),
  })
  .meta({ id: 'CapabilityCatalogue' });

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
      const { settings, version } = await services.settings.read(requireUser(req));
      setEtag(reply, 'settings', version);
      return settings;
    },
  );

  app.get(
    '/api/v1/admin/settings/capabilities',
    {
      schema: {
        tags: ['settings'],
        summary:
          'The capabilities blocked while acting as a user (R-IMP-04): the fixed core, and what may be added',
        response: { 200: capabilityCatalogue, ...problems(401, 403) },
      },
    },
    (req) => services.settings.capabilityCatalogue(requireUser(req)),
  );

  app.patch(
    '/api/v1/admin/settings',
    {
      schema: {
        tags: ['settings'],
        summary: 'Change some application settings',
        description:
          'Send only what changes. Honours If-Match (412 when the settings changed meanwhile). ' +
          '`impersonation.blockedCapabilities` only adds to the core, which stays blocked whatever is sent ' +
          '(422 `unknown_capability` for a name that is neither core nor `vendor.thing`). ' +
          'R-ADM-17: switching `login.passwordLoginEnabled` off is refused with 409 ' +
          '`password_login_needs_service` while no login service is shown on the sign-in page, and with ' +
          '409 `password_login_needs_own_link` while the administrator making the change has no linked ' +
          'account at such a service (they could not sign in again).',
        body: settingsPatch,
        response: { 200: settingsResponse, ...problems(401, 403, 409, 412, 422) },
      },
    },
    async (req, reply) => {
      const { settings, version } = await services.settings.update(
        requireUser(req),
        req.body,
        ifMatchVersion(req, 'settings'),
      );
      setEtag(reply, 'settings', version);
      return settings;
    },
  );
}

import { z } from 'zod';
import type { Services } from '../services.ts';
import { problems, type ZodApp } from '../http/zod-app.ts';
import { requireUser } from '../http/context.ts';
import { displayText } from '../http/text-fields.ts';
import type { App } from './apps.service.ts';

// The platform's apps (OpenID clients) in the admin API (issue 9). Needs `apps.manage`.

/** An absolute http(s) URI without fragment, as OpenID Connect requires of redirect URIs. */
const uri = z
  .string()
  .max(2000)
  .refine(
    (v) => {
      try {
        const u = new URL(v);
        return (u.protocol === 'https:' || u.protocol === 'http:') && !u.hash && !v.includes('#');
      } catch {
        return false;
      }
    },
    { message: 'must be an absolute http(s) URI without a fragment', params: { code: 'invalid_uri' } },
  );

const scopes = z.array(z.enum(['openid', 'profile', 'email', 'offline_access'])).max(4);

const appIdParams = z.object({ id: z.uuid() });
const appName = displayText(z.string().trim().min(1, 'must not be empty').max(100));

const appSchema = z
  .object({
    id: z.string(),
    clientId: z.string(),
    name: z.string(),
    type: z.enum(['confidential', 'public']),
    firstParty: z.boolean(),
    redirectUris: z.array(z.string()),
    postLogoutRedirectUris: z.array(z.string()),
    backchannelLogoutUri: z.string().nullable(),
    scopes: z.array(z.string()),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'App' });

const createAppBody = z
  .object({
    name: appName,
    type: z.enum(['confidential', 'public']),
    redirectUris: z.array(uri).min(1).max(20),
    postLogoutRedirectUris: z.array(uri).max(20).optional(),
    backchannelLogoutUri: uri.nullable().optional(),
    firstParty: z.boolean().optional(),
    scopes: scopes.optional(),
  })
  .strict()
  .meta({ id: 'CreateApp' });

const updateAppBody = z
  .object({
    name: appName.optional(),
    redirectUris: z.array(uri).min(1).max(20).optional(),
    postLogoutRedirectUris: z.array(uri).max(20).optional(),
    backchannelLogoutUri: uri.nullable().optional(),
    firstParty: z.boolean().optional(),
    scopes: scopes.optional(),
  })
  .strict()
  .meta({ id: 'UpdateApp' });

const createdAppSchema = z
  .object({
    clientId: z.string(),
    clientSecret: z.string().optional().describe('Only for confidential apps; shown this once'),
    app: appSchema,
  })
  .meta({ id: 'CreatedApp' });

function representApp(app: App) {
  return {
    ...app,
    clientId: app.id,
    createdAt: new Date(app.createdAt).toISOString(),
    updatedAt: new Date(app.updatedAt).toISOString(),
  };
}

export function appsRoutes(app: ZodApp, services: Services) {
  const apps = services.apps;
  const tags = ['apps'];

  app.get(
    '/api/v1/admin/apps',
    {
      schema: {
        tags,
        summary: 'List the apps that sign in through Behalf (issue 9)',
        description: 'Needs `apps.manage`. Never shows secrets.',
        response: {
          200: z.object({ items: z.array(appSchema) }).meta({ id: 'AppList' }),
          ...problems(401, 403),
        },
      },
    },
    async (req) => ({ items: (await apps.list(requireUser(req))).map(representApp) }),
  );

  app.post(
    '/api/v1/admin/apps',
    {
      schema: {
        tags,
        summary: 'Register an app (an OpenID client)',
        description:
          'Needs `apps.manage`. Answers the client ID and, for a confidential app, its secret: ' +
          'this once only (stored encrypted; rotate it to get a new one). Audited.',
        body: createAppBody,
        response: { 201: createdAppSchema, ...problems(401, 403, 422) },
      },
    },
    async (req, reply) => {
      const { app: created, clientSecret } = await apps.create(requireUser(req), req.body);
      void reply.header('location', `/api/v1/admin/apps/${created.id}`);
      return reply.code(201).send({
        clientId: created.id,
        ...(clientSecret ? { clientSecret } : {}),
        app: representApp(created),
      });
    },
  );

  app.get(
    '/api/v1/admin/apps/:id',
    {
      schema: {
        tags,
        summary: 'Read an app',
        description: 'Needs `apps.manage`.',
        params: appIdParams,
        response: { 200: appSchema, ...problems(401, 403, 404) },
      },
    },
    async (req) => representApp(await apps.get(requireUser(req), req.params.id)),
  );

  app.patch(
    '/api/v1/admin/apps/:id',
    {
      schema: {
        tags,
        summary: 'Change an app',
        description: 'Needs `apps.manage`. The type cannot change. Audited.',
        params: appIdParams,
        body: updateAppBody,
        response: { 200: appSchema, ...problems(401, 403, 404, 422) },
      },
    },
    async (req) => representApp(await apps.update(requireUser(req), req.params.id, req.body)),
  );

  app.post(
    '/api/v1/admin/apps/:id/secret',
    {
      schema: {
        tags,
        summary: "Rotate a confidential app's secret",
        description:
          'Needs `apps.manage`. The old secret stops working at once; the new one is answered this ' +
          'once. A public app has none (422 `validation_failed`). Audited.',
        params: appIdParams,
        response: {
          200: z.object({ clientId: z.string(), clientSecret: z.string() }).meta({ id: 'AppSecret' }),
          ...problems(401, 403, 404, 422),
        },
      },
    },
    async (req) => ({
      clientId: req.params.id,
      clientSecret: await apps.rotateSecret(requireUser(req), req.params.id),
    }),
  );

  app.delete(
    '/api/v1/admin/apps/:id',
    {
      schema: {
        tags,
        summary: 'Delete an app',
        description: 'Needs `apps.manage`. It can no longer sign in or use its tokens. Audited.',
        params: appIdParams,
        response: { 204: z.null(), ...problems(401, 403, 404) },
      },
    },
    async (req, reply) => {
      await apps.delete(requireUser(req), req.params.id);
      return reply.code(204).send(null);
    },
  );
}

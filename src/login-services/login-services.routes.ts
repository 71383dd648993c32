import { z } from 'zod';
import type { Services } from '../services.ts';
import { problems, type ZodApp } from '../http/zod-app.ts';
import { requireUser } from '../http/context.ts';
import { displayText } from '../http/text-fields.ts';
import { issuerProblem, scopesProblem } from './rules.ts';
import type { LoginServiceEntry } from './login-services.service.ts';

// External login services in the admin API (issue 8, R-ADM-17). Needs `settings.manage`. The
// client secret is write-only: answers say `clientSecretSet: true`, never the secret.

const serviceIdParams = z.object({ id: z.string().min(1).max(100) });
const name = displayText(z.string().trim().min(1, 'must not be empty').max(100));
const issuer = z
  .string()
  .trim()
  .max(2000)
  .superRefine((v, ctx) => {
    const problem = issuerProblem(v);
    if (problem)
      ctx.addIssue({ code: 'custom', message: problem, input: v, params: { code: 'insecure_issuer' } });
  })
  .describe(
    'The issuer URL (discovery at /.well-known/openid-configuration): https, or http on loopback only',
  );
const scopes = z
  .array(z.string().min(1).max(100))
  .min(1)
  .max(20)
  .superRefine((v, ctx) => {
    const problem = scopesProblem(v);
    if (problem)
      ctx.addIssue({ code: 'custom', message: problem, input: v, params: { code: 'invalid_scopes' } });
  })
  .describe('Requested scopes; must include `openid` (default: openid profile email)');

const serviceSchema = z
  .object({
    id: z.string(),
    displayName: z.string(),
    displayNameDe: z.string().nullable(),
    issuer: z.string(),
    clientId: z.string(),
    clientSecretSet: z.literal(true).describe('The secret is write-only; it is always set'),
    scopes: z.array(z.string()),
    showOnSignIn: z.boolean(),
    allowLinking: z.boolean(),
    linkByVerifiedEmail: z.boolean(),
    trustProviderMfa: z.boolean(),
    domainId: z.string().nullable(),
    redirectUri: z.string().describe('The redirect URI to register at the provider'),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'LoginService' });

const fields = {
  displayName: name,
  displayNameDe: name.nullable().optional(),
  issuer,
  clientId: z.string().trim().min(1).max(500),
  clientSecret: z.string().min(1).max(2000).describe('Write-only'),
  scopes: scopes.optional(),
  showOnSignIn: z.boolean(),
  allowLinking: z.boolean(),
  linkByVerifiedEmail: z
    .boolean()
    .optional()
    .describe(
      'Link at sign-in by an e-mail the provider marks verified (default false; docs/login-services.md)',
    ),
  trustProviderMfa: z
    .boolean()
    .optional()
    .describe("Skip Behalf's second factor when the ID token's amr shows the provider's MFA (default false)"),
  domainId: z.string().min(1).max(100).nullable().optional().describe('Only users of this domain'),
};

const createBody = z.object(fields).strict().meta({ id: 'CreateLoginService' });
const updateBody = z
  .object({
    ...fields,
    displayName: name.optional(),
    issuer: issuer.optional(),
    clientId: fields.clientId.optional(),
    clientSecret: fields.clientSecret.optional().describe('Write-only; replaces the stored secret'),
    showOnSignIn: z.boolean().optional(),
    allowLinking: z.boolean().optional(),
  })
  .strict()
  .meta({ id: 'UpdateLoginService' });

export function redirectUriOf(publicUrl: string, id: string): string {
  return `${publicUrl}/api/v1/auth/login-services/${encodeURIComponent(id)}/callback`;
}

export function loginServicesRoutes(app: ZodApp, services: Services) {
  const ls = services.loginServices;
  const tags = ['login-services'];
  const represent = (s: LoginServiceEntry) => ({
    ...s,
    clientSecretSet: true as const,
    redirectUri: redirectUriOf(services.config.publicUrl, s.id),
    createdAt: new Date(s.createdAt).toISOString(),
    updatedAt: new Date(s.updatedAt).toISOString(),
  });

  app.get(
    '/api/v1/admin/login-services',
    {
      schema: {
        tags,
        summary: 'List the external login services (issue 8)',
        description: 'Needs `settings.manage`. Never shows a client secret.',
        response: {
          200: z.object({ items: z.array(serviceSchema) }).meta({ id: 'LoginServiceList' }),
          ...problems(401, 403),
        },
      },
    },
    async (req) => ({ items: (await ls.list(requireUser(req))).map(represent) }),
  );

  app.post(
    '/api/v1/admin/login-services',
    {
      schema: {
        tags,
        summary: 'Add a login service (an OpenID Connect provider)',
        description:
          'Needs `settings.manage`. The provider need not be reachable now: it is discovered at ' +
          'sign-in (check it with `POST …/{id}/check`). Audited, without the secret.',
        body: createBody,
        response: { 201: serviceSchema, ...problems(401, 403, 422) },
      },
    },
    async (req, reply) => {
      const created = await ls.create(requireUser(req), req.body);
      void reply.header('location', `/api/v1/admin/login-services/${created.id}`);
      return reply.code(201).send(represent(created));
    },
  );

  app.get(
    '/api/v1/admin/login-services/:id',
    {
      schema: {
        tags,
        summary: 'Read a login service',
        description: 'Needs `settings.manage`.',
        params: serviceIdParams,
        response: { 200: serviceSchema, ...problems(401, 403, 404) },
      },
    },
    async (req) => represent(await ls.get(requireUser(req), req.params.id)),
  );

  app.patch(
    '/api/v1/admin/login-services/:id',
    {
      schema: {
        tags,
        summary: 'Change a login service',
        description:
          'Needs `settings.manage`. Send `clientSecret` only to replace it. Switching `showOnSignIn` ' +
          'changes who "cannot log in" (R-ADM-04). Audited (the secret only as changed).',
        params: serviceIdParams,
        body: updateBody,
        response: { 200: serviceSchema, ...problems(401, 403, 404, 409, 422) },
      },
    },
    async (req) => represent(await ls.update(requireUser(req), req.params.id, req.body)),
  );

  app.delete(
    '/api/v1/admin/login-services/:id',
    {
      schema: {
        tags,
        summary: 'Delete a login service',
        description:
          'Needs `settings.manage`. Its linked accounts go with it: while there are any, the answer is ' +
          '409 `login_service_in_use` (with `linkedAccounts`, their number) unless `force=true`. Audited.',
        params: serviceIdParams,
        querystring: z.object({ force: z.enum(['true', 'false']).optional() }),
        response: { 204: z.null(), ...problems(401, 403, 404, 409) },
      },
    },
    async (req, reply) => {
      await ls.delete(requireUser(req), req.params.id, req.query.force === 'true');
      services.loginServiceFlows.forget(req.params.id);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/api/v1/admin/login-services/:id/check',
    {
      schema: {
        tags,
        summary: "Test the connection: fetch the provider's discovery document now",
        description:
          'Needs `settings.manage`. 200 with the endpoints found, or 502 `login_service_unavailable` ' +
          'with what went wrong. Changes nothing.',
        params: serviceIdParams,
        response: {
          200: z
            .object({ issuer: z.string(), authorizationEndpoint: z.string(), tokenEndpoint: z.string() })
            .meta({ id: 'LoginServiceCheck' }),
          ...problems(401, 403, 404, 502),
        },
      },
    },
    async (req) => services.loginServiceFlows.check(requireUser(req), req.params.id),
  );
}

export function publicLoginServicesRoutes(app: ZodApp, services: Services) {
  app.get(
    '/api/v1/auth/login-services',
    {
      schema: {
        tags: ['auth'],
        summary: 'The login services shown on the sign-in pages',
        description: 'No session needed. Names only.',
        response: {
          200: z
            .array(
              z.object({ id: z.string(), displayName: z.string(), displayNameDe: z.string().nullable() }),
            )
            .meta({ id: 'ShownLoginServices' }),
        },
      },
    },
    async () =>
      (await services.loginServices.shown()).map(({ id, displayName, displayNameDe }) => ({
        id,
        displayName,
        displayNameDe,
      })),
  );
}

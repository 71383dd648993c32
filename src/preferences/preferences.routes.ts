import { z } from 'zod';
import type { Services } from '../services.ts';
import { problems, type ZodApp } from '../http/zod-app.ts';
import { requireUser } from '../http/context.ts';

const keyParams = z.object({
  key: z
    .string()
    .regex(
      /^[a-z][a-z0-9._-]{0,63}$/,
      'must be lower-case letters, digits, dot, dash or underscore (max 64)',
    ),
});
const maxValueBytes = 8 * 1024;
// Registered under a name so that the OpenAPI document can refer to its recursion: a bare
// z.json() came out as a reference to a `schema0` the document did not contain.
const jsonValue = z.json();
z.globalRegistry.add(jsonValue, { id: 'JsonValue', description: 'Any JSON value' });
const value = jsonValue
  .refine((v) => v !== null, 'use DELETE to remove a preference')
  .refine((v) => JSON.stringify(v).length <= maxValueBytes, `must be at most ${maxValueBytes} bytes as JSON`);

export function preferencesRoutes(app: ZodApp, services: Services) {
  app.get(
    '/api/v1/account/preferences',
    {
      schema: {
        tags: ['account'],
        summary: 'Your interface preferences (e.g. table columns)',
        description:
          'While acting as someone, their preferences with the changes made during this impersonation.',
        response: { 200: z.object({ preferences: z.record(z.string(), z.unknown()) }), ...problems(401) },
      },
    },
    async (req) => ({ preferences: await services.preferences.list(requireUser(req)) }),
  );

  app.put(
    '/api/v1/account/preferences/:key',
    {
      schema: {
        tags: ['account'],
        summary: 'Set one preference',
        description:
          'R-IMP-13: set while acting as someone, it applies only until the impersonation ends; neither the ' +
          "user's nor the administrator's own preferences change.",
        params: keyParams,
        body: z.object({ value }).strict(),
        response: { 204: z.null(), ...problems(401, 422) },
      },
    },
    async (req, reply) => {
      await services.preferences.set(requireUser(req), req.params.key, req.body.value);
      return reply.code(204).send(null);
    },
  );

  app.delete(
    '/api/v1/account/preferences/:key',
    {
      schema: {
        tags: ['account'],
        summary: 'Remove one preference',
        params: keyParams,
        response: { 204: z.null(), ...problems(401, 422) },
      },
    },
    async (req, reply) => {
      await services.preferences.set(requireUser(req), req.params.key, undefined);
      return reply.code(204).send(null);
    },
  );
}

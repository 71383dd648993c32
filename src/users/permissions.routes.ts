import { z } from 'zod';
import type { Services } from '../services.ts';
import { problems, type ZodApp } from '../http/zod-app.ts';
import { requireUser } from '../http/context.ts';
import { ifMatchVersion, setEtag } from '../http/etag.ts';
import { AppError, type FieldError } from '../shared/errors.ts';
import { actorOf } from '../shared/request-context.ts';
import {
  generalPermissions,
  isGeneralPermission,
  isSystemPermission,
  systemPermissions,
  type GeneralPermission,
  type SystemPermission,
} from '../permissions/catalogue.ts';
import { userSchema } from './user.schemas.ts';
import { planPermissions } from './user-changes.ts';
import { userIdParams } from './users.routes.ts';

const body = z
  .object({
    general: z
      .array(z.string().max(100))
      .max(50)
      .describe(`Any of: ${generalPermissions.join(', ')}`),
    system: z
      .array(z.string().max(100))
      .max(50)
      .describe(`Any of: ${systemPermissions.join(', ')}`),
  })
  .strict();

/** Pure: checks names against the catalogue (R-ADM-07); returns them de-duplicated and sorted. */
export function parsePermissions(input: { general: string[]; system: string[] }): {
  general: GeneralPermission[];
  system: SystemPermission[];
} {
  const errors: FieldError[] = [];
  input.general.forEach((p, i) => {
    if (!isGeneralPermission(p))
      errors.push({
        field: `general.${i}`,
        message: `unknown permission "${p}"`,
        kind: 'unknown_permission',
        params: { name: p },
      });
  });
  input.system.forEach((p, i) => {
    if (!isSystemPermission(p))
      errors.push({
        field: `system.${i}`,
        message: `unknown permission "${p}"`,
        kind: 'unknown_permission',
        params: { name: p },
      });
  });
  if (errors.length > 0) {
    throw new AppError('unknown_permission', `${errors[0]!.field}: ${errors[0]!.message}`, {
      fieldErrors: errors,
    });
  }
  return {
    general: [...new Set(input.general as GeneralPermission[])].sort(),
    system: [...new Set(input.system as SystemPermission[])].sort(),
  };
}

export function permissionsRoutes(app: ZodApp, services: Services) {
  app.put(
    '/api/v1/admin/users/:id/permissions',
    {
      schema: {
        tags: ['users'],
        summary: "Set a user's general and system permissions (R-ADM-07)",
        description:
          'Replaces both lists. Nobody changes their own permissions (R-ADM-08), and a system administrator ' +
          'grants only permissions, system and general, they hold themselves (`escalation`). Honours If-Match.',
        params: userIdParams,
        body,
        response: { 200: userSchema, ...problems(401, 403, 404, 412, 422) },
      },
    },
    async (req, reply) => {
      const ctx = requireUser(req);
      const next = parsePermissions(req.body);
      const agg = await services.users.change(
        ctx,
        req.params.id,
        ifMatchVersion(req, 'user'),
        'users.permissions',
        ({ user }) => planPermissions(actorOf(ctx), user, next),
      );
      setEtag(reply, 'user', agg.user.version);
      return services.users.represent(agg);
    },
  );
}

import { z } from 'zod';
import type { Services } from '../services.ts';
import { problems, type ZodApp } from '../http/zod-app.ts';
import { requireUser } from '../http/context.ts';
import { maxPasswordLength } from '../credentials/password-policy.ts';
import { setSessionCookie } from '../sessions/cookie.ts';

export function accountPasswordRoutes(app: ZodApp, services: Services) {
  app.put(
    '/api/v1/account/password',
    {
      // R-IMP-04: never while acting as someone else.
      config: { capability: 'password.change', admission: 'password-check' },
      schema: {
        tags: ['account'],
        summary: 'Change your own password (asks for the current one)',
        description:
          'Ends your other sessions and gives this one a new token (in Set-Cookie). Refused with `blocked_during_impersonation` while acting as another user. ' +
          'A wrong current password counts towards the lockout (R-ADM-14); a locked account gets 429 `account_locked`.',
        body: z
          .object({
            currentPassword: z
              .string()
              .min(1)
              .max(maxPasswordLength * 4),
            newPassword: z
              .string()
              .min(1)
              .max(maxPasswordLength * 4),
          })
          .strict(),
        response: { 204: z.null(), ...problems(401, 403, 422, 429) },
      },
    },
    async (req, reply) => {
      const ctx = requireUser(req);
      const token = await services.account.changePassword(
        ctx,
        req.body.currentPassword,
        req.body.newPassword,
      );
      setSessionCookie(reply, services.config, token);
      return reply.code(204).send(null);
    },
  );
}

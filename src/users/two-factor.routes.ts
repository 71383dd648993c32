import { z } from 'zod';
import type { Services } from '../services.ts';
import { problems, type ZodApp } from '../http/zod-app.ts';
import { requireUser } from '../http/context.ts';
import { ifMatchVersion, setEtag } from '../http/etag.ts';
import { twoFactorMethods } from './user.ts';
import { userSchema } from './user.schemas.ts';
import { userIdParams } from './users.routes.ts';

export function twoFactorRoutes(app: ZodApp, services: Services) {
  app.put(
    '/api/v1/admin/users/:id/two-factor',
    {
      schema: {
        tags: ['users'],
        summary: "Set a user's two-factor method to none or e-mail (R-ADM-13)",
        description:
          '`totp` (authenticator app) is refused with 422 `totp_requires_enrolment`: only the user enrols ' +
          'an app, from My Profile. `email` is refused with 409 `mail_transport_missing` when the server has no mail ' +
          'transport (no SMTP_URL, MAIL_LOG_CODES off). Switching removes any enrolled authenticator app. Honours If-Match.',
        params: userIdParams,
        body: z.object({ method: z.enum(twoFactorMethods) }).strict(),
        response: { 200: userSchema, ...problems(401, 403, 404, 409, 412, 422) },
      },
    },
    async (req, reply) => {
      const ctx = requireUser(req);
      const ifMatch = ifMatchVersion(req, 'user');
      const agg = await services.userCredentials.setTwoFactor(ctx, req.params.id, ifMatch, req.body.method);
      setEtag(reply, 'user', agg.user.version);
      return services.users.represent(agg);
    },
  );
}

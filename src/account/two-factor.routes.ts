import { z } from 'zod';
import type { FastifyReply } from 'fastify';
import type { Services } from '../services.ts';
import type { AuthedContext } from '../http/context.ts';
import { setSessionCookie } from '../sessions/cookie.ts';
import { problems, type ZodApp } from '../http/zod-app.ts';
import { requireUser } from '../http/context.ts';
import { AppError } from '../shared/errors.ts';
import { maxPasswordLength } from '../credentials/password-policy.ts';
import { enrolmentSchema, profileSchema, representProfile } from './account.schemas.ts';

// My two-factor settings (R-ADM-13, R-ADM-16). Capability `two_factor.change`: refused while
// acting as the user (R-IMP-04).

const blocked = 'Refused with `blocked_during_impersonation` while acting as another user (R-IMP-04).';

/**
 * A change of the second factor marked the user's sessions for a new token (issue 7 #14); the
 * session that made it gets its own at once, in this answer, so that the page's next requests
 * do not race each other for it.
 */
async function rotateThisSession(services: Services, ctx: AuthedContext, reply: FastifyReply) {
  const token = await services.sessions.rotate(ctx.session!.id);
  if (token !== null) setSessionCookie(reply, services.config, token);
}

export function accountTwoFactorRoutes(app: ZodApp, services: Services) {
  app.post(
    '/api/v1/account/two-factor/totp',
    {
      config: { capability: 'two_factor.change' },
      schema: {
        tags: ['account'],
        summary: 'Start enrolling an authenticator app',
        description:
          'Answers a new secret once, as an otpauth:// URI (for a QR code) and as Base32. Nothing changes ' +
          `until a code from the app confirms it (POST .../totp/confirm, within 15 minutes). ${blocked}`,
        response: { 201: enrolmentSchema, ...problems(401, 403) },
      },
    },
    async (req, reply) => {
      const e = await services.accountTwoFactor.startTotp(requireUser(req));
      // The secret must not linger in caches along the way.
      void reply.header('cache-control', 'no-store');
      return reply
        .code(201)
        .send({ manualEntryKey: e.secret, uri: e.uri, expiresAt: new Date(e.expiresAt).toISOString() });
    },
  );

  app.post(
    '/api/v1/account/two-factor/totp/confirm',
    {
      config: { capability: 'two_factor.change' },
      schema: {
        tags: ['account'],
        summary: 'Confirm the authenticator app with a code from it; it takes effect at once',
        description: `A wrong code answers 422 \`invalid_code\`; none started or expired, 409 \`no_pending_enrolment\`. ${blocked}`,
        body: z
          .object({
            code: z
              .string()
              .trim()
              .regex(/^\d{6}$/, 'must be the six digits the app shows'),
          })
          .strict(),
        response: { 200: profileSchema, ...problems(401, 403, 409, 422) },
      },
    },
    async (req, reply) => {
      const ctx = requireUser(req);
      await services.accountTwoFactor.confirmTotp(ctx, req.body.code);
      await rotateThisSession(services, ctx, reply);
      return representProfile(await services.accountProfile.read(ctx));
    },
  );

  app.put(
    '/api/v1/account/two-factor',
    {
      // Switching off checks the password: admitted like a sign-in (issue 7 #11).
      config: { capability: 'two_factor.change', admission: 'password-check' },
      schema: {
        tags: ['account'],
        summary: 'Switch to codes by e-mail, or switch two-factor off (asks the password)',
        description:
          '`totp` is refused with 422 `totp_requires_enrolment` (enrol through .../totp); `email` with 409 ' +
          '`mail_transport_missing` when the server has no mail transport. Switching off needs the ' +
          `password (422 \`wrong_password\`; wrong passwords count towards the lockout, and a locked account gets 429 ` +
          `\`account_locked\`). Leaving the app drops its secret. ${blocked}`,
        body: z
          .object({
            method: z.enum(['none', 'email', 'totp']),
            password: z
              .string()
              .max(maxPasswordLength * 4)
              .optional(),
          })
          .strict(),
        response: { 200: profileSchema, ...problems(401, 403, 409, 422, 429) },
      },
    },
    async (req, reply) => {
      const ctx = requireUser(req);
      const { method, password } = req.body;
      if (method === 'totp') {
        throw new AppError('totp_requires_enrolment', 'Set up the authenticator app through its enrolment.', {
          fieldErrors: [
            {
              field: 'method',
              message: 'must be "none" or "email"',
              kind: 'invalid_value',
              params: { values: ['none', 'email'] },
            },
          ],
        });
      }
      await services.accountTwoFactor.setMethod(ctx, method, password);
      await rotateThisSession(services, ctx, reply);
      return representProfile(await services.accountProfile.read(ctx));
    },
  );
}

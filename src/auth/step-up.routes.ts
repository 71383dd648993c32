import { z } from 'zod';
import type { Services } from '../services.ts';
import { problems, type ZodApp } from '../http/zod-app.ts';
import { requireUser } from '../http/context.ts';
import { StepUpService } from './step-up.service.ts';

// Issue 12 #5: proving again, for the step-up an impersonation start may demand.

const proof = z.union([
  z.object({ password: z.string().min(1).max(1024) }).strict(),
  z
    .object({
      code: z
        .string()
        .trim()
        .regex(/^\d{6}$/, 'must be six digits'),
    })
    .strict(),
]);

export function stepUpRoutes(app: ZodApp, services: Services) {
  const { database, clock, lockout } = services;
  const stepUp = new StepUpService({ database, clock, lockout });
  app.post(
    '/api/v1/session/step-up',
    {
      // The same admission counters as My Profile's password checks, keyed by the user.
      config: { admission: 'password-check' },
      schema: {
        tags: ['auth'],
        summary: 'Prove the password or a code (authenticator app or e-mail) again (step-up, issue 12 #5)',
        description:
          'Records on this session when its owner last proved a credential; starting an impersonation ' +
          'needs a proof within `impersonation.stepUpMinutes`. Wrong guesses count towards the lockout ' +
          'as at login (R-ADM-14). Refused while acting (`admin_unavailable_while_impersonating`).',
        body: proof,
        response: {
          200: z.object({ provenAt: z.string().describe('When this session proved a credential') }),
          ...problems(401, 403, 422, 429),
        },
      },
    },
    async (req) => {
      const ctx = requireUser(req);
      const { provenAt } = await stepUp.prove(ctx, req.body);
      return { provenAt: new Date(provenAt).toISOString() };
    },
  );

  app.post(
    '/api/v1/session/step-up/code',
    {
      config: { admission: 'password-check' },
      schema: {
        tags: ['auth'],
        summary: 'Send a step-up code by e-mail (accounts with e-mail codes, issue 12 #5)',
        description:
          'Sends a six-digit code, valid 10 minutes, to the primary address; it replaces an earlier one ' +
          'of this session. Prove it at POST /api/v1/session/step-up with `{ code }`.',
        response: { 204: z.null(), ...problems(401, 403, 422, 429) },
      },
    },
    async (req, reply) => {
      await stepUp.sendCode(requireUser(req));
      return reply.code(204).send(null);
    },
  );
}

import type { Services } from '../services.ts';
import { problems, type ZodApp } from '../http/zod-app.ts';
import { requireUser } from '../http/context.ts';
import {
  addEmailBody,
  emailIdParams,
  profileSchema,
  representProfile,
  verifyEmailBody,
} from './account.schemas.ts';

// My e-mail addresses (R-ADM-16): add (a code is mailed), verify with the code, make primary,
// remove. Capability `emails.change`: refused while acting as the user (R-IMP-04).

const blocked = 'Refused with `blocked_during_impersonation` while acting as another user (R-IMP-04).';

export function accountEmailRoutes(app: ZodApp, services: Services) {
  const answer = async (req: Parameters<typeof requireUser>[0]) =>
    representProfile(await services.accountProfile.read(requireUser(req)));

  app.post(
    '/api/v1/account/emails',
    {
      config: { capability: 'emails.change' },
      schema: {
        tags: ['account'],
        summary: 'Add an e-mail address (unverified; a code is mailed to it)',
        description: `The code works once, for 24 hours. ${blocked}`,
        body: addEmailBody,
        response: { 201: profileSchema, ...problems(401, 403, 409, 422) },
      },
    },
    async (req, reply) => {
      await services.accountEmails.add(requireUser(req), req.body.address);
      return reply.code(201).send(await answer(req));
    },
  );

  app.post(
    '/api/v1/account/emails/:emailId/verification',
    {
      config: { capability: 'emails.change' },
      schema: {
        tags: ['account'],
        summary: 'Mail a new code to an unverified address',
        description: `The earlier code stops working. ${blocked}`,
        params: emailIdParams,
        response: { 200: profileSchema, ...problems(401, 403, 404) },
      },
    },
    async (req) => {
      await services.accountEmails.resend(requireUser(req), req.params.emailId);
      return answer(req);
    },
  );

  app.post(
    '/api/v1/account/emails/:emailId/verify',
    {
      config: { capability: 'emails.change' },
      schema: {
        tags: ['account'],
        summary: 'Verify an address with the code from the mail',
        description: `A wrong, expired or used-up code, and any code for an address verified already, answers 422 \`invalid_code\`. ${blocked}`,
        params: emailIdParams,
        body: verifyEmailBody,
        response: { 200: profileSchema, ...problems(401, 403, 404, 409, 422) },
      },
    },
    async (req) => {
      await services.accountEmails.verify(requireUser(req), req.params.emailId, req.body.code);
      return answer(req);
    },
  );

  app.put(
    '/api/v1/account/emails/:emailId/primary',
    {
      config: { capability: 'emails.change' },
      schema: {
        tags: ['account'],
        summary: 'Make a verified address the primary one',
        description: `An unverified address answers 422 \`email_not_verified\`. ${blocked}`,
        params: emailIdParams,
        response: { 200: profileSchema, ...problems(401, 403, 404, 422) },
      },
    },
    async (req) => {
      await services.accountEmails.setPrimary(requireUser(req), req.params.emailId);
      return answer(req);
    },
  );

  app.delete(
    '/api/v1/account/emails/:emailId',
    {
      config: { capability: 'emails.change' },
      schema: {
        tags: ['account'],
        summary: 'Remove an address (not the primary one, not the last one)',
        description: blocked,
        params: emailIdParams,
        response: { 200: profileSchema, ...problems(401, 403, 404, 422) },
      },
    },
    async (req) => {
      await services.accountEmails.remove(requireUser(req), req.params.emailId);
      return answer(req);
    },
  );
}

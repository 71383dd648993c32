import { z } from 'zod';
import type { Services } from '../services.ts';
import { problems, type ZodApp } from '../http/zod-app.ts';
import { requireUser } from '../http/context.ts';
import { openToPowerUsers } from '../http/admin-guard.ts';
import { displayText } from '../http/text-fields.ts';
import { approvalKinds } from './approval-rule.ts';
import type { ApprovalView } from './approvals.service.ts';
import type { FastifyRequest } from 'fastify';

// Issue 12 #3 (consent) and #4 (four eyes): asking, listing and deciding. The start itself
// stays POST /api/v1/admin/users/:id/impersonation, which spends the approval.

const iso = (ms: number) => new Date(ms).toISOString();

const view = z
  .object({
    id: z.string(),
    kind: z.enum(approvalKinds),
    actor: z.object({ id: z.string(), displayName: z.string() }),
    subject: z.object({ id: z.string(), displayName: z.string() }),
    reason: z.string(),
    plannedMinutes: z.number().int(),
    status: z.enum(['pending', 'approved', 'declined', 'used', 'expired', 'withdrawn']),
    createdAt: z.string(),
    expiresAt: z
      .string()
      .describe('Pending: until when it may be decided; approved: until when it may be used for one start'),
  })
  .meta({ id: 'ImpersonationApproval' });

const represent = (v: ApprovalView) => ({
  ...v,
  status: v.status as z.infer<typeof view>['status'],
  createdAt: iso(v.createdAt),
  expiresAt: iso(v.expiresAt),
});

const decisionBody = z.object({ decision: z.enum(['approve', 'decline']) }).strict();
const tokenBody = z.object({ token: z.string().max(100).describe('From the mail link') }).strict();

/** The actor's request and the user's side (outside the admin guard, like the start). */
export function approvalRoutes(app: ZodApp, services: Services) {
  /** Refuses callers who may never impersonate before reading the body (401/403 first). */
  const mayImpersonateAtAll = async (req: FastifyRequest): Promise<void> =>
    services.impersonation.assertMayImpersonate(requireUser(req));

  app.post(
    '/api/v1/admin/users/:id/impersonation/approvals',
    {
      onRequest: mayImpersonateAtAll,
      schema: {
        tags: ['impersonation'],
        summary: "Ask for the user's consent or a second administrator's approval (issue 12 #3, #4)",
        description:
          'Only when the preview says the kind is needed (`approval_not_needed` otherwise) and the rule lets ' +
          'this actor act as the user. A new request withdraws the pending one of the same kind. Consent sends ' +
          'the user a notification and a mail with a single-use link that expires with the request.',
        params: z.object({ id: z.uuid() }),
        body: z
          .object({
            kind: z.enum(approvalKinds),
            reason: displayText(z.string().trim().min(1).max(500), 'multi-line'),
            durationMinutes: z
              .number()
              .int()
              .min(1)
              .max(24 * 60),
          })
          .strict(),
        response: { 201: view, ...problems(401, 403, 404, 409, 422) },
      },
    },
    async (req, reply) => {
      const made = await services.approvals.request(requireUser(req), req.params.id, req.body);
      return reply.code(201).send(represent(made));
    },
  );

  app.get(
    '/api/v1/account/impersonation-requests',
    {
      schema: {
        tags: ['account'],
        summary: 'Requests to act as me that wait for my consent (issue 12 #3)',
        response: { 200: z.object({ items: z.array(view) }), ...problems(401) },
      },
    },
    async (req) => ({ items: (await services.approvals.pendingForSubject(requireUser(req))).map(represent) }),
  );

  app.post(
    '/api/v1/account/impersonation-requests/:id/decision',
    {
      schema: {
        tags: ['account'],
        summary: 'Approve or decline a request to act as me',
        description: 'Only the user, signed in as themselves; refused while acting as someone.',
        params: z.object({ id: z.uuid() }),
        body: decisionBody,
        response: { 200: view, ...problems(401, 403, 404, 409, 422) },
      },
    },
    async (req) =>
      represent(await services.approvals.decide(requireUser(req), req.params.id, req.body.decision)),
  );

  app.post(
    '/api/v1/account/impersonation-requests/by-token',
    {
      schema: {
        tags: ['account'],
        summary: 'What the consent mail link asks (changes nothing)',
        description:
          'POST so that the token stays out of logs. Only for the signed-in user the request is addressed ' +
          'to; any other caller, a used or unknown token get `approval_not_found`.',
        body: tokenBody,
        response: { 200: view, ...problems(401, 404, 422) },
      },
    },
    async (req) => represent(await services.approvals.lookupToken(requireUser(req), req.body.token)),
  );

  app.post(
    '/api/v1/account/impersonation-requests/by-token/decision',
    {
      schema: {
        tags: ['account'],
        summary: 'Approve or decline from the consent mail link',
        description:
          'The link opens a page; this POST decides. The user must be signed in as themselves: administrators ' +
          "may change a user's e-mail address without confirmation, so the link alone must not consent. " +
          'Single use: the token ends with the decision.',
        body: tokenBody.extend(decisionBody.shape),
        response: { 200: view, ...problems(401, 403, 404, 409, 422) },
      },
    },
    async (req) =>
      represent(await services.approvals.decideByToken(requireUser(req), req.body.token, req.body.decision)),
  );
}

/** Four eyes in the console: the requests this administrator may decide. */
export function approvalAdminRoutes(app: ZodApp, services: Services) {
  app.get(
    '/api/v1/admin/impersonation-approvals',
    {
      ...openToPowerUsers,
      schema: {
        tags: ['impersonation'],
        summary: 'Pending four-eyes requests I may decide (issue 12 #4)',
        description: 'Requests of other administrators to act as users this administrator could act as.',
        response: { 200: z.object({ items: z.array(view) }), ...problems(401, 403) },
      },
    },
    async (req) => ({ items: (await services.approvals.pendingFourEyes(requireUser(req))).map(represent) }),
  );

  app.post(
    '/api/v1/admin/impersonation-approvals/:id/decision',
    {
      ...openToPowerUsers,
      schema: {
        tags: ['impersonation'],
        summary: 'Approve or decline a four-eyes request (issue 12 #4)',
        description: 'Never the requesting administrator (`self_approval`), never the user.',
        params: z.object({ id: z.uuid() }),
        body: decisionBody,
        response: { 200: view, ...problems(401, 403, 404, 409, 422) },
      },
    },
    async (req) =>
      represent(await services.approvals.decide(requireUser(req), req.params.id, req.body.decision)),
  );
}

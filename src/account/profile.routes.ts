import { z } from 'zod';
import type { Services } from '../services.ts';
import { problems, type ZodApp } from '../http/zod-app.ts';
import { requireUser } from '../http/context.ts';
import {
  profilePatch,
  profileSchema,
  representProfile,
  representSession,
  sessionSchema,
} from './account.schemas.ts';

// My Profile (R-ADM-16): the signed-in user's own names, gender, language, username, and
// sessions. While an administrator acts as the user, these are the user's (audited with both).

export function accountProfileRoutes(app: ZodApp, services: Services) {
  app.get(
    '/api/v1/account/profile',
    {
      schema: {
        tags: ['account'],
        summary: 'My profile',
        response: { 200: profileSchema, ...problems(401) },
      },
    },
    async (req) => representProfile(await services.accountProfile.read(requireUser(req))),
  );

  app.patch(
    '/api/v1/account/profile',
    {
      schema: {
        tags: ['account'],
        summary: 'Change my names, gender, language or username',
        description:
          'Fields left out stay as they are. The username is unique regardless of case (409 `username_taken`); ' +
          'unlike an administrator, the user may change it (R-ADM-02). The language is that of the whole interface.',
        body: profilePatch,
        response: { 200: profileSchema, ...problems(401, 409, 422) },
      },
    },
    async (req) => representProfile(await services.accountProfile.update(requireUser(req), req.body)),
  );

  app.get(
    '/api/v1/account/sessions',
    {
      schema: {
        tags: ['account'],
        summary: 'My sessions (signed-in browsers), the current one marked',
        response: { 200: z.object({ items: z.array(sessionSchema) }), ...problems(401) },
      },
    },
    async (req) => ({
      items: (await services.accountProfile.sessions(requireUser(req))).map(representSession),
    }),
  );

  app.delete(
    '/api/v1/account/sessions/:id',
    {
      // Signing the user's other browsers out is theirs to do, not an acting administrator's.
      config: { capability: 'sessions.end' },
      schema: {
        tags: ['account'],
        summary: 'End one of my other sessions',
        description:
          'The current session is ended by logging out (422 here). Refused with `blocked_during_impersonation` ' +
          'while acting as another user (R-IMP-04).',
        params: z.object({ id: z.string().min(1).max(64) }),
        response: { 204: z.null(), ...problems(401, 403, 404, 422) },
      },
    },
    async (req, reply) => {
      await services.accountProfile.endSession(requireUser(req), req.params.id);
      return reply.code(204).send(null);
    },
  );

  app.delete(
    '/api/v1/account/sessions',
    {
      config: { capability: 'sessions.end' },
      schema: {
        tags: ['account'],
        summary: 'End all my sessions but the current one',
        description: 'Refused with `blocked_during_impersonation` while acting as another user (R-IMP-04).',
        response: { 200: z.object({ ended: z.number().int() }), ...problems(401, 403) },
      },
    },
    async (req) => ({ ended: await services.accountProfile.endOtherSessions(requireUser(req)) }),
  );
}

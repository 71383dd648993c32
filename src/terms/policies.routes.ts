import { z } from 'zod';
import type { Services } from '../services.ts';
import { problems, type ZodApp } from '../http/zod-app.ts';
import { requireUser } from '../http/context.ts';
import {
  createPolicyBody,
  createVersionBody,
  policyIdParams,
  policySchema,
  policyVersionParams,
  policyVersionSchema,
  representPolicy,
  representVersion,
} from './terms.schemas.ts';

// Admin API for policies (R-IMP-12): registered inside the admin guard; every handler needs
// settings.manage (superadmins hold every permission).

export function policiesRoutes(app: ZodApp, services: Services) {
  const admin = services.terms.admin;

  app.get(
    '/api/v1/admin/policies',
    {
      schema: {
        tags: ['terms'],
        summary: 'List the policies with their versions and which version is current',
        description: 'Archived policies are included (`archivedAt`, `inForce: false`).',
        response: { 200: z.object({ items: z.array(policySchema) }), ...problems(401, 403) },
      },
    },
    async (req) => {
      return { items: (await admin.list(requireUser(req))).map(representPolicy) };
    },
  );

  app.post(
    '/api/v1/admin/policies',
    {
      schema: {
        tags: ['terms'],
        summary: 'Create a privacy policy, a sub-policy of one, or terms and conditions',
        description:
          'A new policy has no version and asks nothing of anyone until a version is published. ' +
          "A sub-policy's parent must be a privacy policy in force that is not a sub-policy itself.",
        body: createPolicyBody,
        response: { 201: policySchema, ...problems(401, 403, 422) },
      },
    },
    async (req, reply) => {
      const ctx = requireUser(req);
      const view = await admin.create(ctx, req.body);
      void reply.header('location', `/api/v1/admin/policies/${view.policy.id}`);
      return reply.code(201).send(representPolicy(view));
    },
  );

  app.post(
    '/api/v1/admin/policies/:id/versions',
    {
      schema: {
        tags: ['terms'],
        summary: 'Add a version of a policy, as a draft or published at once',
        description:
          'Versions are numbered 1, 2, ... per policy. Publishing makes the version current: ' +
          'acceptances of older versions no longer suffice, so every user is asked again.',
        params: policyIdParams,
        body: createVersionBody,
        response: { 201: policyVersionSchema, ...problems(401, 403, 404, 409, 422) },
      },
    },
    async (req, reply) => {
      const ctx = requireUser(req);
      const version = await admin.addVersion(ctx, req.params.id, req.body);
      const view = await admin.view(req.params.id);
      return reply.code(201).send(representVersion(version, view.currentVersionId));
    },
  );

  app.post(
    '/api/v1/admin/policies/:id/versions/:versionId/publish',
    {
      schema: {
        tags: ['terms'],
        summary: 'Publish a draft version: it becomes current and every user is asked again',
        description:
          'Publishing a version that is published already changes nothing. A draft older than the ' +
          'published version is refused (409 `policy_version_superseded`): add a new version instead.',
        params: policyVersionParams,
        response: { 200: policySchema, ...problems(401, 403, 404, 409) },
      },
    },
    async (req) => {
      const ctx = requireUser(req);
      return representPolicy(await admin.publish(ctx, req.params.id, req.params.versionId));
    },
  );

  app.post(
    '/api/v1/admin/policies/:id/archive',
    {
      schema: {
        tags: ['terms'],
        summary: 'Archive a policy: users no longer need to accept it',
        description:
          'Archiving a privacy policy withdraws its sub-policies too. Acceptances are kept. Archiving ' +
          'an archived policy changes nothing.',
        params: policyIdParams,
        response: { 200: policySchema, ...problems(401, 403, 404) },
      },
    },
    async (req) => {
      const ctx = requireUser(req);
      return representPolicy(await admin.archive(ctx, req.params.id));
    },
  );
}

import { z } from 'zod';
import type { Services } from '../../services.ts';
import { problems, type ZodApp } from '../../http/zod-app.ts';
import { requireUser } from '../../http/context.ts';
import { etagOf, setEtag } from '../../http/etag.ts';
import { AppError } from '../../shared/errors.ts';
import { generalPermissions, roles, systemPermissions } from '../../permissions/catalogue.ts';
import { userSchema } from '../user.schemas.ts';
import type { MergePreview } from './merge.service.ts';
import { mergedTables } from './merge-plan.ts';
import { displayName } from '../user.ts';

// R-ADM-10: connecting two profiles. HTTP only; the rules are in merge-plan.ts, the
// transaction in merge.service.ts. What happens to each kind of data: docs/connect-profiles.md.

const params = z.object({ id: z.uuid() });

const choices = z
  .object({
    permissions: z
      .enum(['survivor', 'union', 'absorbed'])
      .optional()
      .describe('Required when role or permissions differ: which set the survivor keeps'),
    domain: z
      .enum(['survivor', 'absorbed'])
      .optional()
      .describe('Required when the domains differ: which one the survivor belongs to'),
  })
  .strict()
  .meta({ id: 'MergeChoices' });

const previewBody = z
  .object({
    absorbId: z.uuid().describe('The profile to absorb into the one in the path'),
    choices: choices.default({}).describe('Optional here: the preview shows the result of these choices'),
  })
  .strict()
  .meta({ id: 'MergePreviewRequest' });

const mergeBody = z
  .object({
    absorbId: z.uuid(),
    survivorETag: z.string().max(100).describe("The survivor's ETag from the preview"),
    absorbETag: z.string().max(100).describe("The absorbed profile's ETag from the preview"),
    choices: choices.default({}),
  })
  .strict()
  .meta({ id: 'MergeRequest' });

const rights = z.object({
  role: z.enum(roles),
  system: z.array(z.enum(systemPermissions)),
  general: z.array(z.enum(generalPermissions)),
});
const outcome = z.object({ moved: z.number().int(), dropped: z.number().int(), replaced: z.number().int() });

const previewSchema = z
  .object({
    survivor: userSchema,
    absorbed: userSchema,
    survivorETag: z.string(),
    absorbETag: z.string(),
    suggestedSurvivorId: z.string().describe('The holder of the verified address'),
    connectingAddresses: z.array(z.string()),
    differences: z.object({
      permissions: z.object({ survivor: rights, absorbed: rights, union: rights }).nullable(),
      domain: z.object({ survivor: z.string().nullable(), absorbed: z.string().nullable() }).nullable(),
    }),
    result: z.object({ permissions: rights, domainId: z.string().nullable() }),
    emails: z.object({
      move: z.array(z.object({ address: z.string(), verified: z.boolean() })),
      drop: z.array(z.string()),
      verify: z.array(z.string()),
    }),
    linkedAccounts: z.object({ move: z.number().int() }),
    groups: z.object({ move: z.array(z.string()), drop: z.array(z.string()) }),
    powerUserResources: z.object({ move: z.array(z.string()), drop: z.array(z.string()) }),
    assignmentsDropped: z
      .array(z.string())
      .describe('Power users who lose the absorbed profile from their reach'),
    termsAcceptances: z.object({ move: z.number().int(), drop: z.number().int() }),
    notifications: z.object({ move: z.number().int() }),
    preferences: z.object({ move: z.array(z.string()), drop: z.array(z.string()) }),
    droppedProfile: z
      .array(z.string())
      .describe("The absorbed profile's own fields the survivor does not take (names, password, ...)"),
    tables: z.record(z.enum(mergedTables), outcome).describe('Rows per table: moved from, or dropped'),
  })
  .meta({ id: 'MergePreview' });

const candidatesSchema = z.object({
  items: z.array(
    z.object({
      emailId: z.string(),
      address: z.string(),
      user: z.object({ id: z.string(), displayName: z.string(), primaryEmail: z.string().nullable() }),
    }),
  ),
});

/** `"user-7"` -> 7, as If-Match would carry it; anything else is no version of a user. */
function versionOf(etag: string, field: string): number {
  const match = /^(?:W\/)?"user-(\d+)"$/.exec(etag.trim());
  if (match) return Number(match[1]);
  throw new AppError('precondition_failed', `${field} is not the ETag of a user; preview again.`);
}

export function mergeRoutes(app: ZodApp, services: Services) {
  const represent = async (p: MergePreview) => {
    const { plan } = p;
    return {
      survivor: await services.users.represent(p.survivor),
      absorbed: await services.users.represent(p.absorbed),
      survivorETag: etagOf('user', p.survivor.user.version),
      absorbETag: etagOf('user', p.absorbed.user.version),
      suggestedSurvivorId: p.suggestedSurvivorId,
      connectingAddresses: plan.connectingAddresses,
      differences: { permissions: plan.rightsDifference, domain: plan.domainDifference },
      result: { permissions: plan.result.rights, domainId: plan.result.domainId },
      emails: {
        move: plan.emails.move.map((e) => ({ address: e.address, verified: e.verified })),
        drop: plan.emails.drop.map((e) => e.address),
        verify: plan.emails.verify.map((e) => e.address),
      },
      linkedAccounts: { move: plan.linkedAccounts.length },
      groups: plan.groups,
      powerUserResources: plan.resources,
      assignmentsDropped: plan.assignments.drop,
      termsAcceptances: { move: plan.acceptances.move.length, drop: plan.acceptances.drop.length },
      notifications: { move: plan.notifications.length },
      preferences: plan.preferences,
      droppedProfile: plan.droppedProfile,
      tables: plan.tables,
    };
  };

  app.get(
    '/api/v1/admin/users/:id/merge-candidates',
    {
      schema: {
        tags: ['users'],
        summary: 'Profiles this user could be connected with (R-ADM-10)',
        description:
          "The user's unverified addresses that are verified in another profile, with that profile. " +
          'Needs `users.update` on the user; profiles the caller may not read are left out.',
        params,
        response: { 200: candidatesSchema, ...problems(401, 403, 404) },
      },
    },
    async (req) => {
      const ctx = requireUser(req);
      const found = await services.merge.candidates(ctx, req.params.id);
      return {
        items: found.map((c) => ({
          emailId: c.emailId,
          address: c.address,
          user: {
            id: c.user.user.id,
            displayName: displayName(c.user.user),
            primaryEmail: c.user.user.primaryEmail,
          },
        })),
      };
    },
  );

  app.post(
    '/api/v1/admin/users/:id/merge-preview',
    {
      schema: {
        tags: ['users'],
        summary: 'Preview connecting a profile into this one (R-ADM-10)',
        description:
          'The user in the path survives, `absorbId` is absorbed. Changes nothing. Lists what moves, what ' +
          'the survivor keeps and what is dropped, the differences the merge must decide (`choices`), and ' +
          'both ETags to send with the merge. 409 `merge_not_connected` unless an unverified address of ' +
          'one profile is verified in the other; 409 `merge_absorbs_superadmin`; 409 ' +
          "`merge_impersonating`; 403 for one's own profile (R-ADM-08) or rights one may not grant.",
        params,
        body: previewBody,
        response: { 200: previewSchema, ...problems(401, 403, 404, 409, 422) },
      },
    },
    async (req) => {
      const ctx = requireUser(req);
      return represent(await services.merge.preview(ctx, req.params.id, req.body.absorbId, req.body.choices));
    },
  );

  app.post(
    '/api/v1/admin/users/:id/merge',
    {
      schema: {
        tags: ['users'],
        summary: 'Connect (merge) a profile into this one (R-ADM-10)',
        description:
          'Runs the previewed plan in one transaction and answers the surviving user with its new ETag. ' +
          'The ETags of both profiles from the preview go in the body (`survivorETag`, `absorbETag`); ' +
          'when either profile changed since, 412 `precondition_failed` and nothing changes. 422 ' +
          '`validation_failed` (field `choices.permissions` or `choices.domain`) when the profiles differ ' +
          'and the choice is missing. The absorbed ID then answers 404 `user_merged` with `survivorId`. ' +
          'Audited as one `user.merged` event naming both IDs.',
        params,
        body: mergeBody,
        response: { 200: userSchema, ...problems(401, 403, 404, 409, 412, 422) },
      },
    },
    async (req, reply) => {
      const ctx = requireUser(req);
      const agg = await services.merge.merge(ctx, req.params.id, {
        absorbId: req.body.absorbId,
        survivorVersion: versionOf(req.body.survivorETag, 'survivorETag'),
        absorbVersion: versionOf(req.body.absorbETag, 'absorbETag'),
        choices: req.body.choices,
      });
      setEtag(reply, 'user', agg.user.version);
      return services.users.represent(agg);
    },
  );
}

import { z } from 'zod';
import type { Principal, RequestContext } from '../shared/request-context.ts';
import type { CurrentVersion } from '../terms/terms.ts';
import { pendingTermSchema, representPendingTerms } from '../terms/terms.schemas.ts';
import { roles } from '../permissions/catalogue.ts';

// The answer of GET /api/v1/session, in one place: the route builds it, and so does the warm
// session check's fast path (src/http/session-check-fast-path.ts), which must send the very
// same bytes.

export function sessionUser(u: Principal) {
  const { id, displayName, username, primaryEmail, language, role } = u;
  return { id, displayName, username, primaryEmail, language, role };
}

export const principalSchema = z.object({
  id: z.string(),
  displayName: z.string(),
  username: z.string().nullable(),
  primaryEmail: z.string().nullable(),
  language: z.string(),
  role: z.enum(roles),
});

export const sessionSchema = z
  .object({
    user: principalSchema,
    permissions: z.object({ general: z.array(z.string()), system: z.array(z.string()) }),
    impersonation: z
      .object({
        id: z.string(),
        actor: z.object({
          id: z.string(),
          displayName: z.string(),
          language: z.string().describe("The actor's interface language: the banner speaks it (issue 10 #6)"),
        }),
        startedAt: z.string(),
        expiresAt: z.string(),
        reason: z.string(),
        origin: z.string(),
        mode: z
          .enum(['act', 'read-only'])
          .describe('Issue 12 #2: "read-only" sessions look and change nothing (`read_only_impersonation`)'),
      })
      .nullable()
      .describe('Set while acting as another user: who really acts, until when, why (R-IMP-05, R-IMP-14)'),
    blockedCapabilities: z.array(z.string()),
    resumedAfter: z
      .object({
        impersonationId: z.string(),
        subject: z.string(),
        endReason: z.string(),
        endedAt: z.string(),
        origin: z.enum(['users', 'power-users']),
      })
      .nullable()
      .optional()
      .describe(
        "Issue 10 #5: set only on the answer that gave the administrator's browser its own session back " +
          'after an impersonation ended while it was away: what ended, why, and where it was started.',
      ),
    pendingTerms: z
      .array(pendingTermSchema)
      .describe('Current policy versions this user has not accepted: prompt for them (R-IMP-12)'),
  })
  .meta({ id: 'Session' });

/** What resumeActorAfterEnd reports when the actor's own session came back (issue 10 #5). */
export type ResumedAfter = z.infer<typeof sessionSchema>['resumedAfter'];

/**
 * The session answer for a signed-in request's context. Its keys (and sessionUser's) are in
 * sessionSchema's order: the fast path sends JSON.stringify of it, which must equal what the
 * route's schema serializer writes.
 */
export function sessionAnswer(
  ctx: Pick<RequestContext, 'impersonation' | 'blockedCapabilities'> & { user: Principal },
  pending: readonly CurrentVersion[],
  resumedAfter: ResumedAfter | null,
) {
  const u = ctx.user;
  const imp = ctx.impersonation;
  return {
    user: sessionUser(u),
    permissions: { general: u.generalPermissions, system: u.systemPermissions },
    impersonation: imp && {
      id: imp.id,
      actor: { id: imp.actor.id, displayName: imp.actor.displayName, language: imp.actor.language },
      startedAt: new Date(imp.startedAt).toISOString(),
      expiresAt: new Date(imp.expiresAt).toISOString(),
      reason: imp.reason,
      origin: imp.origin,
      mode: imp.mode,
    },
    blockedCapabilities: ctx.blockedCapabilities,
    resumedAfter,
    pendingTerms: representPendingTerms(pending),
  };
}

import type { AuthedContext } from '../shared/request-context.ts';
import { AppError } from '../shared/errors.ts';
import { assertCapability } from '../permissions/capabilities.ts';
import { recordAudit } from '../audit/audit.ts';
import type { UserAggregate } from '../users/users.service.ts';
import { planOwnProfileUpdate, type OwnProfilePatch } from './profile.ts';
import { changeOwn, loadOwn, type SelfChangeDeps } from './self-change.ts';
import {
  deleteOtherOwnSessions,
  deleteOwnSession,
  findUserIdByUsername,
  listOwnSessions,
  pendingVerificationIds,
} from './account.store.ts';
import { usernameKey } from '../users/username.ts';

// My Profile (R-ADM-16): the signed-in user's names, gender, language, username, and their
// own sessions. Everything is about ctx.user (the subject, while an administrator acts).

export interface OwnSession {
  id: string;
  current: boolean;
  createdAt: number;
  lastSeenAt: number;
  ip: string | null;
  userAgent: string | null;
}

export class ProfileService {
  private readonly deps: SelfChangeDeps;

  constructor(deps: SelfChangeDeps) {
    this.deps = deps;
  }

  /** The profile and which added addresses still wait for their code. */
  async read(ctx: AuthedContext): Promise<UserAggregate & { pending: Set<string> }> {
    const agg = await loadOwn(this.deps, ctx.user.id);
    const pending = await pendingVerificationIds(this.deps.database.db, ctx.user.id, this.deps.clock.now());
    return { ...agg, pending };
  }

  async update(ctx: AuthedContext, patch: OwnProfilePatch) {
    await changeOwn(this.deps, ctx, async ({ user, emails }) => {
      if (patch.username !== undefined) {
        // A clear answer first; the unique index on username_key still decides a race.
        const owner = await findUserIdByUsername(this.deps.database.db, usernameKey(patch.username));
        if (owner !== undefined && owner !== user.id) {
          throw new AppError('username_taken', 'This username is already taken.', {
            fieldErrors: [{ field: 'username', message: 'is already taken', kind: 'taken' }],
          });
        }
      }
      return planOwnProfileUpdate(user, emails, patch);
    });
    return this.read(ctx);
  }

  async sessions(ctx: AuthedContext): Promise<OwnSession[]> {
    const rows = await listOwnSessions(this.deps.database.db, ctx.user.id);
    return rows.map((r) => ({
      id: r.id,
      current: r.id === ctx.session?.id,
      createdAt: r.created_at,
      lastSeenAt: r.last_seen_at,
      ip: r.ip,
      userAgent: r.user_agent,
    }));
  }

  /** Ends one of the user's other sessions (sign out there). The current one ends by logout. */
  async endSession(ctx: AuthedContext, sessionId: string): Promise<void> {
    // R-IMP-04 (the route declares it too): never in the user's name by an acting administrator.
    assertCapability(ctx, 'sessions.end');
    const { database, clock, sessions } = this.deps;
    if (sessionId === ctx.session?.id) {
      throw new AppError('validation_failed', 'This is the session you are using; sign out instead.', {
        fieldErrors: [{ field: 'id', message: 'is the current session', kind: 'current_session' }],
      });
    }
    await database.transaction(async (trx) => {
      if ((await deleteOwnSession(trx, ctx.user.id, sessionId)) === 0) {
        throw new AppError('session_not_found', 'You have no session with this ID.');
      }
      await recordAudit(trx, clock, ctx, {
        action: 'account.session_ended',
        target: { type: 'session', id: sessionId, label: ctx.user.displayName },
      });
    });
    await sessions.forgetSession(sessionId);
  }

  /** Signs the user out everywhere but here. */
  async endOtherSessions(ctx: AuthedContext): Promise<number> {
    assertCapability(ctx, 'sessions.end');
    const { database, clock, sessions } = this.deps;
    const keep = ctx.session?.id ?? '';
    const ended = await database.transaction(async (trx) => {
      const n = await deleteOtherOwnSessions(trx, ctx.user.id, keep);
      await recordAudit(trx, clock, ctx, {
        action: 'account.other_sessions_ended',
        target: { type: 'user', id: ctx.user.id, label: ctx.user.displayName },
        details: { ended: n },
      });
      return n;
    });
    await sessions.forgetUser(ctx.user.id);
    return ended;
  }
}

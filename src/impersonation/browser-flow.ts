import type { Database } from '../db/database.ts';
import type { Clock } from '../shared/clock.ts';
import { AppError } from '../shared/errors.ts';
import type { RequestContext } from '../shared/request-context.ts';
import { recordAudit } from '../audit/audit.ts';
import type { SessionService } from '../sessions/sessions.service.ts';
import { hashToken, looksLikeToken, newToken } from '../sessions/token.ts';
import type { ImpersonationPorts } from './ports.ts';
import { endImpersonation } from './ending.ts';
import {
  claimHandoff,
  deleteImpersonationSessions,
  deleteSessionRow,
  findImpersonation,
  findSessionById,
  findSessionByTokenHash,
  markHandedOff,
  resumeSession,
  suspendSession,
} from './impersonation.store.ts';

// How a browser moves into an impersonation and back out of it (DESIGN.md §5): the handoff
// swaps the browser to the impersonation session and suspends the actor's own; "back" ends it
// and restores the actor's session under a new token; logout ends both.

/** A handoff URL works once, within this long of being issued (DESIGN.md §5). */
export const handoffTtlMs = 60_000;

export class ImpersonationBrowserFlow {
  private readonly deps: {
    database: Database;
    clock: Clock;
    ports: ImpersonationPorts;
    sessions: SessionService;
  };

  constructor(deps: ImpersonationBrowserFlow['deps']) {
    this.deps = deps;
  }

  /**
   * Opens the impersonation in the browser that started it (R-IMP-01): claims the single-use
   * token, creates the impersonation session and suspends the actor's own. On the actor's own
   * host the token must arrive with the actor's session cookie; on a domain's host name (where
   * that cookie cannot go) the token alone, single-use and valid 60 s, is the proof.
   */
  async handoff(
    ctx: RequestContext,
    token: string,
    requestHost: string | undefined,
  ): Promise<{ token: string }> {
    const invalid = () =>
      new AppError('handoff_invalid', 'This link has been used or has expired. Start again.');
    if (!looksLikeToken(token)) throw invalid();
    const now = this.deps.clock.now();
    return this.deps.database
      .transaction(async (trx) => {
        const handoff = await claimHandoff(trx, hashToken(token), now);
        if (!handoff) throw invalid();
        const imp = await findImpersonation(trx, handoff.impersonation_id);
        if (!imp || imp.ended_at !== null || imp.expires_at <= now) throw invalid();
        const domain =
          imp.domain_id === null ? undefined : await this.deps.ports.findDomain(trx, imp.domain_id);
        const onDomainHost = domain?.hostName != null && domain.hostName === hostOnly(requestHost);
        if (!onDomainHost && ctx.session?.id !== handoff.actor_session_id) {
          throw new AppError('handoff_not_yours', 'This link belongs to another browser session.');
        }
        const created = await this.deps.sessions.createImpersonationSession(
          trx,
          { id: imp.id, subjectId: imp.subject_id, actorId: imp.actor_id, expiresAt: imp.expires_at },
          { ip: ctx.ip, userAgent: ctx.userAgent },
        );
        await suspendSession(trx, handoff.actor_session_id, imp.id);
        await markHandedOff(trx, imp.id, now);
        await recordAudit(
          trx,
          this.deps.clock,
          { ...ctx, impersonationId: imp.id },
          {
            action: 'impersonation.opened',
            target: { type: 'user', id: imp.subject_id, label: imp.subject_label },
            details: { impersonationId: imp.id },
          },
        );
        return { token: created.token };
      })
      .then(async (result) => {
        if (ctx.session) await this.deps.sessions.forgetSession(ctx.session.id);
        return result;
      });
  }

  /**
   * R-IMP-06: ends the impersonation this browser is in and gives the actor's own session back
   * under a new token. Trusts only the server's records: the session the cookie names must be
   * an impersonation session, and the actor session restored is the one stored with it.
   */
  async back(
    ctx: RequestContext,
    cookieToken: string | undefined,
    actorToken: string | undefined,
  ): Promise<{ token: string; returnTo: string }> {
    const notImpersonating = () =>
      new AppError('not_impersonating', 'This session is not acting as another user.');
    if (!looksLikeToken(cookieToken)) throw notImpersonating();
    const db = this.deps.database.db;
    const session = await findSessionByTokenHash(db, hashToken(cookieToken));
    if (!session?.impersonation_id) throw notImpersonating();
    const imp = await findImpersonation(db, session.impersonation_id);
    if (!imp) throw notImpersonating();
    let token = newToken();
    const restored = await this.deps.database.transaction(async (trx) => {
      await endImpersonation(this.deps, trx, ctx, imp.id, 'back');
      await deleteImpersonationSessions(trx, imp.id);
      const actorSession = await findSessionById(trx, imp.actor_session_id);
      // The actor's own session may have ended meanwhile (deleted, logged out elsewhere).
      if (!actorSession || actorSession.absolute_expires_at <= this.deps.clock.now()) return false;
      // The browser kept the actor's own token (set at the handoff): that very session comes
      // back. Without it (a handoff on a domain's host name) the session gets a new token.
      if (looksLikeToken(actorToken) && hashToken(actorToken) === actorSession.token_hash) token = actorToken;
      await resumeSession(trx, actorSession.id, hashToken(token), this.deps.clock.now());
      return true;
    });
    await this.deps.sessions.forgetSession(session.id);
    await this.deps.sessions.forgetSession(imp.actor_session_id);
    if (!restored)
      throw new AppError('not_authenticated', 'Your own session has ended meanwhile; sign in again.');
    return { token, returnTo: imp.origin === 'power-users' ? '/admin/power-users' : '/admin/users' };
  }

  /** Logging out inside an impersonation ends it and the actor's own session (R-IMP-10). */
  async logout(ctx: RequestContext): Promise<boolean> {
    if (!ctx.impersonationId || !ctx.session) return false;
    const imp = await findImpersonation(this.deps.database.db, ctx.impersonationId);
    if (!imp) return false;
    await this.deps.database.transaction(async (trx) => {
      await endImpersonation(this.deps, trx, ctx, imp.id, 'logout');
      await deleteImpersonationSessions(trx, imp.id);
      await deleteSessionRow(trx, imp.actor_session_id);
    });
    await this.deps.sessions.forgetSession(imp.actor_session_id);
    return true;
  }
}

function hostOnly(host: string | undefined): string | null {
  if (!host) return null;
  return host.replace(/:\d+$/, '').toLowerCase();
}

import { timingSafeEqual } from 'node:crypto';
import type { Selectable } from 'kysely';
import type { Database, Db } from '../db/database.ts';
import type { SessionsTable } from '../db/schema.ts';
import type { Clock } from '../shared/clock.ts';
import { AppError } from '../shared/errors.ts';
import { systemContext, type RequestContext } from '../shared/request-context.ts';
import { recordAudit } from '../audit/audit.ts';
import type { SessionService } from '../sessions/sessions.service.ts';
import { hashToken, looksLikeToken } from '../sessions/token.ts';
import type { ImpersonationPorts } from './ports.ts';
import { endImpersonation, endInOwnTransaction } from './ending.ts';
import {
  claimHandoff,
  deleteImpersonationSessions,
  deleteSessionRow,
  findImpersonation,
  findSessionByTokenHash,
  markHandedOff,
  resumeSession,
  suspendSession,
} from './impersonation.store.ts';

// How a browser moves into an impersonation and back out of it (DESIGN.md §5): the handoff
// swaps the browser to the impersonation session and suspends the actor's own; "back" ends it
// and restores the actor's session to the actor's browser only (docs/impersonation.md, "Back
// to your account"); logout ends both.

type SessionRow = Selectable<SessionsTable>;

/** An impersonation that ended while the actor was away, told once to their resumed browser. */
export interface EndedImpersonation {
  impersonationId: string;
  subject: string;
  endReason: string;
  endedAt: string;
  /** Where it was started, where the administrator continues (R-IMP-06). */
  origin: 'users' | 'power-users';
}

/** A handoff URL works once, within this long of being issued (DESIGN.md §5). */
export const handoffTtlMs = 60_000;

export class ImpersonationBrowserFlow {
  private readonly deps: {
    database: Database;
    clock: Clock;
    ports: ImpersonationPorts;
    sessions: SessionService;
    /** PUBLIC_URL: where a browser signed out here goes back to, and the handoff hosts' port. */
    publicUrl: string;
  };

  constructor(deps: ImpersonationBrowserFlow['deps']) {
    this.deps = deps;
  }

  /**
   * Opens the impersonation in the browser that started it (R-IMP-01): claims the single-use
   * token, creates the impersonation session and suspends the actor's own. On the platform's
   * host the token must arrive with the actor's session cookie. A handoff for a domain's host
   * name (where that cookie cannot go) works only on the host it was issued for (derived from
   * configuration at the start, issue 7 #2); there the token alone, single-use and valid 60 s,
   * is the proof. A refusal rolls the claim back: the link stays usable where it belongs.
   * `actorTokenKept` says whether the browser's own session cookie is the actor's session, so
   * the route may keep that token for "back".
   */
  async handoff(
    ctx: RequestContext,
    token: string,
    requestHost: string | undefined,
  ): Promise<{ token: string; actorTokenKept: boolean }> {
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
        const ownSession = ctx.session?.id === handoff.actor_session_id;
        if (handoff.host !== null) {
          if (normalizeHost(requestHost, this.deps.publicUrl) !== handoff.host) {
            throw new AppError(
              'handoff_wrong_host',
              'This link must be opened on the address it was made for.',
            );
          }
        } else if (!ownSession) {
          throw new AppError('handoff_not_yours', 'This link belongs to another browser session.');
        }
        const created = await this.deps.sessions.createImpersonationSession(
          trx,
          { id: imp.id, subjectId: imp.subject_id, actorId: imp.actor_id, expiresAt: imp.expires_at },
          { ip: ctx.ip, userAgent: ctx.userAgent },
        );
        await suspendSession(trx, handoff.actor_session_id, imp.id);
        await markHandedOff(trx, imp.id, now);
        // Issue 10 #3, R-IMP-09: the start notification goes out when someone begins acting as
        // the subject, in the same transaction; a link never opened announces nothing.
        await this.deps.ports.notify(trx, {
          userId: imp.subject_id,
          type: 'impersonation.started',
          impersonationId: imp.id,
          variables: {
            subject: imp.subject_label,
            actor: imp.actor_label,
            reason: imp.reason,
            plannedDuration: String(imp.planned_minutes),
            startedAt: new Date(now).toISOString(),
            endedAt: '',
            endReason: '',
          },
        });
        await recordAudit(
          trx,
          this.deps.clock,
          { ...ctx, impersonationId: imp.id },
          {
            action: 'impersonation.opened',
            target: { type: 'user', id: imp.subject_id, label: imp.subject_label },
            impersonationReason: imp.reason,
            details: { impersonationId: imp.id },
          },
        );
        return { token: created.token, actorTokenKept: ownSession, actorSessionId: handoff.actor_session_id };
      })
      .then(async ({ actorSessionId, ...result }) => {
        // The suspended session is dropped from every cache, also when the handoff ran on a
        // domain's host, where this request carries no session of the actor's.
        await this.deps.sessions.forgetSession(actorSessionId);
        if (ctx.session && ctx.session.id !== actorSessionId)
          await this.deps.sessions.forgetSession(ctx.session.id);
        return result;
      });
  }

  /**
   * R-IMP-06, issue 7 #1 and #4: "back to your account". Ends the impersonation this browser is
   * in (or whose actor session its proof names) and gives the actor's own session back, but
   * only against proof from the actor's own browser: the actor's own session token, kept in the
   * path-limited SameSite=Strict actor cookie (same host) or still in the session cookie (the
   * platform's host, when the impersonation ran on a domain's host name). The impersonation
   * session's token alone ends the impersonation and signs that browser out, nothing more
   * (`token: null`): its holder never gets the actor's session, and the actor's session stays
   * suspended until the actor's browser presents its token. Works at any time after an end or
   * expiry, also once the sweeper removed the impersonation session: the suspended session and
   * the proof are what count.
   */
  async back(
    ctx: RequestContext,
    sessionToken: string | undefined,
    actorToken: string | undefined,
  ): Promise<{ token: string | null; returnTo: string }> {
    const db = this.deps.database.db;
    const proof = await this.suspendedSessionOf(db, [actorToken, sessionToken]);
    const current = looksLikeToken(sessionToken)
      ? await findSessionByTokenHash(db, hashToken(sessionToken))
      : undefined;
    const ids = new Set<string>();
    if (proof) ids.add(proof.session.suspended_by);
    if (current?.impersonation_id) ids.add(current.impersonation_id);
    if (ids.size === 0) {
      throw new AppError('not_impersonating', 'This session is not acting as another user.');
    }
    const imp = await findImpersonation(db, proof?.session.suspended_by ?? [...ids][0]!);
    const path = imp?.origin === 'power-users' ? '/admin/power-users' : '/admin/users';
    const now = this.deps.clock.now();
    // The idle timeout counts from the impersonation's end (see resumeAfterEnd).
    const endedAt = imp ? Math.min(imp.ended_at ?? now, imp.expires_at, now) : now;
    await this.deps.database.transaction(async (trx) => {
      for (const id of ids) {
        await endImpersonation(this.deps, trx, ctx, id, 'back');
        await deleteImpersonationSessions(trx, id);
      }
      if (proof) await resumeSession(trx, proof.session.id, proof.session.suspended_by, endedAt);
    });
    if (current) await this.deps.sessions.forgetSession(current.id);
    // Without proof: signed out here; the actor's browser resumes on the platform's own host.
    if (!proof) return { token: null, returnTo: `${this.deps.publicUrl}${path}` };
    await this.deps.sessions.forgetSession(proof.session.id);
    // The usual checks (absolute and idle timeout, an active user) decide whether it lives on.
    if (!(await this.deps.sessions.resolve(proof.token))) {
      throw new AppError('not_authenticated', 'Your own session has ended meanwhile; sign in again.');
    }
    return { token: proof.token, returnTo: path };
  }

  /**
   * Issue 7 #4: a visit of the actor's browser after the impersonation ended (expired, ended
   * by an administrator, superseded, or "back" from a tab without proof) gets the actor's own
   * session back, against the same proof as "back", at any time within that session's own
   * lifetime. The idle timeout counts from the impersonation's end (suspension is not
   * idleness; the time after the end is).
   */
  async resumeAfterEnd(
    sessionToken: string | undefined,
    actorToken: string | undefined,
  ): Promise<{ token: string; ended: EndedImpersonation } | null> {
    const db = this.deps.database.db;
    const proof = await this.suspendedSessionOf(db, [actorToken, sessionToken]);
    if (!proof) return null;
    const impId = proof.session.suspended_by;
    const now = this.deps.clock.now();
    let imp = await findImpersonation(db, impId);
    if (imp && imp.ended_at === null) {
      if (imp.expires_at > now) return null; // still running: the actor acts in another tab or host
      await endInOwnTransaction(this.deps, systemContext(`expiry:${impId}`), impId, 'expired');
      imp = await findImpersonation(db, impId);
    }
    const endedAt = imp ? Math.min(imp.ended_at ?? now, imp.expires_at) : now;
    await this.deps.database.transaction(async (trx) => {
      await deleteImpersonationSessions(trx, impId);
      await resumeSession(trx, proof.session.id, impId, endedAt);
    });
    await this.deps.sessions.forgetSession(proof.session.id);
    if (!(await this.deps.sessions.resolve(proof.token))) return null;
    // Issue 10 #5: what ended, so that the administrator's page can say so and point back.
    const ended: EndedImpersonation = {
      impersonationId: impId,
      subject: imp?.subject_label ?? '',
      endReason: imp?.end_reason ?? 'expired',
      endedAt: new Date(endedAt).toISOString(),
      origin: imp?.origin === 'power-users' ? 'power-users' : 'users',
    };
    return { token: proof.token, ended };
  }

  /** The actor's own session, suspended by an impersonation, that one of these tokens names. */
  private async suspendedSessionOf(
    db: Db,
    tokens: Array<string | undefined>,
  ): Promise<{ session: SessionRow & { suspended_by: string }; token: string } | null> {
    for (const token of tokens) {
      if (!looksLikeToken(token)) continue;
      const hash = hashToken(token);
      const session = await findSessionByTokenHash(db, hash);
      if (!session || session.suspended_by === null || session.impersonation_id !== null) continue;
      // Found by its hash already; compared again in constant time, as every secret is.
      if (!sameSecret(hash, session.token_hash)) continue;
      return { session: { ...session, suspended_by: session.suspended_by }, token };
    }
    return null;
  }

  /** Logging out inside an impersonation ends it and the actor's own session (R-IMP-10). */
  async logout(ctx: RequestContext): Promise<boolean> {
    if (!ctx.impersonationId || !ctx.session) return false;
    const imp = await findImpersonation(this.deps.database.db, ctx.impersonationId);
    if (!imp) return false;
    await this.deps.database.transaction(async (trx) => {
      await endImpersonation(this.deps, trx, ctx, imp.id, 'logout');
      // The actor's own session ends too: the apps signed in through it are told as well.
      await this.deps.ports.logoutApps(trx, { sessionId: imp.actor_session_id }, 'logout');
      await deleteImpersonationSessions(trx, imp.id);
      await deleteSessionRow(trx, imp.actor_session_id);
    });
    await this.deps.sessions.forgetSession(imp.actor_session_id);
    return true;
  }
}

/**
 * Where a handoff for a domain's host name must be opened: the host name with PUBLIC_URL's
 * port (issue 7 #2), from configuration only. Port 0 (chosen at start, tests) is no public port.
 */
export function handoffHostFor(publicUrl: string, hostName: string): string {
  const { port } = new URL(publicUrl);
  return `${hostName.toLowerCase()}${port && port !== '0' ? `:${port}` : ''}`;
}

/** The request's host (Fastify's, which reads X-Forwarded-Host only with TRUST_PROXY) as stored. */
export function normalizeHost(host: string | undefined, publicUrl: string): string | null {
  if (!host) return null;
  const defaultPort = new URL(publicUrl).protocol === 'https:' ? ':443' : ':80';
  const h = host.trim().toLowerCase();
  return h.endsWith(defaultPort) ? h.slice(0, -defaultPort.length) : h;
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

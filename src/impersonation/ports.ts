import type { Db, Tx } from '../db/database.ts';
import type { RequestContext } from '../shared/request-context.ts';

// What impersonation needs from other modules, as narrow functions wired in src/services.ts.
// Keeps impersonation/ independent of how notifications, terms and organisation are built.

export type ImpersonationNotice = 'impersonation.started' | 'impersonation.ended';

export interface ImpersonationPorts {
  /** R-IMP-09: in-platform notification and e-mail, inside the caller's transaction. */
  notify(
    trx: Tx,
    input: {
      userId: string;
      type: ImpersonationNotice;
      variables: Record<string, string>;
      impersonationId: string;
    },
  ): Promise<void>;
  /**
   * Issue 9: queues back-channel logout for the apps that got tokens in this impersonation
   * (or this Behalf session), inside the caller's transaction.
   */
  logoutApps(trx: Tx, by: { impersonationId: string } | { sessionId: string }, cause: string): Promise<void>;
  /** R-IMP-12: does the subject have current policy versions not accepted? */
  termsPending(db: Db, userId: string): Promise<boolean>;
  acceptTermsOnBehalf(
    trx: Tx,
    ctx: RequestContext,
    subjectId: string,
    by: { actorId: string; impersonationId: string },
  ): Promise<void>;
  /** R-IMP-02: a power user's reach. */
  reachOf(
    db: Db,
    powerUserId: string,
    subjectId: string,
  ): Promise<{ assigned: boolean; assignedDomainIds: string[]; subjectDomainId: string | null }>;
  findDomain(db: Db, id: string): Promise<{ id: string; name: string; hostName: string | null } | undefined>;
}

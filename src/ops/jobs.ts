import type { Services } from '../services.ts';
import { PeriodicJob, type JobLogger } from '../shared/periodic.ts';
import { deleteExpiredChallenges } from '../auth/login-challenges.store.ts';
import { deleteExpiredPayloads } from '../oidc/oidc.store.ts';

/**
 * The server's background jobs besides mail delivery: ending expired impersonations promptly
 * (so the end notification goes out even when nobody clicks "back", R-IMP-10), sweeping
 * expired sessions and login challenges, and signing checkpoints of the audit trail.
 */
export function backgroundJobs(
  services: Services,
  logger: JobLogger & { info(obj: object, msg: string): void },
): PeriodicJob[] {
  return [
    new PeriodicJob(
      'audit-checkpoint',
      services.config.auditCheckpointMinutes * 60_000,
      () => writeAuditCheckpoint(services, logger),
      logger,
    ),
    // Back-channel logout tokens, soon after the end that queued them (src/oidc/logout-worker.ts).
    new PeriodicJob('oidc-logout', 1_000, () => services.oidcLogout.runOnce(), logger),
    new PeriodicJob('impersonation-expiry', 5_000, () => services.impersonation.expireDue(), logger),
    new PeriodicJob(
      'sweeper',
      10 * 60_000,
      async () => {
        await services.sessions.sweep();
        await deleteExpiredChallenges(services.database.db, services.clock.now());
        // The OpenID Provider's expired codes, tokens and sessions (they expire by real time,
        // as oidc-provider measures it; src/oidc/adapter.ts).
        await deleteExpiredPayloads(services.database.db, Date.now());
      },
      logger,
    ),
  ];
}

/**
 * Signs a checkpoint when the trail grew, and logs it: the log is the copy of the checkpoints
 * outside the database, which an auditor can hold against a later export (issue 7 #9).
 */
export async function writeAuditCheckpoint(
  services: Services,
  logger: { info(obj: object, msg: string): void },
): Promise<void> {
  const result = await services.auditIntegrity.checkpoint();
  if (result?.created) logger.info({ auditCheckpoint: result.checkpoint }, 'audit checkpoint');
}

import type { Services } from '../services.ts';
import { PeriodicJob, type JobLogger } from '../shared/periodic.ts';
import { deleteExpiredChallenges } from '../auth/login-challenges.store.ts';

/**
 * The server's background jobs besides mail delivery: ending expired impersonations promptly
 * (so the end notification goes out even when nobody clicks "back", R-IMP-10), and sweeping
 * expired sessions and login challenges.
 */
export function backgroundJobs(services: Services, logger: JobLogger): PeriodicJob[] {
  return [
    new PeriodicJob('impersonation-expiry', 5_000, () => services.impersonation.expireDue(), logger),
    new PeriodicJob(
      'sweeper',
      10 * 60_000,
      async () => {
        await services.sessions.sweep();
        await deleteExpiredChallenges(services.database.db, services.clock.now());
      },
      logger,
    ),
  ];
}

import type { Database } from '../db/database.ts';
import type { AuthedContext } from '../shared/request-context.ts';
import type { SessionService } from '../sessions/sessions.service.ts';
import type { Clock } from '../shared/clock.ts';
import { AppError } from '../shared/errors.ts';
import { emit, type DomainHooks } from '../shared/hooks.ts';
import { recordAudit } from '../audit/audit.ts';
import { displayName } from '../users/user.ts';
import { findUser, listEmails, updateUserRow } from '../users/users.store.ts';
import type { PlannedChange, UserAggregate } from '../users/users.service.ts';
import { mapUniqueViolation } from '../users/constraints.ts';

// The one path for a user's change to their own profile (R-ADM-16): plan on the current
// state, write with a compare-and-set on the version (so an administrator's concurrent edit is
// never overwritten blindly: the plan is re-checked on the fresh state), run the plan's own
// statements, the domain hooks and the audit event in one transaction, then make every
// instance re-read the user's sessions (name, username and language live in them).

export interface SelfChangeDeps {
  database: Database;
  clock: Clock;
  hooks: DomainHooks;
  sessions: SessionService;
}

const lostRace = new Error('lost the compare-and-set race');
const maxAttempts = 5;

export async function loadOwn(deps: SelfChangeDeps, userId: string): Promise<UserAggregate> {
  const user = await findUser(deps.database.db, userId);
  if (!user) throw new AppError('not_authenticated', 'Sign in first.');
  return { user, emails: await listEmails(deps.database.db, userId) };
}

export async function changeOwn(
  deps: SelfChangeDeps,
  ctx: AuthedContext,
  plan: (agg: UserAggregate) => PlannedChange | Promise<PlannedChange>,
): Promise<UserAggregate> {
  const { database, clock, hooks, sessions } = deps;
  const id = ctx.user.id;
  for (let attempt = 1; ; attempt++) {
    const before = await loadOwn(deps, id);
    const planned = await plan(before);
    if (Object.keys(planned.changes).length === 0 && !planned.always) return before;
    try {
      await database.transaction(async (trx) => {
        const values = { ...planned.values, updated_at: clock.now() };
        if (!(await updateUserRow(trx, id, before.user.version, values))) throw lostRace;
        await planned.alsoInTransaction?.(trx);
        await emit(hooks.userChanged, trx, ctx, { userId: id, fields: Object.keys(planned.changes) });
        await recordAudit(trx, clock, ctx, {
          action: planned.auditAction,
          target: { type: 'user', id, label: displayName(before.user) },
          changes: planned.changes,
          details: planned.details,
        });
      });
    } catch (error) {
      if (error === lostRace && attempt < maxAttempts) continue;
      if (error === lostRace) {
        throw new AppError('conflict', 'Your profile was changed at the same time; reload and try again.');
      }
      throw mapUniqueViolation(error);
    }
    await sessions.forgetUser(id);
    return loadOwn(deps, id);
  }
}

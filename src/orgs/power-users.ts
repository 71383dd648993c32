import { diff } from '../audit/audit.ts';
import type { Role } from '../permissions/catalogue.ts';
import { isPowerUser } from '../permissions/can.ts';
import type { User } from '../users/user.ts';
import type { PlannedChange } from '../users/users.service.ts';
import { clearResources, replaceResources, type ResourceIds } from './resources.store.ts';

// Pure plans for the two changes that make and shape a power user (R-IMP-02). UsersService
// runs them (authorization, If-Match, compare-and-set on the user's version, audit, hooks), so
// a role change and a resource change of the same user cannot interleave: one of them re-plans.

/**
 * A new role. A power user who stops being one keeps nothing assigned: their resources are
 * removed in the same transaction (`was` lists them for the audit event), so a later promotion
 * starts from an empty set instead of reviving an old reach.
 */
export function planRoleChange(u: User, role: Role, was: ResourceIds): PlannedChange {
  const planned: PlannedChange = {
    values: { role },
    changes: diff({ role: u.role }, { role }),
    auditAction: 'user.role_changed',
  };
  if (isPowerUser(u) && !isPowerUser({ role })) {
    planned.details = { unassigned: was };
    planned.alsoInTransaction = (trx) => clearResources(trx, u.id);
  }
  return planned;
}

/** Pure: the set as stored, each list without duplicates and sorted. */
export function normalizeResources(input: ResourceIds): ResourceIds {
  const clean = (ids: readonly string[]) => [...new Set(ids)].sort();
  return { users: clean(input.users), groups: clean(input.groups), domains: clean(input.domains) };
}

/** Replaces the whole set; the user row's version moves with it (always written when it differs). */
export function planResources(u: User, before: ResourceIds, next: ResourceIds): PlannedChange {
  return {
    values: {},
    changes: diff({ ...before }, { ...next }),
    auditAction: 'user.power_user_resources_changed',
    alsoInTransaction: (trx) => replaceResources(trx, u.id, next),
  };
}

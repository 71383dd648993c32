import type { Database } from '../db/database.ts';
import type { AuthedContext } from '../shared/request-context.ts';
import { authorize } from '../permissions/authorize.ts';
import type { Role } from '../permissions/catalogue.ts';
import { isPowerUser } from '../permissions/can.ts';
import { AppError } from '../shared/errors.ts';
import type { UserAggregate, UsersService } from '../users/users.service.ts';
import { normalizeResources, planResources, planRoleChange } from './power-users.ts';
import {
  existingIds,
  listResources,
  resourceIdsOf,
  type ResourceIds,
  type ResourceList,
} from './resources.store.ts';
import { refuseUnknownIds, unknownIdErrors } from './unknown-ids.ts';

// Roles and power users' resources (R-IMP-02). Only superadmins set them (can.ts:
// 'users.role', 'users.resources'), never on their own account (R-ADM-08). Both go through
// UsersService.change, so they are version-checked against the user and audited like every
// other change to a user, and the `userChanged` hook (e.g. ending a demoted actor's
// impersonations) runs in the same transaction.

export class PowerUsersService {
  private readonly database: Database;
  private readonly users: UsersService;

  constructor(deps: { database: Database; users: UsersService }) {
    this.database = deps.database;
    this.users = deps.users;
  }

  setRole(ctx: AuthedContext, id: string, ifMatch: number | null, role: Role): Promise<UserAggregate> {
    return this.users.change(ctx, id, ifMatch, 'users.role', async ({ user }) =>
      planRoleChange(user, role, await resourceIdsOf(this.database.db, id)),
    );
  }

  /**
   * Replaces what the power user may act on. Unknown IDs are refused, one field error each.
   * A resource deleted while this runs leaves an inert row behind (its group has no members,
   * its domain no users, its user is gone), which reads and reach never show.
   */
  async setResources(ctx: AuthedContext, id: string, ifMatch: number | null, input: ResourceIds) {
    const agg = await this.users.change(ctx, id, ifMatch, 'users.resources', async ({ user }) => {
      if (!isPowerUser(user)) {
        throw new AppError(
          'not_a_power_user',
          'Only a power user has resources; make this user a power user first.',
        );
      }
      const next = normalizeResources(input);
      const db = this.database.db;
      refuseUnknownIds([
        ...unknownIdErrors('users', input.users, await existingIds(db, 'users', next.users), 'user'),
        ...unknownIdErrors('groups', input.groups, await existingIds(db, 'groups', next.groups), 'group'),
        ...unknownIdErrors(
          'domains',
          input.domains,
          await existingIds(db, 'domains', next.domains),
          'domain',
        ),
      ]);
      return planResources(user, await resourceIdsOf(db, id), next);
    });
    return { agg, resources: await listResources(this.database.db, id) };
  }

  /** What is assigned to a user (empty for anyone who is not a power user). */
  async resources(ctx: AuthedContext, id: string): Promise<{ agg: UserAggregate; resources: ResourceList }> {
    authorize(ctx, 'users.read');
    const agg = await this.users.load(id);
    authorize(ctx, 'users.read', agg.user);
    return { agg, resources: await listResources(this.database.db, id) };
  }
}

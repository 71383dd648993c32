import type { RawBuilder, SqlBool } from 'kysely';
import type { Database, Db, Tx } from '../db/database.ts';
import type { AuthedContext } from '../shared/request-context.ts';
import { readsByReach } from '../permissions/can.ts';
import type { Clock } from '../shared/clock.ts';
import type { DomainHooks } from '../shared/hooks.ts';
import { actorOf } from '../shared/request-context.ts';
import type { UsersService } from '../users/users.service.ts';
import { DomainsService } from './domains.service.ts';
import { domainsInUse, findDomain, isDomainHostName } from './domains.store.ts';
import { GroupsService } from './groups.service.ts';
import { PowerUsersService } from './power-users.service.ts';
import { inReachOf, reachOf, type Reach } from './reach.store.ts';
import { unassignEverywhere } from './resources.store.ts';

// Power users, groups and domains (R-IMP-02), as `services.orgs`. The reach functions take `db`
// first so that a caller (the impersonation module) can run them inside its own transaction.

export class OrgsService {
  readonly groups: GroupsService;
  readonly domains: DomainsService;
  readonly powerUsers: PowerUsersService;
  private readonly database: Database;

  constructor(deps: { database: Database; clock: Clock; hooks: DomainHooks; users: UsersService }) {
    this.database = deps.database;
    this.groups = new GroupsService(deps);
    this.domains = new DomainsService(deps);
    this.powerUsers = new PowerUsersService(deps);
  }

  /** A deleted user leaves every power user's resources with the deletion itself (subscribed in src/services.ts). */
  async userDeleted(trx: Tx, userId: string): Promise<void> {
    await unassignEverywhere(trx, 'user', userId);
  }

  /**
   * Whether `subjectId` is in the power user's reach (assigned directly, through a group or
   * through a domain), the power user's assigned domains, and the subject's domain: what
   * impersonation/rule.ts decides on. One query.
   */
  reachOf(db: Db, powerUserId: string, subjectId: string): Promise<Reach> {
    return reachOf(db, powerUserId, subjectId);
  }

  /** At least one domain exists: power users then act only within their domains (R-IMP-02). */
  domainsInUse(db: Db): Promise<boolean> {
    return domainsInUse(db);
  }

  /** Whether some domain is reached at this host name (the CSRF guard's trusted origins). */
  isDomainHost(hostName: string): Promise<boolean> {
    return isDomainHostName(this.database.db, hostName);
  }

  async findDomain(
    db: Db,
    id: string,
  ): Promise<{ id: string; name: string; hostName: string | null } | undefined> {
    const domain = await findDomain(db, id);
    return domain && { id: domain.id, name: domain.name, hostName: domain.hostName };
  }

  /**
   * A where-condition on a users row (`table`: its name or alias in the query) that keeps the
   * users in the power user's reach; for lists that show power users only their users.
   */
  reachableUsers(powerUserId: string, table = 'users'): RawBuilder<SqlBool> {
    return inReachOf(powerUserId, table);
  }

  /**
   * Whether the caller reads users through their reach only: a power user without the
   * `users.read` permission. Administrators (and power users who also hold it) read everyone.
   */
  readsByReach(ctx: AuthedContext): boolean {
    return readsByReach(actorOf(ctx));
  }

  /** For `authorize(..., { inReach })`: true when the caller reads by reach and the user is in it. */
  async inReachOfCaller(ctx: AuthedContext, userId: string): Promise<boolean> {
    if (!this.readsByReach(ctx)) return false;
    return (await reachOf(this.database.db, ctx.user.id, userId)).assigned;
  }
}

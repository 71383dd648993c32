import type { Database } from '../db/database.ts';
import type { AuthedContext } from '../shared/request-context.ts';
import { authorize } from '../permissions/authorize.ts';
import { diff, recordAudit } from '../audit/audit.ts';
import type { Clock } from '../shared/clock.ts';
import { AppError } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import { mapOrgConstraint } from './constraints.ts';
import {
  deleteGroupRow,
  findGroup,
  insertGroup,
  listGroups,
  listMembers,
  memberIdsOf,
  replaceMembers,
  updateGroupRow,
  type Group,
  type GroupMember,
} from './groups.store.ts';
import { existingIds, unassignEverywhere } from './resources.store.ts';
import { refuseUnknownIds, unknownIdErrors } from './unknown-ids.ts';
import { versionedWrite } from './versioned.ts';

// Groups of users: assigned to power users, they put all their members in reach (R-IMP-02).
// Every change is authorized, version-checked and audited in its own transaction; setting the
// members is a change of the group (its version moves), so two editors cannot overwrite each
// other's member lists unseen.

const stale = () =>
  new AppError('precondition_failed', 'This group was changed by someone else; reload and try again.');

export class GroupsService {
  private readonly database: Database;
  private readonly clock: Clock;

  constructor(deps: { database: Database; clock: Clock }) {
    this.database = deps.database;
    this.clock = deps.clock;
  }

  list(ctx: AuthedContext): Promise<Group[]> {
    authorize(ctx, 'groups.read');
    return listGroups(this.database.db);
  }

  get(ctx: AuthedContext, id: string): Promise<Group> {
    authorize(ctx, 'groups.read');
    return this.load(id);
  }

  async members(ctx: AuthedContext, id: string): Promise<{ group: Group; members: GroupMember[] }> {
    authorize(ctx, 'groups.read');
    const group = await this.load(id);
    return { group, members: await listMembers(this.database.db, id) };
  }

  async create(ctx: AuthedContext, input: { name: string }): Promise<Group> {
    authorize(ctx, 'groups.manage');
    const now = this.clock.now();
    const id = newId(now);
    try {
      await this.database.transaction(async (trx) => {
        await insertGroup(trx, {
          id,
          name: input.name,
          name_lower: input.name.toLowerCase(),
          created_at: now,
          version: 1,
        });
        await recordAudit(trx, this.clock, ctx, {
          action: 'group.created',
          target: { type: 'group', id, label: input.name },
          changes: { name: { before: null, after: input.name } },
        });
      });
    } catch (error) {
      throw mapOrgConstraint(error, 'group');
    }
    return this.load(id);
  }

  async rename(ctx: AuthedContext, id: string, ifMatch: number | null, input: { name?: string | undefined }) {
    authorize(ctx, 'groups.manage');
    await versionedWrite(this.database, {
      ifMatch,
      load: () => this.load(id),
      stale,
      mapError: (error) => mapOrgConstraint(error, 'group'),
      write: async (trx, current) => {
        const name = input.name ?? current.name;
        const changes = diff({ name: current.name }, { name });
        if (Object.keys(changes).length === 0) return true;
        if (!(await updateGroupRow(trx, id, current.version, { name }))) return false;
        await recordAudit(trx, this.clock, ctx, {
          action: 'group.updated',
          target: { type: 'group', id, label: name },
          changes,
        });
        return true;
      },
    });
    return this.load(id);
  }

  /**
   * Replaces the member list; unknown user IDs are refused, naming each offending entry. Picking
   * members is choosing among users, and the answer names them: it needs `users.read` as well.
   */
  async setMembers(ctx: AuthedContext, id: string, ifMatch: number | null, userIds: readonly string[]) {
    authorize(ctx, 'groups.manage');
    authorize(ctx, 'groups.read');
    const next = [...new Set(userIds)].sort();
    await versionedWrite(this.database, {
      ifMatch,
      load: () => this.load(id),
      stale,
      mapError: (error) => mapOrgConstraint(error, 'group'),
      write: async (trx, current) => {
        refuseUnknownIds(unknownIdErrors('users', userIds, await existingIds(trx, 'users', next), 'user'));
        const before = await memberIdsOf(trx, id);
        if (JSON.stringify(before) === JSON.stringify(next)) return true;
        // Moves the version first: a concurrent writer of the same group loses here, not later.
        if (!(await updateGroupRow(trx, id, current.version, { name: current.name }))) return false;
        await replaceMembers(trx, id, next);
        await recordAudit(trx, this.clock, ctx, {
          action: 'group.members_changed',
          target: { type: 'group', id, label: current.name },
          changes: { members: { before, after: next } },
          details: {
            added: next.filter((u) => !before.includes(u)),
            removed: before.filter((u) => !next.includes(u)),
          },
        });
        return true;
      },
    });
    return this.members(ctx, id);
  }

  /** Members go with the group; power users who had it assigned lose it in the same transaction. */
  async remove(ctx: AuthedContext, id: string, ifMatch: number | null): Promise<void> {
    authorize(ctx, 'groups.manage');
    await versionedWrite(this.database, {
      ifMatch,
      load: () => this.load(id),
      stale,
      write: async (trx, current) => {
        const members = await memberIdsOf(trx, id);
        await unassignEverywhere(trx, 'group', id);
        if (!(await deleteGroupRow(trx, id, current.version))) return false;
        await recordAudit(trx, this.clock, ctx, {
          action: 'group.deleted',
          target: { type: 'group', id, label: current.name },
          changes: { name: { before: current.name, after: null }, members: { before: members, after: null } },
        });
        return true;
      },
    });
  }

  private async load(id: string): Promise<Group> {
    const group = await findGroup(this.database.db, id);
    if (!group) throw new AppError('group_not_found', 'There is no group with this ID.');
    return group;
  }
}

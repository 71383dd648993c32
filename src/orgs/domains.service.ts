import { foreignKeyViolation, type Database } from '../db/database.ts';
import type { AuthedContext } from '../shared/request-context.ts';
import { authorize } from '../permissions/authorize.ts';
import { diff, recordAudit } from '../audit/audit.ts';
import type { Clock } from '../shared/clock.ts';
import { AppError } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import { checkHostName } from './host-names.ts';
import { mapOrgConstraint } from './constraints.ts';
import {
  deleteDomainRow,
  domainHasUsers,
  findDomain,
  insertDomain,
  listDomains,
  updateDomainRow,
  type Domain,
} from './domains.store.ts';
import { unassignEverywhere } from './resources.store.ts';
import type { DomainInput } from './orgs.schemas.ts';
import { versionedWrite } from './versioned.ts';

// Domains: sub-tenants with a name and an optional host name (R-IMP-02). Every change is
// authorized, version-checked and audited in its own transaction.

const stale = () =>
  new AppError('precondition_failed', 'This domain was changed by someone else; reload and try again.');

const inUse = () =>
  new AppError(
    'domain_in_use',
    'Users still belong to this domain; move them to another domain (or none) first.',
  );

/** Pure: the host name as stored, or a 422 naming the field. Absent stays absent. */
function hostNameOf(input: string | null | undefined): string | null | undefined {
  if (input === undefined || input === null) return input;
  const check = checkHostName(input);
  if (!check.ok) {
    throw new AppError('validation_failed', `hostName: ${check.message}`, {
      fieldErrors: [{ field: 'hostName', message: check.message, kind: 'invalid_host_name' }],
    });
  }
  return check.hostName;
}

export class DomainsService {
  private readonly database: Database;
  private readonly clock: Clock;

  constructor(deps: { database: Database; clock: Clock }) {
    this.database = deps.database;
    this.clock = deps.clock;
  }

  list(ctx: AuthedContext): Promise<Domain[]> {
    authorize(ctx, 'domains.read');
    return listDomains(this.database.db);
  }

  get(ctx: AuthedContext, id: string): Promise<Domain> {
    authorize(ctx, 'domains.read');
    return this.load(id);
  }

  async create(ctx: AuthedContext, input: { name: string; hostName?: string | null | undefined }) {
    authorize(ctx, 'domains.manage');
    const hostName = hostNameOf(input.hostName) ?? null;
    const now = this.clock.now();
    const id = newId(now);
    try {
      await this.database.transaction(async (trx) => {
        await insertDomain(trx, {
          id,
          name: input.name,
          name_lower: input.name.toLowerCase(),
          host_name: hostName,
          created_at: now,
          version: 1,
        });
        await recordAudit(trx, this.clock, ctx, {
          action: 'domain.created',
          target: { type: 'domain', id, label: input.name },
          changes: { name: { before: null, after: input.name }, hostName: { before: null, after: hostName } },
        });
      });
    } catch (error) {
      throw mapOrgConstraint(error, 'domain');
    }
    return this.load(id);
  }

  async update(ctx: AuthedContext, id: string, ifMatch: number | null, input: DomainInput): Promise<Domain> {
    authorize(ctx, 'domains.manage');
    const hostName = hostNameOf(input.hostName);
    await versionedWrite(this.database, {
      ifMatch,
      load: () => this.load(id),
      stale,
      mapError: (error) => mapOrgConstraint(error, 'domain'),
      write: async (trx, current) => {
        const next = {
          name: input.name ?? current.name,
          hostName: hostName === undefined ? current.hostName : hostName,
        };
        const changes = diff({ name: current.name, hostName: current.hostName }, next);
        if (Object.keys(changes).length === 0) return true;
        if (!(await updateDomainRow(trx, id, current.version, next))) return false;
        await recordAudit(trx, this.clock, ctx, {
          action: 'domain.updated',
          target: { type: 'domain', id, label: next.name },
          changes,
        });
        return true;
      },
    });
    return this.load(id);
  }

  /** Only an empty domain goes; power users who had it assigned lose it in the same transaction. */
  async remove(ctx: AuthedContext, id: string, ifMatch: number | null): Promise<void> {
    authorize(ctx, 'domains.manage');
    await versionedWrite(this.database, {
      ifMatch,
      load: () => this.load(id),
      stale,
      // The check below answers first; the foreign key still holds when a user joins meanwhile.
      mapError: (error) => (foreignKeyViolation(error) ? inUse() : error),
      write: async (trx, current) => {
        if (await domainHasUsers(trx, id)) throw inUse();
        await unassignEverywhere(trx, 'domain', id);
        if (!(await deleteDomainRow(trx, id, current.version))) return false;
        await recordAudit(trx, this.clock, ctx, {
          action: 'domain.deleted',
          target: { type: 'domain', id, label: current.name },
          changes: {
            name: { before: current.name, after: null },
            hostName: { before: current.hostName, after: null },
          },
        });
        return true;
      },
    });
  }

  private async load(id: string): Promise<Domain> {
    const domain = await findDomain(this.database.db, id);
    if (!domain) throw new AppError('domain_not_found', 'There is no domain with this ID.');
    return domain;
  }
}

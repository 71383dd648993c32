import type { Updateable } from 'kysely';
import type { Database, Tx } from '../db/database.ts';
import type { UsersTable } from '../db/schema.ts';
import type { Action } from '../permissions/can.ts';
import type { AuthedContext } from '../shared/request-context.ts';
import { authorize } from '../permissions/authorize.ts';
import type { SessionService } from '../sessions/sessions.service.ts';
import type { Clock } from '../shared/clock.ts';
import { AppError } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import type { RequestContext } from '../shared/request-context.ts';
import { recordAudit, type Changes } from '../audit/audit.ts';
import { emit, type DomainHooks } from '../shared/hooks.ts';
import type { SettingsService } from '../settings/settings.service.ts';
import type { Role, SystemPermission } from '../permissions/catalogue.ts';
import { displayName, searchTextOf, type LoginFacts, type User, type UserEmail } from './user.ts';
import type { CreateUserInput, UpdateUserInput } from './user.schemas.ts';
import { representUser } from './representation.ts';
import {
  countActiveSuperadmins,
  deleteUserRow,
  findUser,
  insertEmailRow,
  insertUserRow,
  listEmails,
  updateUserRow,
} from './users.store.ts';
import { deleteSessionsOfUser } from '../sessions/sessions.store.ts';
import { findDomain } from '../orgs/domains.store.ts';
import { mapUniqueViolation } from './constraints.ts';
import { deactivates, planDeletion, planProfileUpdate } from './user-changes.ts';
import { usernameKey } from './username.ts';
import { findVerifiedOwner } from './emails.store.ts';
import { countUsableLinks } from '../linked-accounts/linked-accounts.store.ts';
import { survivorOf } from './merge/merge.store.ts';

export interface PlannedChange {
  values: Updateable<UsersTable>;
  changes: Changes;
  auditAction: string;
  details?: Record<string, unknown>;
  /** Write even when no audited field changes (e.g. a new password, which is never diffed). */
  always?: boolean;
  alsoInTransaction?: (trx: Tx) => Promise<void>;
}

/**
 * Attempts of a change without If-Match that keeps losing its compare-and-set (see change()).
 * Each round lets at least one writer through, so N concurrent edits of one user need at most
 * N rounds; the cap only bounds the work under a pile-up, which then gets 412.
 */
const maxAttempts = 10;
/** Thrown inside a transaction to roll it back when the compare-and-set found a newer version. */
const lostRace = new Error('lost the compare-and-set race');

const stale = () =>
  new AppError('precondition_failed', 'This user was changed by someone else; reload and try again.');

export interface CreateOptions {
  role?: Role;
  systemPermissions?: SystemPermission[];
  passwordHash?: string;
  emailVerified?: boolean;
}

/** A user with its addresses: what most admin answers are built from. */
export interface UserAggregate {
  user: User;
  emails: UserEmail[];
}

export class UsersService {
  private readonly database: Database;
  private readonly clock: Clock;
  private readonly settings: SettingsService;
  private readonly sessions: SessionService;
  private readonly hooks: DomainHooks;

  constructor(deps: {
    database: Database;
    clock: Clock;
    settings: SettingsService;
    sessions: SessionService;
    hooks: DomainHooks;
  }) {
    this.database = deps.database;
    this.clock = deps.clock;
    this.settings = deps.settings;
    this.sessions = deps.sessions;
    this.hooks = deps.hooks;
  }

  /** R-ADM-01: the minimal profile, created at once; everything else is edited afterwards. */
  async create(
    ctx: RequestContext,
    input: CreateUserInput,
    options: CreateOptions = {},
  ): Promise<UserAggregate> {
    const now = this.clock.now();
    const id = newId(now);
    const address = input.email;
    const domainId = input.domainId ?? null;
    if (domainId) await this.requireDomain(domainId);
    try {
      await this.database.transaction(async (trx) => {
        const taken = await findVerifiedOwner(trx, address.toLowerCase());
        if (taken !== undefined)
          throw new AppError('email_taken', `${address} is already a verified address of another user.`, {
            fieldErrors: [{ field: 'email', message: 'is already in use', kind: 'taken' }],
          });
        await insertUserRow(trx, {
          id,
          username: input.username ?? null,
          username_lower: input.username?.toLowerCase() ?? null,
          username_key: input.username === undefined ? null : usernameKey(input.username),
          first_name: input.firstName,
          last_name: input.lastName,
          gender: input.gender,
          language: input.language,
          primary_email: address,
          role: options.role ?? 'user',
          general_permissions: '[]',
          system_permissions: JSON.stringify(options.systemPermissions ?? []),
          active: true,
          password_hash: options.passwordHash ?? null,
          password_changed_at: options.passwordHash ? now : null,
          two_factor_method: 'none',
          totp_secret: null,
          failed_logins: 0,
          locked_until: null,
          search_text: searchTextOf(
            { id, firstName: input.firstName, lastName: input.lastName, username: input.username ?? null },
            [address],
          ),
          created_at: now,
          updated_at: now,
          version: 1,
          domain_id: domainId,
        });
        await insertEmailRow(trx, {
          id: newId(now),
          user_id: id,
          address,
          address_lower: address.toLowerCase(),
          verified: options.emailVerified ?? false,
          verified_at: options.emailVerified ? now : null,
          is_primary: true,
          created_at: now,
        });
        await recordAudit(trx, this.clock, ctx, {
          action: 'user.created',
          target: { type: 'user', id, label: displayName(input) },
          changes: {
            email: { before: null, after: address },
            username: { before: null, after: input.username ?? null },
            firstName: { before: null, after: input.firstName },
            lastName: { before: null, after: input.lastName },
            gender: { before: null, after: input.gender },
            language: { before: null, after: input.language },
            ...(domainId ? { domainId: { before: null, after: domainId } } : {}),
            ...(options.role && options.role !== 'user'
              ? { role: { before: null, after: options.role } }
              : {}),
          },
        });
      });
    } catch (error) {
      throw mapUniqueViolation(error);
    }
    return this.load(id);
  }

  /** The user and its addresses, or 404. */
  async load(id: string): Promise<UserAggregate> {
    const user = await findUser(this.database.db, id);
    if (!user) {
      // R-ADM-10: an ID absorbed by connecting profiles keeps answering: it names the survivor.
      const survivorId = await survivorOf(this.database.db, id);
      if (survivorId) {
        throw new AppError('user_merged', 'This profile was connected into another one; see survivorId.', {
          extra: { survivorId },
        });
      }
      throw new AppError('user_not_found', 'There is no user with this ID.');
    }
    return { user, emails: await listEmails(this.database.db, id) };
  }

  /**
   * The one path for an admin's change to a user: authorize against the target, check the
   * version the client saw (If-Match), write the change with a compare-and-set on the version,
   * audit it in the same transaction, and afterwards make every instance re-read the user's
   * sessions (so revoked rights are gone by the next request).
   *
   * When another write lands between our read and our compare-and-set, a client that sent
   * If-Match gets 412 (it asked for exactly that). A client that did not send it asked for no
   * precondition, so the change is planned again on the fresh state, a few times at most: its
   * rules are re-checked and nothing the other writer did is overwritten blindly.
   */
  async change(
    ctx: AuthedContext,
    id: string,
    ifMatch: number | null,
    action: Action,
    plan: (agg: UserAggregate) => Promise<PlannedChange> | PlannedChange,
  ): Promise<UserAggregate> {
    return this.changeChecked(ctx, id, ifMatch, (user) => authorize(ctx, action, user), plan);
  }

  /**
   * An operator's change from the server's host (`npm run admin`, src/ops/operator.ts): the
   * same path as `change`, but with nobody to authorize (whoever runs it holds the database
   * and the keys already); the audit event names the operator's command as actor.
   */
  operatorChange(
    ctx: RequestContext,
    id: string,
    plan: (agg: UserAggregate) => Promise<PlannedChange> | PlannedChange,
  ): Promise<UserAggregate> {
    return this.changeChecked(ctx, id, null, () => {}, plan);
  }

  private async changeChecked(
    ctx: RequestContext,
    id: string,
    ifMatch: number | null,
    check: (user: UserAggregate['user']) => void,
    plan: (agg: UserAggregate) => Promise<PlannedChange> | PlannedChange,
  ): Promise<UserAggregate> {
    for (let attempt = 1; ; attempt++) {
      const { before, planned } = await this.prepare(id, ifMatch, check, plan);
      if (Object.keys(planned.changes).length === 0 && !planned.always) return before;
      const written = await this.commit(ctx, before, planned, 'update');
      if (written) return this.load(id);
      if (ifMatch !== null || attempt >= maxAttempts) throw stale();
    }
  }

  /**
   * R-ADM-15: deletes a user on the same terms as `change` (authorized, version-checked,
   * audited in the same transaction) and ends their sessions on every instance. Returns the
   * user as it was.
   */
  async remove(
    ctx: AuthedContext,
    id: string,
    ifMatch: number | null,
    plan: (agg: UserAggregate) => PlannedChange,
  ): Promise<UserAggregate> {
    for (let attempt = 1; ; attempt++) {
      const { before, planned } = await this.prepare(
        id,
        ifMatch,
        (user) => authorize(ctx, 'users.delete', user),
        plan,
      );
      const written = await this.commit(ctx, before, planned, 'delete');
      if (written) return before;
      if (ifMatch !== null || attempt >= maxAttempts) throw stale();
    }
  }

  /** R-ADM-03/05: edits the profile; deactivating ends the user's sessions in the same transaction. */
  update(ctx: AuthedContext, id: string, ifMatch: number | null, patch: UpdateUserInput) {
    const action: Action = patch.active === undefined ? 'users.update' : 'users.activate';
    return this.change(ctx, id, ifMatch, action, async ({ user, emails }) => {
      if (patch.domainId) await this.requireDomain(patch.domainId);
      const planned = planProfileUpdate(user, emails, patch);
      if (deactivates(user, patch)) {
        planned.alsoInTransaction = async (trx) => void (await deleteSessionsOfUser(trx, id));
      }
      return planned;
    });
  }

  /** R-IMP-02: a user joins only a domain that exists. */
  private async requireDomain(domainId: string): Promise<void> {
    if (await findDomain(this.database.db, domainId)) return;
    throw new AppError('validation_failed', 'domainId: no domain has this ID', {
      fieldErrors: [
        {
          field: 'domainId',
          message: 'no domain has this ID',
          kind: 'not_found',
          params: { what: 'domain' },
        },
      ],
    });
  }

  /** R-ADM-15: `confirm` must repeat the user's ID. */
  delete(ctx: AuthedContext, id: string, ifMatch: number | null, confirm: string | undefined) {
    return this.remove(ctx, id, ifMatch, ({ user, emails }) => planDeletion(user, emails, confirm));
  }

  private async prepare(
    id: string,
    ifMatch: number | null,
    check: (user: UserAggregate['user']) => void,
    plan: (agg: UserAggregate) => Promise<PlannedChange> | PlannedChange,
  ): Promise<{ before: UserAggregate; planned: PlannedChange }> {
    const before = await this.load(id);
    check(before.user);
    const planned = await plan(before);
    if (ifMatch !== null && ifMatch !== before.user.version) throw stale();
    return { before, planned };
  }

  /**
   * Writes the user row with a compare-and-set on its version (update or delete), the plan's
   * own statements, the domain hooks (e.g. ending impersonations) and the audit event, all in
   * one transaction. False when the compare-and-set found a newer version: nothing was written.
   */
  private async commit(
    ctx: RequestContext,
    before: UserAggregate,
    planned: PlannedChange,
    kind: 'update' | 'delete',
  ): Promise<boolean> {
    const { id, version } = before.user;
    try {
      await this.database.transaction(async (trx) => {
        if (kind === 'delete') {
          // Before the row goes: a handler may still need the user (e.g. to notify them).
          await emit(this.hooks.userDeleted, trx, ctx, { userId: id });
          if (!(await deleteUserRow(trx, id, version))) throw lostRace;
        } else {
          const values = { ...planned.values, updated_at: this.clock.now() };
          if (!(await updateUserRow(trx, id, version, values))) throw lostRace;
        }
        await planned.alsoInTransaction?.(trx);
        if (kind === 'update') {
          await emit(this.hooks.userChanged, trx, ctx, { userId: id, fields: Object.keys(planned.changes) });
        }
        await recordAudit(trx, this.clock, ctx, {
          action: planned.auditAction,
          target: { type: 'user', id, label: displayName(before.user) },
          changes: planned.changes,
          details: planned.details,
        });
        // Checked last: the audit append above holds the chain lock until commit, so two
        // superadmins deactivating each other at once are serialized and the second one sees
        // the first one's change (and is refused), instead of both passing.
        if (before.user.role === 'superadmin' && (await countActiveSuperadmins(trx)) === 0) {
          throw new AppError('last_superadmin', 'The platform needs at least one active superadmin.');
        }
      });
    } catch (error) {
      if (error === lostRace) return false;
      throw mapUniqueViolation(error);
    }
    await this.sessions.forgetUser(id);
    return true;
  }

  /**
   * Facts the computed tags need (R-ADM-04), read afresh each time: switching a service on or
   * off the sign-in page changes every user's tag at once, since nothing is stored.
   */
  async loginFacts(userId: string): Promise<LoginFacts> {
    const { login } = await this.settings.get();
    const enabledLinkedAccounts = await countUsableLinks(this.database.db, userId);
    return { passwordLoginEnabled: login.passwordLoginEnabled, enabledLinkedAccounts };
  }

  async represent(agg: UserAggregate) {
    return representUser(agg.user, agg.emails, this.clock.now(), await this.loginFacts(agg.user.id));
  }
}

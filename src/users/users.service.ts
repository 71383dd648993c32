import type { Updateable } from 'kysely';
import type { Database, Db } from '../db/database.ts';
import type { UsersTable } from '../db/schema.ts';
import type { Action } from '../permissions/can.ts';
import { authorize, type AuthedContext } from '../http/context.ts';
import type { SessionService } from '../sessions/sessions.service.ts';
import { uniqueViolation } from '../db/database.ts';
import type { Clock } from '../shared/clock.ts';
import { AppError } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import type { RequestContext } from '../shared/request-context.ts';
import { recordAudit, type Changes } from '../audit/audit.ts';
import type { SettingsService } from '../settings/settings.service.ts';
import type { Role, SystemPermission } from '../permissions/catalogue.ts';
import { displayName, searchTextOf, type LoginFacts, type User, type UserEmail } from './user.ts';
import type { CreateUserInput } from './user.schemas.ts';
import { representUser } from './representation.ts';
import { findUser, insertEmailRow, insertUserRow, listEmails, updateUserRow } from './users.store.ts';

export interface PlannedChange {
  values: Updateable<UsersTable>;
  changes: Changes;
  auditAction: string;
  details?: Record<string, unknown>;
  /** Write even when no audited field changes (e.g. a new password, which is never diffed). */
  always?: boolean;
  alsoInTransaction?: (trx: Db) => Promise<void>;
}

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

  constructor(deps: {
    database: Database;
    clock: Clock;
    settings: SettingsService;
    sessions: SessionService;
  }) {
    this.database = deps.database;
    this.clock = deps.clock;
    this.settings = deps.settings;
    this.sessions = deps.sessions;
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
    try {
      await this.database.db.transaction().execute(async (trx) => {
        const taken = await trx
          .selectFrom('user_emails')
          .select('id')
          .where('address_lower', '=', address.toLowerCase())
          .where('verified', '=', true)
          .executeTakeFirst();
        if (taken)
          throw new AppError('email_taken', `${address} is already a verified address of another user.`, {
            fieldErrors: [{ field: 'email', message: 'is already in use' }],
          });
        await insertUserRow(trx, {
          id,
          username: input.username ?? null,
          username_lower: input.username?.toLowerCase() ?? null,
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
    if (!user) throw new AppError('user_not_found', 'There is no user with this ID.');
    return { user, emails: await listEmails(this.database.db, id) };
  }

  /**
   * The one path for an admin's change to a user: authorize against the target, check the
   * version the client saw (If-Match), write the change with a compare-and-set on the version,
   * audit it in the same transaction, and afterwards make every instance re-read the user's
   * sessions (so revoked rights are gone by the next request).
   */
  async change(
    ctx: AuthedContext,
    id: string,
    ifMatch: number | null,
    action: Action,
    plan: (agg: UserAggregate) => Promise<PlannedChange> | PlannedChange,
  ): Promise<UserAggregate> {
    const before = await this.load(id);
    authorize(ctx, action, before.user);
    const planned = await plan(before);
    if (ifMatch !== null && ifMatch !== before.user.version) throw stale();
    if (Object.keys(planned.changes).length === 0 && !planned.always) return before;
    const now = this.clock.now();
    try {
      await this.database.db.transaction().execute(async (trx) => {
        const ok = await updateUserRow(trx, id, before.user.version, { ...planned.values, updated_at: now });
        if (!ok) throw stale();
        await planned.alsoInTransaction?.(trx);
        await recordAudit(trx, this.clock, ctx, {
          action: planned.auditAction,
          target: { type: 'user', id, label: displayName(before.user) },
          changes: planned.changes,
          details: planned.details,
        });
      });
    } catch (error) {
      throw mapUniqueViolation(error);
    }
    await this.sessions.forgetUser(id);
    return this.load(id);
  }

  /** Facts the computed tags need (R-ADM-04); linked accounts arrive with external login. */
  async loginFacts(_userId: string): Promise<LoginFacts> {
    const { login } = await this.settings.get();
    return { passwordLoginEnabled: login.passwordLoginEnabled, enabledLinkedAccounts: 0 };
  }

  async represent(agg: UserAggregate) {
    return representUser(agg.user, agg.emails, this.clock.now(), await this.loginFacts(agg.user.id));
  }
}

/** Turns a unique-index failure into the 409 a client can act on; other errors pass through. */
export function mapUniqueViolation(error: unknown): unknown {
  const names = uniqueViolation(error);
  if (names === null) return error;
  if (names.includes('username')) {
    return new AppError('username_taken', 'This username is already taken.', {
      fieldErrors: [{ field: 'username', message: 'is already taken' }],
    });
  }
  if (names.includes('address') || names.includes('email')) {
    return new AppError('email_taken', 'This address is already a verified address of another user.', {
      fieldErrors: [{ field: 'email', message: 'is already in use' }],
    });
  }
  return new AppError('conflict', 'This conflicts with existing data.');
}

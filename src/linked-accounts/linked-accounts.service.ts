import type { Tx } from '../db/database.ts';
import type { AuthedContext } from '../shared/request-context.ts';
import { authorize } from '../permissions/authorize.ts';
import { assertCapability } from '../permissions/capabilities.ts';
import { actorOf } from '../shared/request-context.ts';
import { can } from '../permissions/can.ts';
import { AppError, isAppError } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import type { SettingsService } from '../settings/settings.service.ts';
import type { OrgsService } from '../orgs/orgs.service.ts';
import { displayName } from '../users/user.ts';
import { findUser } from '../users/users.store.ts';
import type { PlannedChange, UserAggregate, UsersService } from '../users/users.service.ts';
import { changeOwn, loadOwn, type SelfChangeDeps } from '../account/self-change.ts';
import { findLoginService, listLoginServices } from '../login-services/login-services.store.ts';
import {
  deleteLinkedAccount,
  findLinkBySubject,
  insertLinkedAccount,
  listLinkableServices,
  listLinkedAccounts,
  type LinkedAccountView,
} from './linked-accounts.store.ts';
import { removalLeavesNoWayIn, representLink, type LinkedAccount } from './linked-account.ts';

// Linked accounts (R-ADM-11, R-ADM-16): the user's own list and removal in My Profile, and an
// administrator's list, wizard and removal on the user page. Every change goes through the
// user's compare-and-set on its version (changeOwn / UsersService.change): the user's
// representation changes with it (the "cannot log in" tag), and two removals at once are
// serialized, so the last-way rule cannot be raced past. No mail is sent about any of it.

export interface LinkableService {
  id: string;
  displayName: string;
  displayNameDe: string | null;
}

const notFound = () =>
  new AppError('linked_account_not_found', 'This linked account does not exist (any more).');

export class LinkedAccountsService {
  private readonly deps: SelfChangeDeps & {
    users: UsersService;
    settings: SettingsService;
    orgs: OrgsService;
  };

  constructor(deps: LinkedAccountsService['deps']) {
    this.deps = deps;
  }

  private get db() {
    return this.deps.database.db;
  }

  /** My Profile: the user's links and the services they may link (allowed, domain matching). */
  async listOwn(ctx: AuthedContext): Promise<{ items: LinkedAccount[]; linkable: LinkableService[] }> {
    const { user } = await loadOwn(this.deps, ctx.user.id);
    const [links, services] = await Promise.all([
      listLinkedAccounts(this.db, user.id),
      listLinkableServices(this.db, user.domainId),
    ]);
    return {
      items: links.map(representLink),
      linkable: services.map((s) => ({
        id: s.id,
        displayName: s.display_name,
        displayNameDe: s.display_name_de,
      })),
    };
  }

  /** R-ADM-16: removes one of the user's links, unless it is their last way to sign in. */
  async removeOwn(ctx: AuthedContext, linkId: string): Promise<void> {
    assertCapability(ctx, 'linked_accounts.change');
    await changeOwn(this.deps, ctx, async ({ user }) => {
      const links = await listLinkedAccounts(this.db, user.id);
      const link = links.find((l) => l.id === linkId);
      if (!link) throw notFound();
      const { login } = await this.deps.settings.get();
      const ways = {
        hasPassword: user.hasPassword,
        passwordLoginEnabled: login.passwordLoginEnabled,
        links: links.map((l) => ({ id: l.id, shownOnSignIn: l.service_show_on_sign_in })),
      };
      if (removalLeavesNoWayIn(ways, linkId)) {
        throw new AppError(
          'last_sign_in_method',
          'This linked account is your last way to sign in; set a password or link another account first.',
        );
      }
      return removal(user.id, link, 'account.linked_account_removed');
    });
  }

  /** The user page's list (R-ADM-11): whoever may read the user may read their links. */
  async listForUser(
    ctx: AuthedContext,
    userId: string,
  ): Promise<{ items: LinkedAccount[]; services: LinkableService[] }> {
    // A power user is refused before the lookup, as for reading the user (users.routes.ts).
    const inReach = await this.deps.orgs.inReachOfCaller(ctx, userId);
    if (!inReach) authorize(ctx, 'users.read');
    const { user } = await this.deps.users.load(userId);
    authorize(ctx, 'users.read', { ...user, inReach });
    const [links, services] = await Promise.all([
      listLinkedAccounts(this.db, userId),
      listLoginServices(this.db),
    ]);
    return {
      items: links.map(representLink),
      services: services.map((s) => ({
        id: s.id,
        displayName: s.display_name,
        displayNameDe: s.display_name_de,
      })),
    };
  }

  /**
   * R-ADM-11, the wizard: links (service, subject) to the user without any mail. Linking decides
   * who can sign in as the user, like setting a password, so it needs `users.credentials` and is
   * never allowed on oneself (R-ADM-08). The pair is unique across the platform: 409
   * `linked_account_taken`, naming the holder only to an administrator who may read them.
   */
  async linkForUser(
    ctx: AuthedContext,
    userId: string,
    ifMatch: number | null,
    input: { serviceId: string; subject: string },
  ): Promise<{ agg: UserAggregate; link: LinkedAccount }> {
    const now = this.deps.clock.now();
    const linkId = newId(now);
    try {
      const agg = await this.deps.users.change(
        ctx,
        userId,
        ifMatch,
        'users.credentials',
        async ({ user }) => {
          const service = await findLoginService(this.db, input.serviceId);
          if (!service) throw unknownService();
          // A service restricted to a domain signs in and links the users of that domain only.
          if (service.domain_id !== null && service.domain_id !== user.domainId) throw outsideDomain();
          if (await findLinkBySubject(this.db, service.id, input.subject)) throw taken();
          const planned: PlannedChange = {
            values: {},
            changes: {},
            always: true,
            auditAction: 'user.linked_account_added',
            details: { linkId, serviceId: service.id, service: service.display_name, subject: input.subject },
            alsoInTransaction: async (trx: Tx) => {
              // Checked again in the transaction for a clear answer; the unique index decides a race.
              if (await findLinkBySubject(trx, service.id, input.subject)) throw taken();
              await insertLinkedAccount(trx, {
                id: linkId,
                user_id: user.id,
                service_id: service.id,
                subject: input.subject,
                email: null,
                linked_via: 'admin',
                linked_at: now,
                last_used_at: null,
              });
            },
          };
          return planned;
        },
      );
      const link = (await listLinkedAccounts(this.db, userId)).find((l) => l.id === linkId);
      if (!link) throw notFound();
      return { agg, link: representLink(link) };
    } catch (error) {
      if (isAppError(error) && error.code === 'linked_account_taken') {
        throw await this.takenNaming(ctx, input.serviceId, input.subject);
      }
      throw error;
    }
  }

  /** R-ADM-11: an administrator removes a link; no mail, audited, never on oneself. */
  unlinkForUser(ctx: AuthedContext, userId: string, ifMatch: number | null, linkId: string) {
    return this.deps.users.change(ctx, userId, ifMatch, 'users.credentials', async ({ user }) => {
      const link = (await listLinkedAccounts(this.db, user.id)).find((l) => l.id === linkId);
      if (!link) throw notFound();
      return removal(user.id, link, 'user.linked_account_removed');
    });
  }

  /** The 409 for a taken pair, naming its holder where the caller may read that user. */
  private async takenNaming(ctx: AuthedContext, serviceId: string, subject: string): Promise<AppError> {
    const held = await findLinkBySubject(this.db, serviceId, subject);
    const holder = held ? await findUser(this.db, held.user_id) : undefined;
    if (!holder) return taken();
    const inReach = await this.deps.orgs.inReachOfCaller(ctx, holder.id);
    if (!can(actorOf(ctx), 'users.read', { ...holder, inReach }).allowed) return taken();
    return taken({ id: holder.id, displayName: displayName(holder) });
  }
}

function removal(userId: string, link: LinkedAccountView, auditAction: string): PlannedChange {
  return {
    values: {},
    changes: {},
    always: true,
    auditAction,
    details: {
      linkId: link.id,
      serviceId: link.service_id,
      service: link.service_display_name,
      subject: link.subject,
    },
    alsoInTransaction: async (trx) => {
      // A parallel removal of the same link came first.
      if (!(await deleteLinkedAccount(trx, userId, link.id))) throw notFound();
    },
  };
}

function taken(holder?: { id: string; displayName: string }): AppError {
  return new AppError(
    'linked_account_taken',
    holder
      ? `This account is already linked to ${holder.displayName} (${holder.id}).`
      : 'This account is already linked to another profile.',
    holder ? { extra: { holder } } : {},
  );
}

function unknownService(): AppError {
  return new AppError('validation_failed', 'serviceId: no login service has this ID', {
    fieldErrors: [
      {
        field: 'serviceId',
        message: 'no login service has this ID',
        kind: 'not_found',
        params: { what: 'login service' },
      },
    ],
  });
}

function outsideDomain(): AppError {
  return new AppError(
    'validation_failed',
    "serviceId: the service is restricted to another domain than the user's",
    {
      fieldErrors: [
        {
          field: 'serviceId',
          message: "is restricted to another domain than the user's",
          kind: 'outside_service_domain',
        },
      ],
    },
  );
}

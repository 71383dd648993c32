import type { Database } from '../db/database.ts';
import type { AuthedContext } from '../shared/request-context.ts';
import { authorize } from '../permissions/authorize.ts';
import { diff, recordAudit } from '../audit/audit.ts';
import type { Clock } from '../shared/clock.ts';
import { AppError } from '../shared/errors.ts';
import { SecretBox } from '../shared/secret-box.ts';
import { newId } from '../shared/ids.ts';
import { findDomain } from '../orgs/domains.store.ts';
import type { SettingsService } from '../settings/settings.service.ts';
import type { Db } from '../db/database.ts';
import {
  countLinksOfService,
  deleteLoginService,
  findLoginService,
  insertLoginService,
  listLoginServices,
  listShownLoginServices,
  updateLoginService,
  type LoginServiceRow,
} from './login-services.store.ts';

// External login services (issue 8, R-ADM-17), administered through the API (`settings.manage`,
// audited). openid-client must send the client secret to the provider, so it cannot be stored
// as a one-way hash: it is sealed (src/shared/secret-box.ts) under a key outside the database,
// never answered and never audited (the trail only says that it changed).

export interface LoginServiceInput {
  displayName: string;
  displayNameDe?: string | null | undefined;
  issuer: string;
  clientId: string;
  clientSecret: string;
  scopes?: string[] | undefined;
  showOnSignIn: boolean;
  allowLinking: boolean;
  linkByVerifiedEmail?: boolean | undefined;
  trustProviderMfa?: boolean | undefined;
  domainId?: string | null | undefined;
}

export interface LoginServiceEntry {
  id: string;
  displayName: string;
  displayNameDe: string | null;
  issuer: string;
  clientId: string;
  scopes: string[];
  showOnSignIn: boolean;
  allowLinking: boolean;
  linkByVerifiedEmail: boolean;
  trustProviderMfa: boolean;
  domainId: string | null;
  createdAt: number;
  updatedAt: number;
}

export const defaultScopes = ['openid', 'profile', 'email'];

export function toEntry(row: LoginServiceRow): LoginServiceEntry {
  return {
    id: row.id,
    displayName: row.display_name,
    displayNameDe: row.display_name_de,
    issuer: row.issuer,
    clientId: row.client_id,
    scopes: JSON.parse(row.scopes) as string[],
    showOnSignIn: Boolean(row.show_on_sign_in),
    allowLinking: Boolean(row.allow_linking),
    linkByVerifiedEmail: Boolean(row.link_by_verified_email),
    trustProviderMfa: Boolean(row.trust_provider_mfa),
    domainId: row.domain_id,
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}

/** Pure: the audited view, without the secret and the timestamps. */
function auditable(entry: LoginServiceEntry): Record<string, unknown> {
  const { createdAt: _c, updatedAt: _u, id: _i, ...rest } = entry;
  return rest;
}

const notFound = () => new AppError('login_service_not_found', 'No such login service.');

export class LoginServicesService {
  private readonly database: Database;
  private readonly clock: Clock;
  private readonly settings: SettingsService;
  readonly box: SecretBox;

  constructor(deps: { database: Database; clock: Clock; secret: Buffer; settings: SettingsService }) {
    this.database = deps.database;
    this.clock = deps.clock;
    this.settings = deps.settings;
    this.box = new SecretBox(deps.secret, 'behalf login service client secrets');
  }

  async list(ctx: AuthedContext): Promise<LoginServiceEntry[]> {
    authorize(ctx, 'settings.manage');
    return (await listLoginServices(this.database.db)).map(toEntry);
  }

  /** The services with a button on the sign-in pages: public, names only. */
  async shown(): Promise<LoginServiceEntry[]> {
    return (await listShownLoginServices(this.database.db)).map(toEntry);
  }

  async get(ctx: AuthedContext, id: string): Promise<LoginServiceEntry> {
    authorize(ctx, 'settings.manage');
    const row = await findLoginService(this.database.db, id);
    if (!row) throw notFound();
    return toEntry(row);
  }

  async create(ctx: AuthedContext, input: LoginServiceInput): Promise<LoginServiceEntry> {
    authorize(ctx, 'settings.manage');
    const now = this.clock.now();
    const row: LoginServiceRow = {
      id: newId(now),
      display_name: input.displayName,
      display_name_de: input.displayNameDe ?? null,
      issuer: input.issuer,
      client_id: input.clientId,
      secret_ciphertext: this.box.seal(input.clientSecret),
      scopes: JSON.stringify(input.scopes ?? defaultScopes),
      show_on_sign_in: input.showOnSignIn,
      allow_linking: input.allowLinking,
      link_by_verified_email: input.linkByVerifiedEmail ?? false,
      trust_provider_mfa: input.trustProviderMfa ?? false,
      domain_id: input.domainId ?? null,
      created_at: now,
      updated_at: now,
      version: 1,
    };
    const entry = toEntry(row);
    await this.database.transaction(async (trx) => {
      await this.assertDomain(trx, entry.domainId);
      await insertLoginService(trx, row);
      await recordAudit(trx, this.clock, ctx, {
        action: 'login_service.created',
        target: { type: 'login_service', id: entry.id, label: entry.displayName },
        changes: diff({}, auditable(entry)),
      });
    });
    return entry;
  }

  async update(
    ctx: AuthedContext,
    id: string,
    input: Partial<LoginServiceInput>,
  ): Promise<LoginServiceEntry> {
    authorize(ctx, 'settings.manage');
    return this.database.transaction(async (trx) => {
      const before = await findLoginService(trx, id);
      if (!before) throw notFound();
      const changes: Partial<LoginServiceRow> = { updated_at: this.clock.now() };
      if (input.displayName !== undefined) changes.display_name = input.displayName;
      if (input.displayNameDe !== undefined) changes.display_name_de = input.displayNameDe;
      if (input.issuer !== undefined) changes.issuer = input.issuer;
      if (input.clientId !== undefined) changes.client_id = input.clientId;
      if (input.clientSecret !== undefined) changes.secret_ciphertext = this.box.seal(input.clientSecret);
      if (input.scopes !== undefined) changes.scopes = JSON.stringify(input.scopes);
      if (input.showOnSignIn !== undefined) changes.show_on_sign_in = input.showOnSignIn;
      if (input.allowLinking !== undefined) changes.allow_linking = input.allowLinking;
      if (input.linkByVerifiedEmail !== undefined) changes.link_by_verified_email = input.linkByVerifiedEmail;
      if (input.trustProviderMfa !== undefined) changes.trust_provider_mfa = input.trustProviderMfa;
      if (input.domainId !== undefined) {
        await this.assertDomain(trx, input.domainId);
        changes.domain_id = input.domainId;
      }
      if (!(await updateLoginService(trx, id, before.version, changes)))
        throw new AppError('conflict', 'The login service was changed meanwhile; load it again.');
      if (input.showOnSignIn === false) await this.assertAWayInLeft(trx);
      const after = toEntry({ ...before, ...changes });
      await recordAudit(trx, this.clock, ctx, {
        action: 'login_service.updated',
        target: { type: 'login_service', id, label: after.displayName },
        changes: {
          ...diff(auditable(toEntry(before)), auditable(after)),
          // Only that it changed: the secret itself never enters the trail.
          ...(input.clientSecret !== undefined ? { secret: { before: null, after: null } } : {}),
        },
      });
      return after;
    });
  }

  /**
   * Deleting a service removes its linked accounts (the users can no longer sign in with it).
   * While links exist that needs `force`: otherwise 409 `login_service_in_use` with their count.
   */
  async delete(ctx: AuthedContext, id: string, force: boolean): Promise<void> {
    authorize(ctx, 'settings.manage');
    await this.database.transaction(async (trx) => {
      const row = await findLoginService(trx, id);
      if (!row) throw notFound();
      const links = await countLinksOfService(trx, id);
      if (links > 0 && !force)
        throw new AppError(
          'login_service_in_use',
          `${links} linked account(s) use this service; delete with force=true to remove them too.`,
          { extra: { linkedAccounts: links } },
        );
      if (!(await deleteLoginService(trx, id))) throw notFound();
      await this.assertAWayInLeft(trx);
      await recordAudit(trx, this.clock, ctx, {
        action: 'login_service.deleted',
        target: { type: 'login_service', id, label: row.display_name },
        details: { removedLinkedAccounts: links },
      });
    });
  }

  /**
   * R-ADM-17: while password login is off, the last service on the sign-in page cannot be hidden
   * or deleted: nobody could sign in afterwards (the way back would be the operator command).
   */
  private async assertAWayInLeft(trx: Db): Promise<void> {
    if ((await this.settings.get()).login.passwordLoginEnabled) return;
    if ((await listShownLoginServices(trx)).length > 0) return;
    throw new AppError(
      'password_login_needs_service',
      'Password login is off: at least one login service must stay on the sign-in page. Switch password login on first.',
    );
  }

  private async assertDomain(trx: Parameters<typeof findDomain>[0], domainId: string | null) {
    if (domainId !== null && !(await findDomain(trx, domainId)))
      throw new AppError('validation_failed', 'No such domain.', {
        fieldErrors: [{ field: 'domainId', message: 'no such domain', kind: 'not_found' }],
      });
  }
}

import { randomBytes } from 'node:crypto';
import type { Database } from '../db/database.ts';
import type { AuthedContext } from '../shared/request-context.ts';
import { authorize } from '../permissions/authorize.ts';
import { diff, recordAudit } from '../audit/audit.ts';
import type { Clock } from '../shared/clock.ts';
import { AppError } from '../shared/errors.ts';
import { SecretBox } from '../shared/secret-box.ts';
import { newId } from '../shared/ids.ts';
import { deleteApp, findApp, insertApp, listApps, updateApp, type AppRow } from './apps.store.ts';

// The platform's apps (OpenID clients), administered through the API (issue 9, `apps.manage`,
// audited). oidc-provider compares a confidential client's secret with the stored plain value,
// so the secret cannot be stored as a one-way hash; it is stored encrypted (AES-256-GCM) under a
// key derived from the audit HMAC key, which lives outside the database: a copy of the database
// alone does not reveal any app's secret. The secret is answered once, at creation and rotation.

export interface AppInput {
  name: string;
  type: 'confidential' | 'public';
  redirectUris: string[];
  postLogoutRedirectUris?: string[] | undefined;
  backchannelLogoutUri?: string | null | undefined;
  firstParty?: boolean | undefined;
  scopes?: string[] | undefined;
}

export interface App {
  id: string;
  name: string;
  type: 'confidential' | 'public';
  firstParty: boolean;
  redirectUris: string[];
  postLogoutRedirectUris: string[];
  backchannelLogoutUri: string | null;
  scopes: string[];
  createdAt: number;
  updatedAt: number;
}

const defaultScopes = ['openid', 'profile', 'email', 'offline_access'];

function toApp(row: AppRow): App {
  return {
    id: row.id,
    name: row.name,
    type: row.type as App['type'],
    firstParty: Boolean(row.first_party),
    redirectUris: JSON.parse(row.redirect_uris) as string[],
    postLogoutRedirectUris: JSON.parse(row.post_logout_redirect_uris) as string[],
    backchannelLogoutUri: row.backchannel_logout_uri,
    scopes: JSON.parse(row.scopes) as string[],
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** Pure: the audited, secret-free view of an app. */
function auditable(app: App): Record<string, unknown> {
  const { createdAt: _c, updatedAt: _u, ...rest } = app;
  return rest;
}

export class AppsService {
  private readonly database: Database;
  private readonly clock: Clock;
  private readonly box: SecretBox;

  constructor(deps: { database: Database; clock: Clock; secret: Buffer }) {
    this.database = deps.database;
    this.clock = deps.clock;
    this.box = new SecretBox(deps.secret, 'behalf oidc client secrets');
  }

  private encrypt(secret: string): string {
    return this.box.seal(secret);
  }

  private decrypt(stored: string): string | undefined {
    // Another key (e.g. a restored database under a new audit key): the app cannot sign in
    // until its secret is rotated, rather than the server failing.
    return this.box.open(stored);
  }

  list(ctx: AuthedContext): Promise<App[]> {
    authorize(ctx, 'apps.manage');
    return listApps(this.database.db).then((rows) => rows.map(toApp));
  }

  async get(ctx: AuthedContext, id: string): Promise<App> {
    authorize(ctx, 'apps.manage');
    const row = await findApp(this.database.db, id);
    if (!row) throw new AppError('not_found', 'No such app.');
    return toApp(row);
  }

  async create(ctx: AuthedContext, input: AppInput): Promise<{ app: App; clientSecret: string | null }> {
    authorize(ctx, 'apps.manage');
    const now = this.clock.now();
    const clientSecret = input.type === 'confidential' ? randomBytes(32).toString('base64url') : null;
    const row: AppRow = {
      id: newId(now),
      name: input.name,
      type: input.type,
      first_party: input.firstParty ?? false,
      redirect_uris: JSON.stringify(input.redirectUris),
      post_logout_redirect_uris: JSON.stringify(input.postLogoutRedirectUris ?? []),
      backchannel_logout_uri: input.backchannelLogoutUri ?? null,
      scopes: JSON.stringify(input.scopes ?? defaultScopes),
      secret_ciphertext: clientSecret ? this.encrypt(clientSecret) : null,
      created_at: now,
      updated_at: now,
    };
    const app = toApp(row);
    await this.database.transaction(async (trx) => {
      await insertApp(trx, row);
      await recordAudit(trx, this.clock, ctx, {
        action: 'app.created',
        target: { type: 'app', id: app.id, label: app.name },
        changes: diff({}, auditable(app)),
      });
    });
    return { app, clientSecret };
  }

  async update(ctx: AuthedContext, id: string, input: Partial<AppInput>): Promise<App> {
    authorize(ctx, 'apps.manage');
    return this.database.transaction(async (trx) => {
      const before = await findApp(trx, id);
      if (!before) throw new AppError('not_found', 'No such app.');
      const changes: Partial<AppRow> = { updated_at: this.clock.now() };
      if (input.name !== undefined) changes.name = input.name;
      if (input.firstParty !== undefined) changes.first_party = input.firstParty;
      if (input.redirectUris !== undefined) changes.redirect_uris = JSON.stringify(input.redirectUris);
      if (input.postLogoutRedirectUris !== undefined)
        changes.post_logout_redirect_uris = JSON.stringify(input.postLogoutRedirectUris);
      if (input.backchannelLogoutUri !== undefined)
        changes.backchannel_logout_uri = input.backchannelLogoutUri;
      if (input.scopes !== undefined) changes.scopes = JSON.stringify(input.scopes);
      await updateApp(trx, id, changes);
      const after = toApp({ ...before, ...changes });
      await recordAudit(trx, this.clock, ctx, {
        action: 'app.updated',
        target: { type: 'app', id, label: after.name },
        changes: diff(auditable(toApp(before)), auditable(after)),
      });
      return after;
    });
  }

  async rotateSecret(ctx: AuthedContext, id: string): Promise<string> {
    authorize(ctx, 'apps.manage');
    return this.database.transaction(async (trx) => {
      const row = await findApp(trx, id);
      if (!row) throw new AppError('not_found', 'No such app.');
      if (row.type !== 'confidential') throw new AppError('validation_failed', 'A public app has no secret.');
      const secret = randomBytes(32).toString('base64url');
      await updateApp(trx, id, { secret_ciphertext: this.encrypt(secret), updated_at: this.clock.now() });
      await recordAudit(trx, this.clock, ctx, {
        action: 'app.secret_rotated',
        target: { type: 'app', id, label: row.name },
      });
      return secret;
    });
  }

  async delete(ctx: AuthedContext, id: string): Promise<void> {
    authorize(ctx, 'apps.manage');
    await this.database.transaction(async (trx) => {
      const row = await findApp(trx, id);
      if (!row || !(await deleteApp(trx, id))) throw new AppError('not_found', 'No such app.');
      await recordAudit(trx, this.clock, ctx, {
        action: 'app.deleted',
        target: { type: 'app', id, label: row.name },
      });
    });
  }

  /** The app as oidc-provider's client metadata, or undefined (unknown app). */
  async clientMetadata(clientId: string): Promise<Record<string, unknown> | undefined> {
    const row = await findApp(this.database.db, clientId);
    if (!row) return undefined;
    const app = toApp(row);
    const secret = row.secret_ciphertext ? this.decrypt(row.secret_ciphertext) : undefined;
    if (app.type === 'confidential' && !secret) return undefined;
    return {
      client_id: app.id,
      client_name: app.name,
      ...(app.type === 'confidential'
        ? { client_secret: secret, token_endpoint_auth_method: 'client_secret_basic' }
        : { token_endpoint_auth_method: 'none' }),
      redirect_uris: app.redirectUris,
      post_logout_redirect_uris: app.postLogoutRedirectUris,
      // With sid required, the ID token names the provider session and each logout token
      // names it too: an app ends exactly the session that ended (say an impersonation's),
      // not the user's other sessions in the app.
      ...(app.backchannelLogoutUri
        ? { backchannel_logout_uri: app.backchannelLogoutUri, backchannel_logout_session_required: true }
        : {}),
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      scope: app.scopes.join(' '),
    };
  }
}

import type { Database, Db } from '../db/database.ts';
import type { Clock } from '../shared/clock.ts';
import { AppError } from '../shared/errors.ts';
import type { AuthedContext, RequestContext } from '../shared/request-context.ts';
import { authorize } from '../permissions/authorize.ts';
import {
  capabilityDescriptions,
  coreCapabilities,
  extensionPattern,
  maxAdditions,
  reservedNamespaces,
} from '../permissions/capabilities.ts';
import { diff, recordAudit } from '../audit/audit.ts';
import {
  applySettingsPatch,
  defaultSettings,
  readSettingsDocument,
  type Settings,
  type SettingsPatch,
} from './settings.schema.ts';
import { insertSettingsRow, readSettingsRow, updateSettingsRow } from './settings.store.ts';
import { checkPasswordLoginOff } from '../linked-accounts/login-page-rule.ts';

export interface VersionedSettings {
  settings: Settings;
  version: number;
}

/**
 * Settings are read on every login, so they are cached in memory; every instance drops its
 * copy when any instance changes them (broadcast 'settings').
 */
export class SettingsService {
  private cached: VersionedSettings | null = null;
  /** Counts invalidations, so that a read that raced with one is not cached. */
  private generation = 0;
  private readonly database: Database;
  private readonly clock: Clock;

  constructor(database: Database, clock: Clock) {
    this.database = database;
    this.clock = clock;
    database.onBroadcast((m) => {
      if (m === 'settings' || m === '*') this.forget();
    });
  }

  /**
   * The settings, from the cache or read through `db`. Inside a transaction pass it (`trx`):
   * the outer handle is unreachable there (issue 7 #17: a cold cache hung SQLite).
   */
  async current(db: Db = this.database.db): Promise<VersionedSettings> {
    if (this.cached) return this.cached;
    const generation = this.generation;
    let row = await readSettingsRow(db);
    if (!row) {
      await insertSettingsRow(db, JSON.stringify(defaultSettings), this.clock.now());
      row = await readSettingsRow(db);
    }
    const value = { settings: readSettingsDocument(JSON.parse(row!.document)), version: row!.version };
    // A read that began before a change (here or on another instance) must not outlive the
    // invalidation that followed it.
    if (generation === this.generation) this.cached = value;
    return value;
  }

  /** Drops this instance's copy (after a change, or when another instance reports one). */
  forget(): void {
    this.cached = null;
    this.generation++;
  }

  /** The cached settings, or null when they must be read first (see current). */
  peek(): Settings | null {
    return this.cached?.settings ?? null;
  }

  async get(db?: Db): Promise<Settings> {
    return (await this.current(db)).settings;
  }

  /** The settings as an administrator reads them (needs `settings.read`). */
  async read(ctx: AuthedContext): Promise<VersionedSettings> {
    authorize(ctx, 'settings.read');
    return this.current();
  }

  /** R-IMP-04: the capabilities blocked while acting, and what may be added (needs `settings.read`). */
  capabilityCatalogue(ctx: AuthedContext) {
    authorize(ctx, 'settings.read');
    return {
      core: coreCapabilities.map((name) => ({ name, description: capabilityDescriptions[name] })),
      extension: {
        pattern: extensionPattern.source,
        reservedNamespaces: [...reservedNamespaces],
        maxAdditions,
      },
    };
  }

  /** An administrator's change (needs `settings.manage`). */
  async update(ctx: AuthedContext, patch: SettingsPatch, ifMatch: number | null): Promise<VersionedSettings> {
    authorize(ctx, 'settings.manage');
    return this.apply(ctx, patch, ifMatch);
  }

  /** The operator's change from the server's host: nobody to authorize (src/ops/operator.ts). */
  async updateAsOperator(ctx: RequestContext, patch: SettingsPatch): Promise<VersionedSettings> {
    return this.apply(ctx, patch, null);
  }

  private async apply(
    ctx: RequestContext,
    patch: SettingsPatch,
    ifMatch: number | null,
  ): Promise<VersionedSettings> {
    const before = await this.current();
    if (ifMatch !== null && ifMatch !== before.version) {
      throw new AppError('precondition_failed', 'The settings were changed by someone else; reload them.');
    }
    const next = applySettingsPatch(before.settings, patch);
    const changes = diff(flatten(before.settings), flatten(next));
    // Nothing changes: no write, no event, and the version stays, so that other
    // administrators' open forms (If-Match) do not go stale for nothing.
    if (Object.keys(changes).length === 0) return before;
    await this.database.transaction(async (trx) => {
      const ok = await updateSettingsRow(trx, JSON.stringify(next), before.version, this.clock.now());
      if (!ok)
        throw new AppError('precondition_failed', 'The settings were changed by someone else; reload them.');
      // R-ADM-17: checked after the compare-and-set, inside its transaction, so that two
      // administrators switching it at once are serialized on the settings row.
      if (before.settings.login.passwordLoginEnabled && !next.login.passwordLoginEnabled) {
        await checkPasswordLoginOff(trx, ctx);
      }
      await recordAudit(trx, this.clock, ctx, {
        action: 'settings.updated',
        target: { type: 'settings', id: null, label: 'settings' },
        changes,
      });
    });
    this.forget();
    await this.database.broadcast('invalidate', 'settings');
    return this.current();
  }
}

function flatten(s: Settings): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [section, values] of Object.entries(s)) {
    for (const [k, v] of Object.entries(values as object)) out[`${section}.${k}`] = v;
  }
  return out;
}

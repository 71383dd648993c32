import type { Database } from '../db/database.ts';
import type { Clock } from '../shared/clock.ts';
import type { AuthedContext } from '../shared/request-context.ts';
import { recordAudit } from '../audit/audit.ts';
import {
  deleteUserPreference,
  impersonationPreferences,
  upsertImpersonationPreference,
  upsertUserPreference,
  userPreferences,
} from './preferences.store.ts';

/** Stored for a preference removed while acting: hides the user's own value until the end. */
const removed = 'null';

/** Pure: the user's preferences with the impersonation's writes laid over them. */
export function mergePreferences(
  own: ReadonlyArray<{ key: string; value: string }>,
  overlay: ReadonlyArray<{ key: string; value: string }>,
): Record<string, unknown> {
  const merged = new Map(own.map((p) => [p.key, p.value]));
  for (const p of overlay) merged.set(p.key, p.value);
  const out: Record<string, unknown> = {};
  for (const [key, value] of [...merged].sort(([a], [b]) => a.localeCompare(b))) {
    if (value !== removed) out[key] = JSON.parse(value) as unknown;
  }
  return out;
}

export class PreferencesService {
  private readonly database: Database;
  private readonly clock: Clock;

  constructor(deps: { database: Database; clock: Clock }) {
    this.database = deps.database;
    this.clock = deps.clock;
  }

  async list(ctx: AuthedContext): Promise<Record<string, unknown>> {
    const db = this.database.db;
    const own = await userPreferences(db, ctx.user.id);
    const overlay = ctx.impersonationId ? await impersonationPreferences(db, ctx.impersonationId) : [];
    return mergePreferences(own, overlay);
  }

  /** `value` undefined removes the preference. While acting, only the impersonation's copy changes. */
  async set(ctx: AuthedContext, key: string, value: unknown): Promise<void> {
    const now = this.clock.now();
    const json = value === undefined ? removed : JSON.stringify(value);
    await this.database.transaction(async (trx) => {
      if (ctx.impersonationId) {
        await upsertImpersonationPreference(trx, ctx.impersonationId, key, json, now);
      } else if (value === undefined) {
        await deleteUserPreference(trx, ctx.user.id, key);
      } else {
        await upsertUserPreference(trx, ctx.user.id, key, json, now);
      }
      await recordAudit(trx, this.clock, ctx, {
        action: value === undefined ? 'preference.removed' : 'preference.set',
        target: { type: 'user', id: ctx.user.id, label: ctx.user.displayName },
        details: { key, kept: ctx.impersonationId === null },
      });
    });
  }
}

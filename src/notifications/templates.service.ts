import { bool, type Database, type Db } from '../db/database.ts';
import type { Clock } from '../shared/clock.ts';
import { AppError, type FieldError } from '../shared/errors.ts';
import type { AuthedContext } from '../shared/request-context.ts';
import { authorize } from '../permissions/authorize.ts';
import { diff, recordAudit } from '../audit/audit.ts';
import { renderTemplate, sampleFacts, unknownVariables, variablesFor } from './render.ts';
import {
  defaultTemplates,
  isNotificationType,
  isTemplateLanguage,
  notificationTypes,
  templateLanguages,
  type NotificationType,
  type TemplateLanguage,
} from './templates.ts';
import { findTemplateRow, listTemplateRows, writeTemplateRow, type TemplateRow } from './templates.store.ts';

// The editable texts of notifications, per type and language (R-IMP-09). Changes are audited
// with before and after, and guarded by versions (If-Match), so two administrators editing
// the same text cannot overwrite each other silently (R-OPS-03).

export interface EffectiveTemplate {
  type: NotificationType;
  language: TemplateLanguage;
  subject: string;
  body: string;
  enabled: boolean;
  /** False while the built-in default is in force. */
  customized: boolean;
  /** 0 for the built-in default. */
  version: number;
  updatedAt: number | null;
}

export interface TemplateInput {
  subject: string;
  body: string;
  enabled: boolean;
}

function effectiveOf(type: NotificationType, language: TemplateLanguage, row: TemplateRow | undefined) {
  if (!row) {
    const d = defaultTemplates[type][language];
    return { type, language, ...d, enabled: true, customized: false, version: 0, updatedAt: null };
  }
  return {
    type,
    language,
    subject: row.subject,
    body: row.body,
    enabled: bool(row.enabled),
    customized: true,
    version: row.version,
    updatedAt: row.updated_at,
  };
}

/** The type and language a path names, or 404. */
export function templateKey(
  type: string,
  language: string,
): { type: NotificationType; language: TemplateLanguage } {
  if (!isNotificationType(type) || !isTemplateLanguage(language)) {
    throw new AppError('template_not_found', `There is no notification template ${type} in ${language}.`);
  }
  return { type, language };
}

export class TemplatesService {
  private readonly database: Database;
  private readonly clock: Clock;

  constructor(deps: { database: Database; clock: Clock }) {
    this.database = deps.database;
    this.clock = deps.clock;
  }

  /** The template in force, read in the caller's transaction. */
  async effective(db: Db, type: NotificationType, language: TemplateLanguage): Promise<EffectiveTemplate> {
    return effectiveOf(type, language, await findTemplateRow(db, type, language));
  }

  async list(ctx: AuthedContext): Promise<EffectiveTemplate[]> {
    authorize(ctx, 'notifications.manage');
    const rows = await listTemplateRows(this.database.db);
    const out: EffectiveTemplate[] = [];
    for (const type of notificationTypes) {
      for (const language of templateLanguages) {
        out.push(
          effectiveOf(
            type,
            language,
            rows.find((r) => r.type === type && r.language === language),
          ),
        );
      }
    }
    return out;
  }

  async get(ctx: AuthedContext, type: string, language: string): Promise<EffectiveTemplate> {
    authorize(ctx, 'notifications.manage');
    const key = templateKey(type, language);
    return this.effective(this.database.db, key.type, key.language);
  }

  async update(
    ctx: AuthedContext,
    type: string,
    language: string,
    input: TemplateInput,
    ifMatch: number | null,
  ): Promise<EffectiveTemplate> {
    authorize(ctx, 'notifications.manage');
    const key = templateKey(type, language);
    checkVariables(input);
    const stale = () =>
      new AppError('precondition_failed', 'The template was changed by someone else; reload it.');
    return this.database.transaction(async (trx) => {
      const before = await this.effective(trx, key.type, key.language);
      if (ifMatch !== null && ifMatch !== before.version) throw stale();
      const now = this.clock.now();
      const ok = await writeTemplateRow(trx, before.version, { ...key, ...input, updated_at: now });
      if (!ok) throw stale();
      const after = await this.effective(trx, key.type, key.language);
      const pick = (t: EffectiveTemplate) => ({ subject: t.subject, body: t.body, enabled: t.enabled });
      await recordAudit(trx, this.clock, ctx, {
        action: 'notification_template.updated',
        target: {
          type: 'settings',
          id: `${key.type}/${key.language}`,
          label: `notification template ${key.type} (${key.language})`,
        },
        changes: diff(pick(before), pick(after)),
        details: { version: after.version },
      });
      return after;
    });
  }

  /** Renders a template (the stored one, or the text given) with example values. */
  async preview(
    ctx: AuthedContext,
    type: string,
    language: string,
    draft: { subject?: string | undefined; body?: string | undefined },
  ): Promise<{ subject: string; body: string; unknownVariables: string[] }> {
    const current = await this.get(ctx, type, language);
    const subject = draft.subject ?? current.subject;
    const body = draft.body ?? current.body;
    const values = variablesFor(sampleFacts(this.clock.now(), current.language), current.language);
    return {
      subject: renderTemplate(subject, values),
      body: renderTemplate(body, values),
      unknownVariables: [...new Set([...unknownVariables(subject), ...unknownVariables(body)])],
    };
  }
}

/** R-OPS-03: a misspelt variable would reach users as `{actr}`; refuse it with a clear error. */
function checkVariables(input: TemplateInput): void {
  const errors: FieldError[] = [];
  for (const field of ['subject', 'body'] as const) {
    const unknown = unknownVariables(input[field]);
    if (unknown.length > 0) {
      const variables = unknown.map((u) => `{${u}}`).join(', ');
      errors.push({
        field,
        message: `unknown variable ${variables}`,
        kind: 'unknown_variable',
        params: { variables },
      });
    }
  }
  if (errors.length > 0) {
    throw new AppError('validation_failed', 'The template uses variables that do not exist.', {
      fieldErrors: errors,
    });
  }
}

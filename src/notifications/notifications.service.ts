import type { Database, Tx } from '../db/database.ts';
import type { Clock } from '../shared/clock.ts';
import { AppError } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import type { Principal, RequestContext } from '../shared/request-context.ts';
import { decodeKeysetCursor, encodeKeysetCursor } from '../shared/keyset-cursor.ts';
import { enqueueMail } from '../mail/mail.ts';
import type { SettingsService } from '../settings/settings.service.ts';
import { canMarkRead, visibleReadState } from './read-rule.ts';
import { renderTemplate, variablesFor, type NotificationVariables } from './render.ts';
import {
  isTemplateLanguage,
  mailOnlyWords,
  type NotificationType,
  type TemplateLanguage,
} from './templates.ts';
import type { TemplatesService } from './templates.service.ts';
import {
  findRecipient,
  countUnread,
  findNotification,
  insertNotification,
  listNotifications,
  markNotificationRead,
} from './notifications.store.ts';

// Notifications (R-IMP-09): written in the platform and, where possible, queued as e-mail, both
// inside the transaction of the event that causes them. So a committed impersonation start or end
// always has its notification and its mail, and a rolled-back one has neither (R-OPS-03).

export interface NotifyInput {
  userId: string;
  type: NotificationType;
  variables: NotificationVariables;
  impersonationId?: string | null;
  /**
   * Issue 12 #3: values only the mail carries (the consent link). The in-platform copy says where
   * to find it instead: an administrator acting as the user reads their notifications, not their mail.
   */
  mailOnly?: { link: string } | undefined;
}

export interface NotifyResult {
  /** Null when the template is disabled or the user no longer exists. */
  notificationId: string | null;
  /** Null when no mail was queued (e-mail off, template disabled, no address). */
  outboxId: string | null;
}

export interface NotificationView {
  id: string;
  type: string;
  read: boolean;
  title: string;
  body: string;
  createdAt: string;
}

interface Deps {
  database: Database;
  clock: Clock;
  settings: SettingsService;
  templates: TemplatesService;
  /** Called after a mail was queued, so delivery starts soon (mail-worker.ts wake()). */
  wakeMailer: () => void;
}

type SignedIn = RequestContext & { user: Principal };

export class NotificationsService {
  private readonly deps: Deps;

  constructor(deps: Deps) {
    this.deps = deps;
  }

  /**
   * Notifies a user, inside the caller's transaction `trx`. Writes the in-platform notification
   * in the user's language and, when e-mail notifications are on and the user has a primary
   * address, queues the same text as a mail. A disabled template sends neither.
   */
  async notify(trx: Tx, input: NotifyInput): Promise<NotifyResult> {
    const { clock, settings, templates } = this.deps;
    const user = await findRecipient(trx, input.userId);
    // A user deleted in the same transaction before the caller got here has nobody to tell.
    if (!user) return { notificationId: null, outboxId: null };
    const language: TemplateLanguage = isTemplateLanguage(user.language) ? user.language : 'en';
    const template = await templates.effective(trx, input.type, language);
    if (!template.enabled) return { notificationId: null, outboxId: null };

    const values = variablesFor(input.variables, language);
    if (input.mailOnly) values.link = mailOnlyWords[language];
    const title = renderTemplate(template.subject, values);
    const body = renderTemplate(template.body, values);
    const now = clock.now();
    const notificationId = newId(now);
    await insertNotification(trx, {
      id: notificationId,
      user_id: user.id,
      type: input.type,
      title,
      body,
      impersonation_id: input.impersonationId ?? null,
      created_at: now,
      read_at: null,
    });

    // Through the transaction: the outer handle is unreachable inside it (issue 7 #17).
    const { notifications } = await settings.get(trx);
    let outboxId: string | null = null;
    if (notifications.emailEnabled && user.primary_email) {
      // Subjects are one line: an administrator's template cannot add mail headers.
      const subject = title.replace(/[\r\n]+/g, ' ');
      outboxId = await enqueueMail(
        trx,
        clock,
        {
          to: user.primary_email,
          subject,
          text: input.mailOnly ? renderTemplate(template.body, { ...values, ...input.mailOnly }) : body,
        },
        'notification',
      );
      this.deps.wakeMailer();
    }
    return { notificationId, outboxId };
  }

  /** The signed-in user's notifications, newest first, as this session may see them. */
  async list(
    ctx: SignedIn,
    page: { limit: number; cursor?: string | undefined },
  ): Promise<{ items: NotificationView[]; unreadCount: number; nextCursor: string | null }> {
    const db = this.deps.database.db;
    const reader = { impersonating: ctx.impersonationId !== null };
    const rows = await listNotifications(db, {
      userId: ctx.user.id,
      before: page.cursor === undefined ? undefined : decodeKeysetCursor(page.cursor),
      limit: page.limit + 1,
    });
    const shown = rows.slice(0, page.limit);
    const last = shown.at(-1);
    const unreadCount = await countUnread(db, ctx.user.id, reader.impersonating ? 'impersonation.' : null);
    return {
      items: shown.map((r) => ({
        id: r.id,
        type: r.type,
        read: visibleReadState(reader, { type: r.type, readAt: r.read_at }),
        title: r.title,
        body: r.body,
        createdAt: new Date(r.created_at).toISOString(),
      })),
      unreadCount,
      nextCursor:
        rows.length > page.limit && last
          ? encodeKeysetCursor({ createdAt: last.created_at, id: last.id })
          : null,
    };
  }

  /** Marks one of the signed-in user's notifications read. */
  async markRead(ctx: SignedIn, id: string): Promise<void> {
    const { database, clock } = this.deps;
    const row = await findNotification(database.db, id);
    // Someone else's notification answers like a missing one: ids reveal nothing.
    if (!row || row.user_id !== ctx.user.id) {
      throw new AppError('notification_not_found', 'There is no such notification.');
    }
    const impersonating = ctx.impersonationId !== null;
    if (!canMarkRead({ impersonating }, row)) {
      throw new AppError(
        'blocked_during_impersonation',
        'Acting as this user marks nothing read: the user finds unread what they have not read themselves.',
      );
    }
    // A user reading their own messages is not an administrative event and stays out of the
    // trail; an acting administrator cannot mark anything read (issue 12 #6).
    await markNotificationRead(database.db, id, clock.now());
  }
}

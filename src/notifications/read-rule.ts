// R-IMP-09: the impersonated session can neither mark the notifications about impersonation
// read nor see them as read, so the subject always finds them unread, whatever the actor does.
// Pure; tested by a table (render.test.ts).

export interface ReaderContext {
  /** The request runs inside an impersonation (RequestContext.impersonationId !== null). */
  impersonating: boolean;
}

export interface NotificationReadFacts {
  type: string;
  readAt: number | null;
}

export function isImpersonationNotice(type: string): boolean {
  return type.startsWith('impersonation.');
}

/** Whether the reader is shown the notification as read. */
export function visibleReadState(ctx: ReaderContext, n: NotificationReadFacts): boolean {
  if (ctx.impersonating && isImpersonationNotice(n.type)) return false;
  return n.readAt !== null;
}

/**
 * Whether the reader may mark the notification read. Issue 12 #6, no side effects: while acting,
 * nothing is marked read, so the user finds unread whatever they had not read themselves.
 */
export function canMarkRead(ctx: ReaderContext, _n: Pick<NotificationReadFacts, 'type'>): boolean {
  return !ctx.impersonating;
}

import { useEffect, useRef, useState } from 'react';
import { previewImpersonation, type ImpersonationPreview } from '../../api/users.ts';
import type { Session, UserListItem } from '../../api/types.ts';

// R-IMP-01, R-IMP-02: whether "Log in as" is on for a row comes from the server's preview of that
// start. Rows whose answer is certain from the list itself (yourself, a superadmin, an inactive
// user) ask nothing; every other row shown asks once, a few at a time, and keeps the answer.

export type PreviewState =
  { status: 'loading' } | { status: 'ready'; preview: ImpersonationPreview } | { status: 'failed' };

/** The refusal code that is certain without asking the server, or null. */
export function certainRefusal(session: Session, user: UserListItem): string | null {
  if (user.id === session.user.id) return 'self';
  if (user.role === 'superadmin') return 'subject_is_superadmin';
  if (!user.active) return 'subject_inactive';
  return null;
}

const parallel = 4;

export function useImpersonationPreviews(users: UserListItem[], session: Session | null, enabled: boolean) {
  const [states, setStates] = useState<Record<string, PreviewState>>({});
  const asked = useRef(new Set<string>());
  // The rows shown that need the server's answer; stable while the same page is on screen.
  const key =
    enabled && session
      ? users
          .filter((u) => certainRefusal(session, u) === null)
          .map((u) => u.id)
          .join(',')
      : '';
  useEffect(() => {
    const pending = asked.current;
    const queue = key ? key.split(',').filter((id) => !pending.has(id)) : [];
    for (const id of queue) pending.add(id);
    let live = true;
    const work = async () => {
      for (let id = queue.shift(); id !== undefined && live; id = queue.shift()) {
        const done = id;
        try {
          const preview = await previewImpersonation(done);
          setStates((s) => ({ ...s, [done]: { status: 'ready', preview } }));
        } catch {
          setStates((s) => ({ ...s, [done]: { status: 'failed' } }));
        }
      }
    };
    for (let i = 0; i < Math.min(parallel, queue.length); i++) void work();
    return () => {
      // Not asked after all (the page moved on): ask again when the row comes back.
      live = false;
      for (const id of queue) pending.delete(id);
    };
  }, [key]);
  return (id: string): PreviewState => states[id] ?? { status: 'loading' };
}

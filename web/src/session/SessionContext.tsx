import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState } from 'react';
import type { ReactNode } from 'react';
import { getSession, logout } from '../api/auth.ts';
import { isApiError, onUnauthorized } from '../api/client.ts';
import type { EndedImpersonation, Impersonation, Session } from '../api/types.ts';
import { setLanguage } from '../i18n/index.ts';

// Who is signed in, from GET /api/v1/session: the one source for navigation by permission,
// the interface language and the impersonation banner. Every page reads it through useSession().

export type SessionState =
  | { status: 'loading' }
  | { status: 'anonymous' }
  | { status: 'signed-in'; session: Session }
  /** The server answered 401 while this browser was acting as someone: expired or ended. */
  | { status: 'impersonation-lost'; impersonation: Impersonation; subjectName: string };

export interface SessionApi {
  state: SessionState;
  /** The session when signed in, else null. */
  session: Session | null;
  /** Asks the server again (after sign-in, accepting terms, or when something changed). */
  refresh: () => Promise<Session | null>;
  signOut: () => Promise<void>;
  /**
   * Issue 10 #5: an impersonation of this administrator's that ended while this page was away
   * (expired, ended elsewhere); their own session is back. Shown until dismissed.
   */
  ended: EndedImpersonation | null;
  dismissEnded: () => void;
}

const SessionContext = createContext<SessionApi | null>(null);

/** While acting as someone, the session is asked again this often, to notice an end at once. */
const impersonationPollMs = 20_000;

export function SessionProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<SessionState>({ status: 'loading' });
  const [ended, setEnded] = useState<EndedImpersonation | null>(null);
  /** A 401 on the administrator's own page is asked about once before it counts as signed out. */
  const resuming = useRef(false);
  const refreshRef = useRef<() => Promise<Session | null>>(async () => null);
  const stateRef = useRef(state);
  useEffect(() => {
    stateRef.current = state;
  }, [state]);

  /** A 401 ends the session; during an impersonation it is shown as such, with the way back. */
  const lose = useCallback(() => {
    const current = stateRef.current;
    if (current.status === 'signed-in' && current.session.impersonation) {
      setState({
        status: 'impersonation-lost',
        impersonation: current.session.impersonation,
        subjectName: current.session.user.displayName,
      });
    } else if (current.status === 'signed-in' && !resuming.current) {
      // Issue 10 #5: the administrator's original tab meets the 401 of an impersonation that ran
      // in another tab and has ended. Asking the session again gives their own session back (the
      // server checks the proof) and says what ended, instead of the bare sign-in form.
      resuming.current = true;
      void refreshRef.current().finally(() => {
        resuming.current = false;
      });
    } else if (current.status !== 'impersonation-lost') {
      setState({ status: 'anonymous' });
    }
  }, []);

  const refresh = useCallback(async (): Promise<Session | null> => {
    try {
      const current = stateRef.current;
      const acting =
        current.status === 'impersonation-lost' ||
        (current.status === 'signed-in' && current.session.impersonation !== null);
      const session = await getSession(undefined, acting);
      // Another tab went back meanwhile (the tabs share the cookie): start this page afresh as
      // the administrator, so that no page of the subject is left to act on the wrong account.
      if (acting && session.impersonation === null) {
        window.location.assign('/');
        return null;
      }
      // The user's own language, kept for the sign-in page too; while acting as someone, the
      // subject's language shows but is not taken over as this browser's choice.
      setLanguage(session.user.language, { remember: session.impersonation === null });
      if (session.resumedAfter) setEnded(session.resumedAfter);
      setState({ status: 'signed-in', session });
      return session;
    } catch (error) {
      if (isApiError(error) && error.status === 401) {
        lose();
        return null;
      }
      // A network failure keeps what we knew; the next refresh tries again.
      if (stateRef.current.status === 'loading') setState({ status: 'anonymous' });
      return null;
    }
  }, [lose]);

  useEffect(() => {
    refreshRef.current = refresh;
  }, [refresh]);

  const dismissEnded = useCallback(() => setEnded(null), []);

  const signOut = useCallback(async () => {
    try {
      await logout();
    } finally {
      setState({ status: 'anonymous' });
    }
  }, []);

  useEffect(() => {
    // refresh() sets state only once the server has answered, never synchronously.
    void refresh();
  }, [refresh]);

  // Any request that meets a 401 tells us the session is gone.
  useEffect(() => onUnauthorized(() => lose()), [lose]);

  // Another tab may have started or ended an impersonation (they share the cookie): ask again
  // when this tab comes back into view, and regularly while acting as someone.
  const impersonating = state.status === 'signed-in' && state.session.impersonation !== null;
  useEffect(() => {
    const onVisible = () => {
      if (document.visibilityState === 'visible') void refresh();
    };
    document.addEventListener('visibilitychange', onVisible);
    window.addEventListener('focus', onVisible);
    const timer = impersonating ? window.setInterval(() => void refresh(), impersonationPollMs) : undefined;
    return () => {
      document.removeEventListener('visibilitychange', onVisible);
      window.removeEventListener('focus', onVisible);
      if (timer !== undefined) window.clearInterval(timer);
    };
  }, [refresh, impersonating]);

  const value = useMemo<SessionApi>(
    () => ({
      state,
      session: state.status === 'signed-in' ? state.session : null,
      refresh,
      signOut,
      ended,
      dismissEnded,
    }),
    [state, refresh, signOut, ended, dismissEnded],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionApi {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession() outside <SessionProvider>');
  return value;
}

import type { ReactNode } from 'react';
import { Container, Paper } from '@mantine/core';
import { Navigate, useLocation } from 'react-router';
import { useSession } from '../session/SessionContext.tsx';
import { TermsPrompt } from './TermsPrompt.tsx';
import { signInPath, type Area } from './SignInPage.tsx';

/**
 * Shows its children only to a signed-in person: others go to the area's sign-in page (and come
 * back here afterwards). Pending terms are asked for first (R-IMP-12); while acting as someone
 * the administrator accepted on the user's behalf at the start, so nothing is asked then.
 */
export function RequireSignIn({ area, children }: { area: Area; children: ReactNode }) {
  const { session, refresh } = useSession();
  const location = useLocation();
  if (!session) {
    const next = encodeURIComponent(location.pathname + location.search);
    return <Navigate to={`${signInPath[area]}?next=${next}`} replace />;
  }
  if (session.pendingTerms.length > 0 && !session.impersonation) {
    return (
      <Container size="sm" py="xl">
        <Paper withBorder p="xl" component="main">
          <TermsPrompt onAccepted={async () => void (await refresh())} onDeclined={() => void refresh()} />
        </Paper>
      </Container>
    );
  }
  return <>{children}</>;
}

import { ApprovalRequests } from '../../components/ApprovalRequests.tsx';
import { decideConsent, myConsentRequests } from '../../api/approvals.ts';
import { useSession } from '../../session/SessionContext.tsx';

/**
 * Issue 12 #3: the requests waiting for the user's consent, above "who acted as me". Hidden while
 * an administrator acts as the user: consent is the user's own, never given on their behalf.
 */
export function ConsentRequestsSection() {
  const { session } = useSession();
  if (!session || session.impersonation) return null;
  return <ApprovalRequests area="consent" load={myConsentRequests} decide={decideConsent} />;
}

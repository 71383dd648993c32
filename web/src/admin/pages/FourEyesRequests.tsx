import { ApprovalRequests } from '../../components/ApprovalRequests.tsx';
import { decideFourEyes, fourEyesRequests } from '../../api/approvals.ts';

/** Issue 12 #4: on the Impersonations page, the requests this administrator may approve. */
export function FourEyesRequests() {
  return <ApprovalRequests area="fourEyes" load={fourEyesRequests} decide={decideFourEyes} hideWhenEmpty />;
}

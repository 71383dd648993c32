import { call, client } from './client.ts';
import type { Schemas } from './types.ts';

// Issue 12 #5: proving the password or authenticator code again, for an impersonation start
// that needs a recent proof (POST /api/v1/session/step-up).

/** What the impersonation preview says about step-up. */
export type StepUpStatus = Schemas['ImpersonationPreview']['stepUp'];
export type StepUpMethod = StepUpStatus['methods'][number];

export const proveStepUp = (proof: { password: string } | { code: string }) =>
  call(client.POST('/api/v1/session/step-up', { body: proof }));

/** Accounts with e-mail codes: sends one to the primary address (valid 10 minutes). */
export const sendStepUpCode = () => call(client.POST('/api/v1/session/step-up/code'));

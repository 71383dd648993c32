import { api } from './client.ts';

// Issue 12 #5: proving the password or authenticator code again, for an impersonation start
// that needs a recent proof (POST /api/v1/session/step-up).

export type StepUpMethod = 'password' | 'totp' | 'email';

/** What the impersonation preview says about step-up. */
export interface StepUpStatus {
  required: boolean;
  minutes: number;
  methods: StepUpMethod[];
}

export const proveStepUp = (proof: { password: string } | { code: string }) =>
  api.post<{ provenAt: string }>('/api/v1/session/step-up', proof);

/** Accounts with e-mail codes: sends one to the primary address (valid 10 minutes). */
export const sendStepUpCode = () => api.post<null>('/api/v1/session/step-up/code');

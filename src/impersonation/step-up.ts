// Issue 12 #5, R-IMP-17, step-up: with the setting `impersonation.stepUpMinutes` above 0, an
// actor must have proved a credential on the server (signing in, or proving again at
// POST /api/v1/session/step-up) within that many minutes before starting. 0 switches it off.
// Pure; tested by a table (step-up.test.ts).

export interface StepUpFacts {
  /** The setting: how old a proof may be, in minutes; 0: no step-up. */
  windowMinutes: number;
  /** When the actor's session last proved a credential; null: never (a session from before). */
  provenAt: number | null;
  now: number;
}

export type StepUpDecision = { required: false } | { required: true; minutes: number };

export function decideStepUp(f: StepUpFacts): StepUpDecision {
  if (f.windowMinutes <= 0) return { required: false };
  // A proof exactly `windowMinutes` old still counts ("within the last N minutes").
  if (f.provenAt !== null && f.now - f.provenAt <= f.windowMinutes * 60_000) return { required: false };
  return { required: true, minutes: f.windowMinutes };
}

/** The ways an actor can prove again: their password, and the second factor they enrolled. */
export type StepUpMethod = 'password' | 'totp' | 'email';

export function stepUpMethods(account: { hasPassword: boolean; twoFactorMethod: string }): StepUpMethod[] {
  const methods: StepUpMethod[] = [];
  if (account.hasPassword) methods.push('password');
  if (account.twoFactorMethod === 'totp') methods.push('totp');
  // A code by e-mail, sent on request (POST /api/v1/session/step-up/code).
  if (account.twoFactorMethod === 'email') methods.push('email');
  return methods;
}

import type { Db } from '../db/database.ts';
import type { AuthedContext } from '../shared/request-context.ts';
import { AppError } from '../shared/errors.ts';
import { findProvenAt } from '../sessions/proof.store.ts';
import { findUserRow } from '../users/users.store.ts';
import { decideStepUp, stepUpMethods, type StepUpMethod } from './step-up.ts';

// Issue 12 #5: the facts the step-up rule needs, read from the actor's own session, for the
// start (refuses) and the preview (reports). Apart from the start so that other checks added
// to it merge cleanly.

export interface StepUpStatus {
  /** The actor must prove again (POST /api/v1/session/step-up) before starting. */
  required: boolean;
  /** The setting: how recent a proof must be; 0: no step-up. */
  minutes: number;
  /** How this actor can prove: their password, their authenticator app. */
  methods: StepUpMethod[];
}

export async function stepUpStatus(
  db: Db,
  now: number,
  windowMinutes: number,
  ctx: AuthedContext,
): Promise<StepUpStatus> {
  if (windowMinutes <= 0 || !ctx.session) return { required: false, minutes: 0, methods: [] };
  const provenAt = await findProvenAt(db, ctx.session.id);
  const decision = decideStepUp({ windowMinutes, provenAt, now });
  const row = await findUserRow(db, ctx.user.id);
  const methods = stepUpMethods({
    hasPassword: row?.password_hash != null,
    twoFactorMethod: row?.two_factor_method ?? 'none',
  });
  return { required: decision.required, minutes: windowMinutes, methods };
}

/** Refuses the start with `step_up_required` (naming the minutes and the methods) when needed. */
export async function assertStepUp(db: Db, now: number, windowMinutes: number, ctx: AuthedContext) {
  const status = await stepUpStatus(db, now, windowMinutes, ctx);
  if (!status.required) return;
  throw new AppError(
    'step_up_required',
    `Confirm who you are (password or code) first: starting needs a proof from the last ${status.minutes} minutes.`,
    { extra: { minutes: status.minutes, methods: status.methods } },
  );
}

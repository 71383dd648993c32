import type { Db } from '../db/database.ts';
import { AppError } from '../shared/errors.ts';
import type { RequestContext } from '../shared/request-context.ts';
import { listShownLoginServices } from '../login-services/login-services.store.ts';
import { countUsableLinks } from './linked-accounts.store.ts';
import { passwordLoginSwitchOffRefusal } from './linked-account.ts';

const messages = {
  password_login_needs_service:
    'Password login can only be switched off while at least one login service is shown on the sign-in page.',
  password_login_needs_own_link:
    'Password login can only be switched off while you can still sign in yourself: link your account at a login service shown on the sign-in page first.',
} as const;

/**
 * R-ADM-17, inside the settings change's transaction: refuses switching password login off
 * when nobody, or at least not the administrator doing it, could sign in afterwards. The person
 * who must get back in is the one really acting (the actor while acting as someone else).
 */
export async function checkPasswordLoginOff(trx: Db, ctx: RequestContext): Promise<void> {
  const person = ctx.actor ?? ctx.user;
  const shown = (await listShownLoginServices(trx)).length;
  const own = person ? await countUsableLinks(trx, person.id) : 0;
  const refusal = passwordLoginSwitchOffRefusal(shown, own);
  if (refusal) throw new AppError(refusal, messages[refusal]);
}

import type { Tx } from '../db/database.ts';
import type { AuthedContext } from '../shared/request-context.ts';
import type { Clock } from '../shared/clock.ts';
import { AppError } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import { findEmail, planAddEmail, planRemoveEmail, planSetPrimary, planVerify } from './emails.ts';
import { deleteEmailRow, findVerifiedOwner, markEmailVerified, setPrimaryEmail } from './emails.store.ts';
import { insertEmailRow } from './users.store.ts';
import type { UserAggregate, UsersService } from './users.service.ts';

// R-ADM-09: an administrator's changes to a user's addresses. Each one goes through
// UsersService.change, so it is authorized (R-ADM-08), honours If-Match, bumps the user's
// version, keeps users.primary_email and users.search_text in step and is audited, all in one
// transaction. No confirmation mail is sent: the administrator vouches for the address.

export class EmailsService {
  private readonly users: UsersService;
  private readonly clock: Clock;

  constructor(deps: { users: UsersService; clock: Clock }) {
    this.users = deps.users;
    this.clock = deps.clock;
  }

  add(
    ctx: AuthedContext,
    userId: string,
    ifMatch: number | null,
    input: { address: string; verified: boolean },
  ): Promise<UserAggregate> {
    return this.users.change(ctx, userId, ifMatch, 'users.update', ({ user, emails }) => {
      const planned = planAddEmail(user, emails, input);
      const now = this.clock.now();
      planned.alsoInTransaction = async (trx) => {
        if (input.verified) await ensureNotVerifiedElsewhere(trx, userId, input.address);
        await insertEmailRow(trx, {
          id: newId(now),
          user_id: userId,
          address: input.address,
          address_lower: input.address.toLowerCase(),
          verified: input.verified,
          verified_at: input.verified ? now : null,
          is_primary: false,
          created_at: now,
        });
      };
      return planned;
    });
  }

  setPrimary(ctx: AuthedContext, userId: string, ifMatch: number | null, emailId: string) {
    return this.users.change(ctx, userId, ifMatch, 'users.update', ({ user, emails }) => {
      const email = findEmail(emails, emailId);
      const planned = planSetPrimary(user, emails, email);
      planned.alsoInTransaction = (trx) => setPrimaryEmail(trx, userId, email.id);
      return planned;
    });
  }

  verify(ctx: AuthedContext, userId: string, ifMatch: number | null, emailId: string) {
    return this.users.change(ctx, userId, ifMatch, 'users.update', ({ user, emails }) => {
      const email = findEmail(emails, emailId);
      const planned = planVerify(user, emails, email);
      const now = this.clock.now();
      planned.alsoInTransaction = async (trx) => {
        await ensureNotVerifiedElsewhere(trx, userId, email.address);
        await markEmailVerified(trx, userId, email.id, now);
      };
      return planned;
    });
  }

  remove(ctx: AuthedContext, userId: string, ifMatch: number | null, emailId: string) {
    return this.users.change(ctx, userId, ifMatch, 'users.update', ({ user, emails }) => {
      const email = findEmail(emails, emailId);
      const planned = planRemoveEmail(user, emails, email);
      planned.alsoInTransaction = (trx) => deleteEmailRow(trx, userId, email.id);
      return planned;
    });
  }
}

/**
 * A verified address belongs to one profile. Checked inside the transaction for a clear answer;
 * the partial unique index on verified addresses still decides a race between two profiles.
 * Connecting the two profiles is the way to bring them together (R-ADM-10).
 */
async function ensureNotVerifiedElsewhere(trx: Tx, userId: string, address: string): Promise<void> {
  const owner = await findVerifiedOwner(trx, address.toLowerCase());
  if (owner !== undefined && owner !== userId) {
    throw new AppError('email_taken', `${address} is already a verified address of another user.`, {
      fieldErrors: [
        { field: 'address', message: 'is verified in another profile', kind: 'verified_elsewhere' },
      ],
    });
  }
}

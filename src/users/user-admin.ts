import { authorize } from '../permissions/authorize.ts';
import { AppError } from '../shared/errors.ts';
import type { AuthedContext } from '../shared/request-context.ts';
import type { CreateUserInput } from './user.schemas.ts';
import type { UserAggregate, UsersService } from './users.service.ts';

// Issue 10 #19: the console's use of UsersService where no change plan carries the decision
// (UsersService.change authorizes those itself). Each function asks `authorize()` before it
// writes or reveals anything; the routes only parse, call and answer. Apart from
// users.service.ts because that module is long enough, and the operator's and bootstrap's
// paths (UsersService.create) have nobody to authorize.

/** R-ADM-01 from the console: needs `users.create`. */
export async function createUserAs(
  ctx: AuthedContext,
  users: UsersService,
  input: CreateUserInput,
): Promise<UserAggregate> {
  authorize(ctx, 'users.create');
  return users.create(ctx, input);
}

/**
 * R-ADM-03, R-IMP-02: a user as the console reads it. `inReach` says whether the caller reads by
 * reach and the user is assigned to them (OrgsService.inReachOfCaller). Outside it the caller is
 * refused before the lookup, so an ID outside a power user's reach reads the same whether or not
 * it exists.
 */
export async function readUserAs(
  ctx: AuthedContext,
  users: UsersService,
  id: string,
  inReach: boolean,
): Promise<UserAggregate> {
  if (!inReach) authorize(ctx, 'users.read');
  const agg = await users.load(id);
  authorize(ctx, 'users.read', { ...agg.user, inReach });
  return agg;
}

/**
 * R-ADM-02: an administrator cannot change a username. Asked before the body is validated, and
 * only after `users.update`, so who may not edit users at all learns only that (403).
 */
export function refuseUsernameChange(ctx: AuthedContext): never {
  authorize(ctx, 'users.update');
  throw new AppError(
    'username_admin_immutable',
    'Administrators cannot change a username; only the user can, from My Profile.',
    {
      fieldErrors: [
        { field: 'username', message: 'cannot be changed by an administrator', kind: 'admin_immutable' },
      ],
    },
  );
}

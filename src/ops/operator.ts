import type { Services } from '../services.ts';
import { operatorContext } from '../shared/request-context.ts';
import { recordAudit } from '../audit/audit.ts';
import { AppError } from '../shared/errors.ts';
import { generatePassword, passwordViolations } from '../credentials/password-policy.ts';
import { findUser, findUserRowByLogin } from '../users/users.store.ts';
import { displayName, type User } from '../users/user.ts';
import { planLoginAttemptsReset } from '../users/user-changes.ts';
import { listImpersonations } from '../impersonation/impersonation.store.ts';
import { endInOwnTransaction } from '../impersonation/ending.ts';
import { loadSigningKeys, rotateSigningKeys } from '../oidc/keys.ts';

// What an operator does on the server's host with `npm run admin -- <command>` (issue 11), when
// the admin console cannot help: nobody can sign in, every administrator is locked out, the
// login services broke. Whoever runs these holds the database and the audit keys already, so
// nothing is authorized; everything is audited all the same, with the command as the actor
// (operatorContext), through the same service paths the console uses.

/** A user by ID, username or e-mail address (as a login names them). */
export async function findUserFor(services: Services, who: string): Promise<User> {
  const db = services.database.db;
  const byId = /^[0-9a-f-]{36}$/i.test(who) ? await findUser(db, who.toLowerCase()) : undefined;
  const row = byId ? null : await findUserRowByLogin(db, who);
  const user = byId ?? (row ? await findUser(db, row.id) : undefined);
  if (!user) throw new AppError('user_not_found', `No user has the ID, username or e-mail address ${who}.`);
  return user;
}

export interface NewSuperadmin {
  email: string;
  username?: string | undefined;
  firstName: string;
  lastName: string;
  /** Unset: one is generated, and the caller shows it once. */
  password?: string | undefined;
}

export async function createSuperadmin(
  services: Services,
  input: NewSuperadmin,
): Promise<{ user: User; password: string }> {
  const policy = (await services.settings.get()).passwordPolicy;
  if (input.password !== undefined) {
    const problems = passwordViolations(policy, input.password);
    if (problems.length > 0) {
      throw new AppError('password_policy', `The password ${problems.join(', ')}.`);
    }
  }
  const password = input.password ?? generatePassword(policy);
  const created = await services.users.create(
    operatorContext('create-superadmin'),
    {
      email: input.email,
      username: input.username,
      firstName: input.firstName,
      lastName: input.lastName,
      gender: 'unspecified',
      language: 'en',
    },
    { role: 'superadmin', passwordHash: await services.hasher.hash(password), emailVerified: true },
  );
  return { user: created.user, password };
}

/**
 * A new generated password, as an administrator's PUT .../password does: every session of and
 * impersonation by or of the user ends. The caller shows the password once.
 */
export async function resetPassword(
  services: Services,
  who: string,
): Promise<{ user: User; password: string }> {
  const target = await findUserFor(services, who);
  const ctx = operatorContext('reset-password');
  const password = generatePassword((await services.settings.get()).passwordPolicy);
  const { user } = await services.userCredentials.operatorSetPassword(ctx, target.id, password);
  return { user, password };
}

/** Lifts a lockout and forgets the failed attempts (R-ADM-14), as the console's "unlock" does. */
export async function unlock(services: Services, who: string): Promise<{ user: User; wasLocked: boolean }> {
  const target = await findUserFor(services, who);
  const wasLocked = target.lockedUntil !== null && target.lockedUntil > services.clock.now();
  const { user } = await services.users.operatorChange(operatorContext('unlock'), target.id, ({ user: u }) =>
    planLoginAttemptsReset(u, services.clock.now()),
  );
  return { user, wasLocked };
}

/** The way back in when every other login service fails: password sign-in on again. */
export async function enablePasswordLogin(services: Services): Promise<{ changed: boolean }> {
  const before = await services.settings.get();
  if (before.login.passwordLoginEnabled) return { changed: false };
  await services.settings.updateAsOperator(operatorContext('enable-password-login'), {
    login: { passwordLoginEnabled: true },
  });
  return { changed: true };
}

/** Ends every active impersonation, each audited and announced as an administrator's "end now". */
export async function endAllImpersonations(services: Services): Promise<number> {
  const ctx = operatorContext('end-impersonations');
  let ended = 0;
  for (;;) {
    const active = await listImpersonations(services.database.db, { activeOnly: true, limit: 100 });
    if (active.length === 0) return ended;
    for (const imp of active) {
      if (await endInOwnTransaction(services.impersonation.ending, ctx, imp.id, 'revoked')) ended++;
    }
  }
}

/** A new OpenID Provider signing key (what `npm run oidc:rotate-keys` does), audited. */
export async function rotateKeys(services: Services): Promise<{ kid: string; published: number }> {
  const now = services.clock.now();
  await loadSigningKeys(services.database, now);
  await rotateSigningKeys(services.database, now);
  const keys = await loadSigningKeys(services.database, now);
  await recordOperatorEvent(services, 'rotate-keys', 'operator.oidc_keys_rotated', {
    kid: keys[0]!.kid,
    published: keys.length,
  });
  return { kid: keys[0]!.kid, published: keys.length };
}

/** An event of the operator's own (verification, export, backup, key rotation). */
export async function recordOperatorEvent(
  services: Services,
  command: string,
  action: string,
  details: Record<string, unknown>,
): Promise<void> {
  await services.database.transaction((trx) =>
    recordAudit(trx, services.clock, operatorContext(command), {
      action,
      target: { type: 'system', id: null, label: 'Behalf' },
      details,
    }),
  );
}

export function describeUser(user: User): string {
  return `${displayName(user)} <${user.primaryEmail ?? user.username ?? user.id}> (${user.id})`;
}

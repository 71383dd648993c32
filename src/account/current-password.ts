import type { AuthedContext } from '../shared/request-context.ts';
import { AppError } from '../shared/errors.ts';
import type { LockoutGuard } from '../auth/lockout-guard.ts';

// The current password My Profile asks for before it changes the password or switches
// two-factor authentication off (issue 7 #12). It is a password guess like a login's, so it
// counts towards the same lockout (R-ADM-14): a stolen session must not become an unlimited
// password oracle. Wrong answers `wrong_password` on `field`; a locked account answers
// `account_locked` with Retry-After (the user is signed in: the lock is theirs to know).

export async function checkCurrentPassword(
  lockout: LockoutGuard,
  ctx: AuthedContext,
  passwordHash: string,
  password: string,
  field: string,
): Promise<void> {
  const account = { id: ctx.user.id, label: ctx.user.displayName };
  const { outcome } = await lockout.password(ctx, account, passwordHash, password, {
    failedAction: 'account.wrong_password',
    onRight: 'forgive',
  });
  if (outcome === 'locked') {
    throw new AppError('account_locked', 'Too many wrong passwords: your account is locked for a while.', {
      retryAfter: await lockout.secondsLocked(ctx.user.id),
    });
  }
  if (outcome === 'wrong') {
    // Not 401: the session is fine, and a 401 tells clients that it ended.
    throw new AppError('wrong_password', 'The password is wrong.', {
      fieldErrors: [{ field, message: 'is wrong', kind: 'wrong_password' }],
    });
  }
}

import { diff } from '../audit/audit.ts';
import { AppError } from '../shared/errors.ts';
import { canGrant, type Actor } from '../permissions/can.ts';
import { denialMessages } from '../permissions/authorize.ts';
import type { GeneralPermission, SystemPermission } from '../permissions/catalogue.ts';
import type { PlannedChange } from './users.service.ts';
import type { UpdateUserInput } from './user.schemas.ts';
import { isLocked, searchTextOf, type TwoFactorMethod, type User, type UserEmail } from './user.ts';

// Pure rules for an administrator's changes to a user: each turns the current state and the
// request into the columns to write and the before/after for the audit trail, or refuses.
// UsersService runs the result (authorization, If-Match, transaction, audit).

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** R-ADM-03/05: names, gender, language, active. Fields left out stay as they are. */
export function planProfileUpdate(
  u: User,
  emails: readonly UserEmail[],
  patch: UpdateUserInput,
): PlannedChange {
  const before = {
    firstName: u.firstName,
    lastName: u.lastName,
    gender: u.gender,
    language: u.language,
    active: u.active,
    domainId: u.domainId,
  };
  const after = {
    firstName: patch.firstName ?? before.firstName,
    lastName: patch.lastName ?? before.lastName,
    gender: patch.gender ?? before.gender,
    language: patch.language ?? before.language,
    active: patch.active ?? before.active,
    // null is a value here (no domain), so only an absent field keeps the current one.
    domainId: patch.domainId === undefined ? before.domainId : patch.domainId,
  };
  const changes = diff(before, after);
  let auditAction = 'user.updated';
  // Activation is its own event: it is what an auditor looks for after an incident.
  if (changes.active) auditAction = after.active ? 'user.activated' : 'user.deactivated';
  return {
    values: {
      first_name: after.firstName,
      last_name: after.lastName,
      gender: after.gender,
      language: after.language,
      active: after.active,
      domain_id: after.domainId,
      search_text: searchTextOf(
        { ...u, firstName: after.firstName, lastName: after.lastName },
        emails.map((e) => e.address),
      ),
    },
    changes,
    auditAction,
  };
}

/** True when this patch switches an active user off: their sessions must end with it. */
export function deactivates(u: User, patch: UpdateUserInput): boolean {
  return u.active && patch.active === false;
}

/**
 * R-ADM-13: an administrator switches a user to no second factor or to codes by e-mail, never to
 * an authenticator app: that needs the user's own enrolment, or the admin would hold the secret.
 */
export function planTwoFactor(u: User, method: TwoFactorMethod): PlannedChange {
  if (method === 'totp') {
    throw new AppError(
      'totp_requires_enrolment',
      'Only the user can set up an authenticator app, from My Profile. Choose "none" or "email".',
      {
        fieldErrors: [
          {
            field: 'method',
            message: 'must be "none" or "email"',
            kind: 'invalid_value',
            params: { values: ['none', 'email'] },
          },
        ],
      },
    );
  }
  return {
    // Any enrolled authenticator secret is dropped: once the admin has switched the app off,
    // turning it back on must take a new enrolment, not revive an old secret.
    values: { two_factor_method: method, totp_secret: null },
    changes: diff({ twoFactorMethod: u.twoFactorMethod }, { twoFactorMethod: method }),
    auditAction: 'user.two_factor_changed',
  };
}

/** R-ADM-14: forget wrong attempts and lift a lock at once. Nothing to do is no change. */
export function planLoginAttemptsReset(u: User, now: number): PlannedChange {
  return {
    values: { failed_logins: 0, locked_until: null },
    changes: diff(
      { failedLogins: u.failedLogins, lockedUntil: iso(u.lockedUntil) },
      { failedLogins: 0, lockedUntil: null },
    ),
    auditAction: 'user.login_attempts_reset',
    details: { wasLocked: isLocked(u, now) },
  };
}

/**
 * R-ADM-15: deleting needs the user's ID typed as confirmation (case and surrounding blanks
 * forgiven). The event keeps who it was, since the profile itself is gone afterwards.
 */
export function planDeletion(
  u: User,
  emails: readonly UserEmail[],
  confirm: string | undefined,
): PlannedChange {
  if (confirm === undefined || confirm.trim().toLowerCase() !== u.id) {
    throw new AppError('confirmation_required', `To delete this user, repeat their ID as ?confirm=${u.id}.`, {
      fieldErrors: [
        { field: 'confirm', message: 'must be the ID of the user to delete', kind: 'not_confirmed' },
      ],
    });
  }
  return {
    values: {},
    changes: {
      username: { before: u.username, after: null },
      firstName: { before: u.firstName, after: null },
      lastName: { before: u.lastName, after: null },
      primaryEmail: { before: u.primaryEmail, after: null },
      emails: { before: emails.map((e) => e.address), after: null },
    },
    auditAction: 'user.deleted',
    details: { role: u.role, systemPermissions: u.systemPermissions },
  };
}

/**
 * R-ADM-07, R-ADM-08: replacing a user's permissions, decided here rather than at the route: the
 * actor grants only what they hold themselves and never changes their own (`canGrant`).
 */
export function planPermissions(
  actor: Actor,
  u: User,
  next: { general: GeneralPermission[]; system: SystemPermission[] },
): PlannedChange {
  const decision = canGrant(actor, u, next.system, next.general);
  if (!decision.allowed) throw new AppError(decision.reason, denialMessages[decision.reason]);
  const changes: Record<string, { before: unknown; after: unknown }> = {};
  if (JSON.stringify(u.generalPermissions) !== JSON.stringify(next.general)) {
    changes.generalPermissions = { before: u.generalPermissions, after: next.general };
  }
  if (JSON.stringify(u.systemPermissions) !== JSON.stringify(next.system)) {
    changes.systemPermissions = { before: u.systemPermissions, after: next.system };
  }
  return {
    values: {
      general_permissions: JSON.stringify(next.general),
      system_permissions: JSON.stringify(next.system),
    },
    changes,
    auditAction: 'user.permissions_changed',
  };
}

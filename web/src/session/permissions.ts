import type { Session } from '../api/types.ts';

// What the signed-in person may see in the admin console. These mirror the server's rules
// (docs/permissions.md) only to decide what to show; the server decides what is allowed.

export const isSuperadmin = (s: Session) => s.user.role === 'superadmin';
export const isPowerUser = (s: Session) => s.user.role === 'power-user';

/** Superadmins hold every system permission implicitly. */
export function hasPermission(s: Session, permission: string): boolean {
  return isSuperadmin(s) || s.permissions.system.includes(permission);
}

/** Whoever may open the admin console at all: superadmins, system administrators, power users. */
export function isAdministrator(s: Session): boolean {
  return isSuperadmin(s) || isPowerUser(s) || s.permissions.system.length > 0;
}

/** Power users read the users assigned to them; everyone else needs users.read. */
export const canListUsers = (s: Session) => isPowerUser(s) || hasPermission(s, 'users.read');

export const canImpersonate = (s: Session) => isPowerUser(s) || hasPermission(s, 'users.impersonate');

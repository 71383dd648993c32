import type { GeneralPermission, Role, SystemPermission } from '../permissions/catalogue.ts';
import { isPowerUser } from '../permissions/can.ts';
import type { Principal } from '../shared/request-context.ts';
import { foldForIndex } from './search-fold.ts';

// The user as the domain sees it, and the pure rules derived from it (R-ADM-03, R-ADM-04).

export const genders = ['female', 'male', 'diverse', 'unspecified'] as const;
export type Gender = (typeof genders)[number];
export const languages = ['de', 'en'] as const;
export type Language = (typeof languages)[number];
export const twoFactorMethods = ['none', 'email', 'totp'] as const;
export type TwoFactorMethod = (typeof twoFactorMethods)[number];

export interface UserEmail {
  id: string;
  address: string;
  verified: boolean;
  verifiedAt: number | null;
  primary: boolean;
  createdAt: number;
}

export interface User {
  id: string;
  username: string | null;
  firstName: string;
  lastName: string;
  gender: Gender;
  language: Language;
  primaryEmail: string | null;
  role: Role;
  generalPermissions: GeneralPermission[];
  systemPermissions: SystemPermission[];
  active: boolean;
  hasPassword: boolean;
  twoFactorMethod: TwoFactorMethod;
  failedLogins: number;
  lockedUntil: number | null;
  createdAt: number;
  updatedAt: number;
  version: number;
  /** The domain (sub-tenant) the user belongs to, or null (R-IMP-02). */
  domainId: string | null;
}

export type Tag =
  'active' | 'inactive' | 'system-administrator' | 'superadmin' | 'power-user' | 'locked' | 'cannot-log-in';

export function displayName(u: Pick<User, 'firstName' | 'lastName'>): string {
  return `${u.firstName} ${u.lastName}`.trim();
}

export function isLocked(u: Pick<User, 'lockedUntil'>, now: number): boolean {
  return u.lockedUntil !== null && u.lockedUntil > now;
}

export interface LoginFacts {
  passwordLoginEnabled: boolean;
  /** Linked accounts whose login service is enabled on the login page (R-ADM-11/17). */
  enabledLinkedAccounts: number;
}

/**
 * R-ADM-04: computed, never stored. A user cannot log in when no way in is left: no password
 * (or password login switched off) and no linked account at an enabled login service.
 */
export function cannotLogIn(u: Pick<User, 'hasPassword'>, facts: LoginFacts): boolean {
  const byPassword = facts.passwordLoginEnabled && u.hasPassword;
  return !byPassword && facts.enabledLinkedAccounts === 0;
}

/** R-ADM-03: the tags shown with a profile, in a stable order. */
export function tagsOf(u: User, now: number, facts: LoginFacts): Tag[] {
  const tags: Tag[] = [u.active ? 'active' : 'inactive'];
  if (u.systemPermissions.length > 0) tags.push('system-administrator');
  if (u.role === 'superadmin') tags.push('superadmin');
  if (isPowerUser(u)) tags.push('power-user');
  if (isLocked(u, now)) tags.push('locked');
  if (cannotLogIn(u, facts)) tags.push('cannot-log-in');
  return tags;
}

/** Pure: what the admin search matches (names, e-mails, username, id), folded (search-fold.ts). */
export function searchTextOf(
  u: Pick<User, 'id' | 'firstName' | 'lastName' | 'username'>,
  emails: readonly string[],
): string {
  return foldForIndex([u.firstName, u.lastName, u.username ?? '', u.id, ...emails].filter(Boolean).join(' '));
}

export function principalOf(u: User): Principal {
  return {
    id: u.id,
    displayName: displayName(u),
    username: u.username,
    primaryEmail: u.primaryEmail,
    language: u.language,
    role: u.role,
    systemPermissions: u.systemPermissions,
    generalPermissions: u.generalPermissions,
  };
}

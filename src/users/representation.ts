import { tagsOf, displayName, type LoginFacts, type User, type UserEmail } from './user.ts';
import type { UserRepresentation } from './user.schemas.ts';

const iso = (ms: number) => new Date(ms).toISOString();

/** Pure: the API representation of a user (R-ADM-03), tags computed, secrets absent. */
export function representUser(
  u: User,
  emails: UserEmail[],
  now: number,
  facts: LoginFacts,
): UserRepresentation {
  return {
    id: u.id,
    username: u.username,
    firstName: u.firstName,
    lastName: u.lastName,
    displayName: displayName(u),
    gender: u.gender,
    language: u.language,
    primaryEmail: u.primaryEmail,
    emails: emails.map((e) => ({
      id: e.id,
      address: e.address,
      verified: e.verified,
      verifiedAt: e.verifiedAt === null ? null : iso(e.verifiedAt),
      primary: e.primary,
    })),
    active: u.active,
    role: u.role,
    permissions: { general: u.generalPermissions, system: u.systemPermissions },
    hasPassword: u.hasPassword,
    twoFactorMethod: u.twoFactorMethod,
    failedLogins: u.failedLogins,
    lockedUntil: u.lockedUntil !== null && u.lockedUntil > now ? iso(u.lockedUntil) : null,
    createdAt: iso(u.createdAt),
    updatedAt: iso(u.updatedAt),
    domainId: u.domainId,
    tags: tagsOf(u, now, facts),
  };
}

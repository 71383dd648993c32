import { diff } from '../audit/audit.ts';
import type { PlannedChange } from '../users/users.service.ts';
import { usernameKey } from '../users/username.ts';
import { searchTextOf, type Gender, type Language, type User, type UserEmail } from '../users/user.ts';

// Pure: what a user's own profile edit writes and audits (R-ADM-16). Unlike an administrator
// (R-ADM-02), the user may change their username.

export interface OwnProfilePatch {
  firstName?: string;
  lastName?: string;
  gender?: Gender;
  language?: Language;
  username?: string;
}

export function planOwnProfileUpdate(
  u: User,
  emails: readonly UserEmail[],
  patch: OwnProfilePatch,
): PlannedChange {
  const before = {
    firstName: u.firstName,
    lastName: u.lastName,
    gender: u.gender,
    language: u.language,
    username: u.username,
  };
  const after = {
    firstName: patch.firstName ?? before.firstName,
    lastName: patch.lastName ?? before.lastName,
    gender: patch.gender ?? before.gender,
    language: patch.language ?? before.language,
    username: patch.username ?? before.username,
  };
  return {
    values: {
      first_name: after.firstName,
      last_name: after.lastName,
      gender: after.gender,
      language: after.language,
      username: after.username,
      username_lower: after.username?.toLowerCase() ?? null,
      username_key: after.username === null ? null : usernameKey(after.username),
      search_text: searchTextOf(
        { id: u.id, firstName: after.firstName, lastName: after.lastName, username: after.username },
        emails.map((e) => e.address),
      ),
    },
    changes: diff(before, after),
    auditAction: 'account.profile_updated',
  };
}

import { foreignKeyViolation, uniqueViolation } from '../db/database.ts';
import { AppError } from '../shared/errors.ts';

// Constraint failures of the users tables (users, user_emails, linked_accounts), turned into the
// answers a client can act on, as orgs/constraints.ts does for groups and domains. The services
// check first and say it nicely; the constraints hold when two requests race. The engines'
// error shapes are read in db/database.ts (uniqueViolation, foreignKeyViolation).

/** Turns a unique-index failure into the 409 a client can act on; other errors pass through. */
export function mapUniqueViolation(error: unknown): unknown {
  // The domain a PATCH names was deleted between the check and the write.
  if (foreignKeyViolation(error)) {
    return new AppError(
      'conflict',
      'Something this change refers to was just removed; reload and try again.',
    );
  }
  const names = uniqueViolation(error);
  if (names === null) return error;
  // PostgreSQL names the index, SQLite its columns; the profile's own list is checked first
  // because its SQLite message also names user_emails.user_id.
  if (names.includes('user_emails_user_address') || names.includes('user_id, user_emails.address_lower')) {
    return new AppError('email_exists', 'This address is already an address of this user.', {
      fieldErrors: [
        { field: 'address', message: 'is already an address of this user', kind: 'already_an_address' },
      ],
    });
  }
  if (names.includes('user_emails_one_primary') || names.endsWith('user_emails.user_id')) {
    return new AppError('conflict', 'Another change to these addresses came first; reload and try again.');
  }
  // R-ADM-11: the pair (service, subject) belongs to one profile; the linked-accounts service
  // names the holder where the caller may see it.
  if (names.includes('linked_accounts')) {
    return new AppError('linked_account_taken', 'This account is already linked to a profile.');
  }
  if (names.includes('username')) {
    return new AppError('username_taken', 'This username is already taken.', {
      fieldErrors: [{ field: 'username', message: 'is already taken', kind: 'taken' }],
    });
  }
  if (names.includes('address') || names.includes('email')) {
    return new AppError('email_taken', 'This address is already a verified address of another user.', {
      fieldErrors: [{ field: 'email', message: 'is already in use', kind: 'taken' }],
    });
  }
  return new AppError('conflict', 'This conflicts with existing data.');
}

import { foreignKeyViolation, uniqueViolation } from '../db/database.ts';
import { AppError } from '../shared/errors.ts';

// Constraint failures of the orgs tables, turned into the answers a client can act on. The
// services check first and say it nicely; the constraints hold when two requests race.

/** Names of groups and domains, and host names, are unique; other errors pass through. */
export function mapOrgConstraint(error: unknown, kind: 'group' | 'domain'): unknown {
  const names = uniqueViolation(error);
  if (names !== null) {
    if (names.includes('host_name')) {
      return new AppError('host_name_taken', 'Another domain already has this host name.', {
        fieldErrors: [
          { field: 'hostName', message: 'is already the host name of another domain', kind: 'taken' },
        ],
      });
    }
    if (names.includes('name_lower')) {
      return kind === 'group'
        ? new AppError('group_name_taken', 'A group with this name exists already.', {
            fieldErrors: [{ field: 'name', message: 'is already taken (names ignore case)', kind: 'taken' }],
          })
        : new AppError('domain_name_taken', 'A domain with this name exists already.', {
            fieldErrors: [{ field: 'name', message: 'is already taken (names ignore case)', kind: 'taken' }],
          });
    }
    return new AppError('conflict', 'This conflicts with existing data.');
  }
  if (foreignKeyViolation(error)) {
    return new AppError(
      'conflict',
      'Something this change refers to was just removed; reload and try again.',
    );
  }
  return error;
}

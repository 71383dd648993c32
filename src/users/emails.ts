import { AppError } from '../shared/errors.ts';
import type { PlannedChange } from './users.service.ts';
import { searchTextOf, type User, type UserEmail } from './user.ts';

// Pure rules for a user's e-mail addresses (R-ADM-09): one or more, exactly one primary, a
// verified address in one profile only (that last one needs the database: see EmailsService).
// Every change records the whole list before and after, so the trail reads without joins.

export interface AddressState {
  address: string;
  verified: boolean;
  primary: boolean;
}

function auditView(emails: readonly AddressState[]): AddressState[] {
  return emails.map(({ address, verified, primary }) => ({ address, verified, primary }));
}

function emailChange(
  u: User,
  before: readonly AddressState[],
  after: readonly AddressState[],
  auditAction: string,
): PlannedChange {
  return {
    values: {
      search_text: searchTextOf(
        u,
        after.map((e) => e.address),
      ),
    },
    changes: { emails: { before: auditView(before), after: auditView(after) } },
    auditAction,
  };
}

export function findEmail(emails: readonly UserEmail[], emailId: string): UserEmail {
  const found = emails.find((e) => e.id === emailId);
  if (!found) throw new AppError('email_not_found', 'This user has no e-mail address with this ID.');
  return found;
}

export function planAddEmail(
  u: User,
  emails: readonly UserEmail[],
  added: { address: string; verified: boolean },
): PlannedChange {
  const lower = added.address.toLowerCase();
  if (emails.some((e) => e.address.toLowerCase() === lower)) {
    throw new AppError('email_exists', `${added.address} is already an address of this user.`, {
      fieldErrors: [
        { field: 'address', message: 'is already an address of this user', kind: 'already_an_address' },
      ],
    });
  }
  return emailChange(u, emails, [...emails, { ...added, primary: false }], 'user.email_added');
}

/** Any address may become primary, verified or not, and no confirmation mail is sent. */
export function planSetPrimary(u: User, emails: readonly UserEmail[], email: UserEmail): PlannedChange {
  if (email.primary) return { values: {}, changes: {}, auditAction: 'user.email_primary_set' };
  const after = emails.map((e) => ({ ...e, primary: e.id === email.id }));
  const planned = emailChange(u, emails, after, 'user.email_primary_set');
  planned.values.primary_email = email.address;
  planned.changes.primaryEmail = { before: u.primaryEmail, after: email.address };
  return planned;
}

/** Marks an address verified without a confirmation mail. Already verified is no change. */
export function planVerify(u: User, emails: readonly UserEmail[], email: UserEmail): PlannedChange {
  if (email.verified) return { values: {}, changes: {}, auditAction: 'user.email_verified' };
  const after = emails.map((e) => (e.id === email.id ? { ...e, verified: true } : e));
  return emailChange(u, emails, after, 'user.email_verified');
}

/** The primary address stays until another one is primary; the last one always stays. */
export function planRemoveEmail(u: User, emails: readonly UserEmail[], email: UserEmail): PlannedChange {
  if (emails.length === 1) {
    throw new AppError('last_email', 'A user keeps at least one e-mail address; add another one first.');
  }
  if (email.primary) {
    throw new AppError(
      'primary_email',
      'The primary address cannot be removed; make another address primary first.',
    );
  }
  const after = emails.filter((e) => e.id !== email.id);
  return emailChange(u, emails, after, 'user.email_removed');
}

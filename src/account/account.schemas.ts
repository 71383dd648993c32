import { z } from 'zod';
import { genders, languages, twoFactorMethods } from '../users/user.ts';
import { emailField, nameField, usernameField } from '../users/user.schemas.ts';
import type { UserAggregate } from '../users/users.service.ts';
import type { OwnSession } from './profile.service.ts';

// My Profile as the API shows and takes it (R-ADM-16). The same field rules as the admin side
// (users/user.schemas.ts); secrets (password hash, TOTP secret) are not in these schemas, so
// they cannot serialize.

const iso = (ms: number) => new Date(ms).toISOString();

export const ownEmailSchema = z
  .object({
    id: z.string(),
    address: z.string(),
    verified: z.boolean(),
    verifiedAt: z.string().nullable(),
    primary: z.boolean(),
    verificationPending: z.boolean().describe('A code was mailed and still works'),
  })
  .meta({ id: 'OwnEmail' });

export const profileSchema = z
  .object({
    id: z.string(),
    username: z.string().nullable(),
    firstName: z.string(),
    lastName: z.string(),
    displayName: z.string(),
    gender: z.enum(genders),
    language: z.enum(languages),
    primaryEmail: z.string().nullable(),
    emails: z.array(ownEmailSchema),
    hasPassword: z.boolean(),
    twoFactorMethod: z.enum(twoFactorMethods),
    createdAt: z.string(),
  })
  .meta({ id: 'Profile' });

export const profilePatch = z
  .object({
    firstName: nameField.optional(),
    lastName: nameField.optional(),
    gender: z.enum(genders).optional(),
    language: z.enum(languages).optional(),
    username: usernameField
      .optional()
      .describe('Only the user changes it (R-ADM-02); unique regardless of case'),
  })
  .strict()
  .meta({ id: 'ProfilePatch' });

export const addEmailBody = z.object({ address: emailField }).strict();
export const verifyEmailBody = z
  .object({ code: z.string().trim().min(1).max(32).describe('The code from the mail') })
  .strict();
export const emailIdParams = z.object({ emailId: z.string().min(1).max(64) });

export const sessionSchema = z
  .object({
    id: z.string(),
    current: z.boolean().describe('The session of this request'),
    createdAt: z.string(),
    lastSeenAt: z.string(),
    ip: z.string().nullable(),
    userAgent: z.string().nullable(),
  })
  .meta({ id: 'OwnSession' });

export const enrolmentSchema = z
  .object({
    manualEntryKey: z.string().describe('The secret in Base32, for typing into the app; shown this once'),
    uri: z.string().describe('otpauth:// URI, for the QR code'),
    expiresAt: z.string().describe('Confirm with a code from the app before this'),
  })
  .meta({ id: 'TotpEnrolment' });

export function representProfile(
  agg: UserAggregate & { pending: Set<string> },
): z.infer<typeof profileSchema> {
  const { user: u, emails } = agg;
  return {
    id: u.id,
    username: u.username,
    firstName: u.firstName,
    lastName: u.lastName,
    displayName: `${u.firstName} ${u.lastName}`.trim(),
    gender: u.gender,
    language: u.language,
    primaryEmail: u.primaryEmail,
    emails: emails.map((e) => ({
      id: e.id,
      address: e.address,
      verified: e.verified,
      verifiedAt: e.verifiedAt === null ? null : iso(e.verifiedAt),
      primary: e.primary,
      verificationPending: !e.verified && agg.pending.has(e.id),
    })),
    hasPassword: u.hasPassword,
    twoFactorMethod: u.twoFactorMethod,
    createdAt: iso(u.createdAt),
  };
}

export function representSession(s: OwnSession): z.infer<typeof sessionSchema> {
  return { ...s, createdAt: iso(s.createdAt), lastSeenAt: iso(s.lastSeenAt) };
}

import { z } from 'zod';
import { generalPermissions, roles, systemPermissions } from '../permissions/catalogue.ts';
import { displayText, emailField, usernameField } from '../shared/text-fields.ts';
import { genders, languages, twoFactorMethods } from './user.ts';

// The user as the API shows it and takes it. Response schemas strip whatever is not listed,
// so a password hash or TOTP secret cannot leak even if a mapper passed one along.

// Names refuse control and invisible formatting characters; e-mail addresses and usernames
// have their own rules and codes (src/shared/text-fields.ts, issue 7 #19).
export { emailField, usernameField } from '../shared/text-fields.ts';

export const nameField = displayText(
  z.string().trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters'),
);

export const emailSchema = z
  .object({
    id: z.string(),
    address: z.string(),
    verified: z.boolean(),
    verifiedAt: z.string().nullable(),
    primary: z.boolean(),
  })
  .meta({ id: 'UserEmail' });

export const tagSchema = z.enum([
  'active',
  'inactive',
  'system-administrator',
  'superadmin',
  'power-user',
  'locked',
  'cannot-log-in',
]);

export const userSchema = z
  .object({
    id: z.string().describe('Internal ID'),
    username: z.string().nullable(),
    firstName: z.string(),
    lastName: z.string(),
    displayName: z.string(),
    gender: z.enum(genders),
    language: z.enum(languages),
    primaryEmail: z.string().nullable(),
    emails: z.array(emailSchema),
    active: z.boolean(),
    role: z.enum(roles),
    permissions: z.object({
      general: z.array(z.enum(generalPermissions)),
      system: z.array(z.enum(systemPermissions)),
    }),
    hasPassword: z.boolean(),
    twoFactorMethod: z.enum(twoFactorMethods),
    failedLogins: z.number().int(),
    lockedUntil: z.string().nullable(),
    createdAt: z.string().describe('ISO 8601, to the millisecond'),
    updatedAt: z.string(),
    domainId: z.string().nullable().describe('The domain (sub-tenant) the user belongs to; null for none'),
    tags: z.array(tagSchema),
  })
  .meta({ id: 'User' });

export type UserRepresentation = z.infer<typeof userSchema>;

export const createUserBody = z
  .object({
    email: emailField,
    username: usernameField.optional(),
    firstName: nameField,
    lastName: nameField,
    gender: z.enum(genders).default('unspecified'),
    language: z.enum(languages).default('en'),
    domainId: z
      .uuid({ message: 'must be the ID of a domain' })
      .nullable()
      .optional()
      .describe('The domain the new user belongs to; none when absent or null (R-IMP-02, issue 10 #2)'),
  })
  .strict()
  .meta({ id: 'CreateUser' });

export type CreateUserInput = z.infer<typeof createUserBody>;

/**
 * PATCH body: only what changes. `username` is deliberately absent: after creation only the
 * user changes it (R-ADM-02), and the route answers a body naming it with
 * `username_admin_immutable` rather than a generic unknown-field error.
 */
export const updateUserBody = z
  .object({
    firstName: nameField.optional(),
    lastName: nameField.optional(),
    gender: z.enum(genders).optional(),
    language: z.enum(languages).optional(),
    active: z
      .boolean()
      .optional()
      .describe('false deactivates the user and ends their sessions at once (R-ADM-05)'),
    domainId: z
      .uuid({ message: 'must be the ID of a domain' })
      .nullable()
      .optional()
      .describe('Move the user to this domain; null for none (R-IMP-02)'),
  })
  .strict()
  .meta({ id: 'UpdateUser' });

export type UpdateUserInput = z.infer<typeof updateUserBody>;

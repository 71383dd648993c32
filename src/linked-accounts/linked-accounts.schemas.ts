import { z } from 'zod';
import { linkedVia } from './linked-account.ts';

// Linked accounts as the API shows and takes them (R-ADM-11, R-ADM-16). No secret of the
// service (its client secret) is in these schemas, so none can serialize.

export const linkedAccountSchema = z
  .object({
    id: z.string(),
    serviceId: z.string(),
    serviceName: z.string(),
    serviceNameDe: z.string().nullable(),
    subject: z.string().describe("The user's identifier at the service (its `sub` claim)"),
    email: z.string().nullable().describe('The e-mail address the service gave, informative only'),
    linkedVia: z.enum(linkedVia),
    linkedAt: z.string(),
    lastUsedAt: z.string().nullable(),
    usableForSignIn: z
      .boolean()
      .describe('The service is shown on the sign-in page, so this link is a way to sign in (R-ADM-04)'),
  })
  .meta({ id: 'LinkedAccount' });

export const linkableServiceSchema = z
  .object({ id: z.string(), displayName: z.string(), displayNameDe: z.string().nullable() })
  .meta({ id: 'LinkableService' });

export const ownLinkedAccountsSchema = z
  .object({
    items: z.array(linkedAccountSchema),
    linkable: z
      .array(linkableServiceSchema)
      .describe(
        'Services the user may link from My Profile (linking allowed, no domain restriction or the ' +
          "user's domain): link with GET /api/v1/account/linked-accounts/link/{serviceId}",
      ),
  })
  .meta({ id: 'OwnLinkedAccounts' });

export const linkedAccountListSchema = z
  .object({
    items: z.array(linkedAccountSchema),
    services: z
      .array(linkableServiceSchema)
      .describe(
        'Every login service, for the "link account" wizard: whoever may link a user may pick any ' +
          'service, without needing to read the login-service settings',
      ),
  })
  .meta({ id: 'LinkedAccountList' });

export const linkAccountBody = z
  .object({
    serviceId: z.string().min(1).max(64).describe('The login service'),
    subject: z
      .string()
      .trim()
      .min(1)
      .max(255)
      .describe("The user's identifier at that service (the `sub` claim of its ID tokens)"),
  })
  .strict()
  .meta({ id: 'LinkAccount' });

export const linkIdParams = z.object({ linkId: z.string().min(1).max(64) });
export const userLinkParams = z.object({ id: z.uuid(), linkId: z.string().min(1).max(64) });

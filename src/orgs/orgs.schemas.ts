import { z } from 'zod';
import { displayText } from '../shared/text-fields.ts';

// Groups, domains and power users' resources as the API shows and takes them.

export const groupIdParams = z.object({ id: z.uuid() });
export const domainIdParams = z.object({ id: z.uuid() });

const orgName = displayText(
  z.string().trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters'),
);

/** Bounded so that one request stays one small transaction (and well under the body limit). */
const idList = (what: string) =>
  z.array(z.uuid({ message: `must be the ID of a ${what}` })).max(1000, 'at most 1000 per request');

export const groupSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    memberCount: z.number().int(),
    createdAt: z.string().describe('ISO 8601, to the millisecond'),
  })
  .meta({ id: 'Group' });

export const groupListSchema = z.object({ items: z.array(groupSchema) }).meta({ id: 'GroupList' });

export const createGroupBody = z.object({ name: orgName }).strict().meta({ id: 'CreateGroup' });
export const updateGroupBody = z.object({ name: orgName.optional() }).strict().meta({ id: 'UpdateGroup' });

const memberSchema = z.object({
  id: z.string(),
  displayName: z.string(),
  primaryEmail: z.string().nullable(),
});

export const groupMembersSchema = z.object({ users: z.array(memberSchema) }).meta({ id: 'GroupMembers' });

export const setMembersBody = z
  .object({ users: idList('user').describe('The complete new list of members (user IDs)') })
  .strict()
  .meta({ id: 'SetGroupMembers' });

const hostNameField = z
  .string()
  .max(253, 'must be at most 253 characters')
  .describe('A DNS host name, e.g. login.example.com; stored lower-cased (and in ASCII form)');

export const domainSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    hostName: z.string().nullable(),
    createdAt: z.string().describe('ISO 8601, to the millisecond'),
  })
  .meta({ id: 'Domain' });

export const domainListSchema = z.object({ items: z.array(domainSchema) }).meta({ id: 'DomainList' });

export const createDomainBody = z
  .object({ name: orgName, hostName: hostNameField.nullable().optional() })
  .strict()
  .meta({ id: 'CreateDomain' });

export const updateDomainBody = z
  .object({
    name: orgName.optional(),
    hostName: hostNameField.nullable().optional().describe('null removes the host name'),
  })
  .strict()
  .meta({ id: 'UpdateDomain' });

export type DomainInput = { name?: string; hostName?: string | null | undefined };

export const powerUserResourcesSchema = z
  .object({
    users: z.array(memberSchema),
    groups: z.array(z.object({ id: z.string(), name: z.string() })),
    domains: z.array(z.object({ id: z.string(), name: z.string(), hostName: z.string().nullable() })),
  })
  .meta({ id: 'PowerUserResources' });

export const setResourcesBody = z
  .object({
    users: idList('user').describe('Users assigned directly'),
    groups: idList('group').describe('Groups whose members are assigned'),
    domains: idList('domain').describe('Domains whose users are assigned'),
  })
  .strict()
  .meta({ id: 'SetPowerUserResources' });

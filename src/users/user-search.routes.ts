import { z } from 'zod';
import type { Services } from '../services.ts';
import { problems, type ZodApp } from '../http/zod-app.ts';
import { requireUser } from '../http/context.ts';
import { openToPowerUsers } from '../http/admin-guard.ts';
import { roles } from '../permissions/catalogue.ts';
import { tagSchema } from './user.schemas.ts';
import {
  countCap,
  exactCountCap,
  maxTermLength,
  roleFilters,
  statusFilters,
  userSorts,
} from './user-search.ts';
import { UserSearchService } from './user-search.service.ts';

const listQuery = z
  .object({
    q: z
      .string()
      .max(maxTermLength)
      .optional()
      .describe(
        'Finds users whose names, e-mail addresses, username or ID contain this, ignoring case and accents; ' +
          'umlauts match their spelling with e and without dots ("schroeder" and "schroder" find "Schröder"), ß matches ss',
      ),
    status: z.enum(statusFilters).optional(),
    role: z
      .enum(roleFilters)
      .optional()
      .describe('`user` is everyone without a role and without system permissions'),
    tag: tagSchema.optional().describe('Users showing this computed tag (R-ADM-03)'),
    domain: z.uuid().optional().describe('Users of this domain'),
    sort: z.enum(userSorts).default('-createdAt').describe('A leading `-` sorts descending'),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    cursor: z
      .string()
      .max(2000)
      .optional()
      .describe('`nextCursor` of the previous page, with the same search, filters and sort'),
  })
  .strict();

export const userListItemSchema = z
  .object({
    id: z.string(),
    username: z.string().nullable(),
    firstName: z.string(),
    lastName: z.string(),
    displayName: z.string(),
    primaryEmail: z.string().nullable(),
    active: z.boolean(),
    role: z.enum(roles),
    createdAt: z.string().describe('ISO 8601, to the millisecond'),
    tags: z.array(tagSchema),
    domainId: z.string().nullable().describe('The domain the user belongs to; null for none'),
  })
  .meta({ id: 'UserListItem' });

const userListSchema = z
  .object({
    items: z.array(userListItemSchema),
    nextCursor: z
      .string()
      .nullable()
      .describe('Opaque; null on the last page. A page may hold fewer items than asked and still have one.'),
    total: z
      .object({
        count: z.number().int(),
        capped: z.boolean().describe('`count` is a lower bound: "1000+" when count is 1000'),
      })
      .describe(`Matching users, counted up to ${countCap}`),
  })
  .meta({ id: 'UserList' });

/** The exact count takes the list's search and filters, nothing about pages or order. */
const countQuery = listQuery.omit({ sort: true, limit: true, cursor: true }).strict();

const userCountSchema = z
  .object({
    count: z.number().int(),
    capped: z.boolean().describe(`\`count\` is a lower bound: more than ${exactCountCap} users match`),
  })
  .meta({ id: 'UserCount' });

export function userSearchRoutes(app: ZodApp, services: Services) {
  // Holds the planner's sample of search texts (see user-search.plan.ts), one per server.
  const search = new UserSearchService(services);
  app.get(
    '/api/v1/admin/users',
    {
      ...openToPowerUsers,
      schema: {
        tags: ['users'],
        summary: 'List and search users (R-ADM-06)',
        description:
          'Search, filters, sorting and keyset pagination, fast at a million users. Newest first by ' +
          'default; pages continue from `nextCursor` (400 `invalid_cursor` for a cursor of another ' +
          'search, filter or sort, or one that was changed). The total is capped at 1000 ("more than 1000"; ' +
          'GET /api/v1/admin/users/count counts exactly on demand). ' +
          'A search of one or two characters cannot use the trigram index: such a page reads a ' +
          'bounded stretch of users, so it may hold fewer items than asked (even none) with a ' +
          '`nextCursor` to read on, and its total may be a lower bound (`capped`). Needs `users.read`; ' +
          'a power user lists only the users in their reach (assigned directly, through a group or a ' +
          'domain; R-IMP-02).',
        querystring: listQuery,
        response: { 200: userListSchema, ...problems(400, 401, 403, 422) },
      },
    },
    async (req) => {
      return search.listFor(requireUser(req), req.query);
    },
  );
  app.get(
    '/api/v1/admin/users/count',
    {
      ...openToPowerUsers,
      schema: {
        tags: ['users'],
        summary: 'Count the users a search and its filters find, exactly (R-ADM-06)',
        description:
          `The list's total stops at ${countCap} ("more than ${countCap}"); this counts on, up to ` +
          `${exactCountCap} (\`capped\` beyond). Asked for on demand, not with every page: one count ` +
          "query through the trigram index or a filter's index, whose cost grows with the number " +
          'of matches (at most the bound); a search of one or two characters reads the table. ' +
          'Same parameters, permission and reach as the list.',
        querystring: countQuery,
        response: { 200: userCountSchema, ...problems(401, 403, 422) },
      },
    },
    async (req) => {
      return search.countFor(requireUser(req), req.query);
    },
  );
}

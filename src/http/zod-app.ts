import type {
  FastifyBaseLogger,
  FastifyInstance,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
} from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { fieldErrorKinds } from '../shared/errors.ts';

/** The Fastify instance type every route module receives: zod schemas give request types. */
export type ZodApp = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  ZodTypeProvider
>;

/** The problem document as it appears in the OpenAPI description of error answers. */
export const problemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    code: z.string().describe('Stable machine-readable error code (docs/errors.md)'),
    detail: z.string(),
    instance: z.string(),
    requestId: z.string(),
    errors: z
      .array(
        z.object({
          field: z.string(),
          message: z.string().describe('English, for people reading the answer; clients translate kind'),
          kind: z
            .enum(fieldErrorKinds)
            .describe('What is wrong with the field (docs/errors.md#field-errors)'),
          params: z.record(z.string(), z.unknown()).optional(),
          in: z
            .enum(['query', 'body'])
            .optional()
            .describe('For schema errors: whether `field` is a query parameter or a member of the body'),
        }),
      )
      .optional(),
  })
  .loose()
  .meta({ id: 'Problem' });

/** Standard error answers, for the `response` map of a route schema. */
export function problems(...statuses: number[]) {
  return Object.fromEntries(statuses.map((s) => [s, problemSchema])) as Record<number, typeof problemSchema>;
}

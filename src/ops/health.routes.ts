import { z } from 'zod';
import type { Services } from '../services.ts';
import { problems, type ZodApp } from '../http/zod-app.ts';
import { AppError } from '../shared/errors.ts';

export function healthRoutes(app: ZodApp, services: Services) {
  app.get(
    '/healthz',
    {
      schema: {
        tags: ['operations'],
        summary: 'The process is up and accepts requests',
        security: [],
        response: { 200: z.object({ status: z.literal('ok') }) },
      },
    },
    () => ({ status: 'ok' as const }),
  );

  app.get(
    '/readyz',
    {
      schema: {
        tags: ['operations'],
        summary: 'The database answers (for load balancers)',
        security: [],
        response: { 200: z.object({ status: z.literal('ready') }), ...problems(503) },
      },
    },
    async () => {
      if (!(await services.database.ping())) {
        throw new AppError('service_unavailable', 'The database does not answer.');
      }
      return { status: 'ready' as const };
    },
  );
}

import type { FastifyInstance } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';

// OpenAPI 3.1, generated from the same zod schemas that validate requests, so the document
// cannot drift from what the server does. Served at /api/v1/openapi.json; browsable at /api/docs.

export async function registerOpenApi(app: FastifyInstance): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Behalf API',
        version: '1',
        description:
          'User administration and safe impersonation. Errors are RFC 9457 problem documents with a stable `code` ' +
          '(see docs/errors.md). Sessions are cookies; state-changing requests need an `Origin` header of this ' +
          'server and JSON bodies.',
      },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'behalf_session' },
        },
      },
      security: [{ session: [] }],
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs' });
  app.get('/api/v1/openapi.json', { schema: { hide: true } }, () => app.swagger());
}

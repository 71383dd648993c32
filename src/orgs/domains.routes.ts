import { z } from 'zod';
import type { Services } from '../services.ts';
import { problems, type ZodApp } from '../http/zod-app.ts';
import { requireUser } from '../http/context.ts';
import { ifMatchVersion, setEtag } from '../http/etag.ts';
import type { Domain } from './domains.store.ts';
import {
  createDomainBody,
  domainIdParams,
  domainListSchema,
  domainSchema,
  updateDomainBody,
} from './orgs.schemas.ts';

/** Pure: the API shape of a domain. */
function represent(d: Domain) {
  return { id: d.id, name: d.name, hostName: d.hostName, createdAt: new Date(d.createdAt).toISOString() };
}

export function domainsRoutes(app: ZodApp, services: Services) {
  const domains = services.orgs.domains;

  app.post(
    '/api/v1/admin/domains',
    {
      schema: {
        tags: ['domains'],
        summary: 'Create a domain (a sub-tenant with its own users; R-IMP-02)',
        description:
          'Needs `domains.manage`. Names are unique regardless of case (409 `domain_name_taken`). ' +
          '`hostName` must be a DNS host name; it is stored lower-cased, internationalised names in ' +
          'their ASCII form, and no two domains share one (409 `host_name_taken`). Answers with an ETag.',
        body: createDomainBody,
        response: { 201: domainSchema, ...problems(401, 403, 409, 422) },
      },
    },
    async (req, reply) => {
      const domain = await domains.create(requireUser(req), req.body);
      setEtag(reply, 'domain', domain.version);
      void reply.header('location', `/api/v1/admin/domains/${domain.id}`);
      return reply.code(201).send(represent(domain));
    },
  );

  app.get(
    '/api/v1/admin/domains',
    {
      schema: {
        tags: ['domains'],
        summary: 'List all domains, by name',
        description: 'Needs `users.read`.',
        response: { 200: domainListSchema, ...problems(401, 403) },
      },
    },
    async (req) => ({ items: (await domains.list(requireUser(req))).map(represent) }),
  );

  app.get(
    '/api/v1/admin/domains/:id',
    {
      schema: {
        tags: ['domains'],
        summary: 'Read a domain',
        description: 'Needs `users.read`. Answers with an ETag.',
        params: domainIdParams,
        response: { 200: domainSchema, ...problems(401, 403, 404) },
      },
    },
    async (req, reply) => {
      const domain = await domains.get(requireUser(req), req.params.id);
      setEtag(reply, 'domain', domain.version);
      return represent(domain);
    },
  );

  app.patch(
    '/api/v1/admin/domains/:id',
    {
      schema: {
        tags: ['domains'],
        summary: 'Rename a domain or change its host name',
        description:
          'Needs `domains.manage`. Send only what changes; `hostName: null` removes the host name. ' +
          'Honours If-Match (412 `precondition_failed`) and answers with the domain and its new ETag.',
        params: domainIdParams,
        body: updateDomainBody,
        response: { 200: domainSchema, ...problems(401, 403, 404, 409, 412, 422) },
      },
    },
    async (req, reply) => {
      const domain = await domains.update(
        requireUser(req),
        req.params.id,
        ifMatchVersion(req, 'domain'),
        req.body,
      );
      setEtag(reply, 'domain', domain.version);
      return represent(domain);
    },
  );

  app.delete(
    '/api/v1/admin/domains/:id',
    {
      schema: {
        tags: ['domains'],
        summary: 'Delete a domain that has no users',
        description:
          'Needs `domains.manage`. A domain that users still belong to is kept (409 `domain_in_use`): ' +
          'move them first (`domainId` in PATCH /api/v1/admin/users/{id}). Power users who had it ' +
          'assigned lose it in the same change. Honours If-Match.',
        params: domainIdParams,
        response: { 204: z.null(), ...problems(401, 403, 404, 409, 412) },
      },
    },
    async (req, reply) => {
      await domains.remove(requireUser(req), req.params.id, ifMatchVersion(req, 'domain'));
      return reply.code(204).send(null);
    },
  );
}

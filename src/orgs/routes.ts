import type { Services } from '../services.ts';
import type { ZodApp } from '../http/zod-app.ts';
import { roleRoutes } from './role.routes.ts';
import { resourcesRoutes } from './resources.routes.ts';
import { groupsRoutes } from './groups.routes.ts';
import { groupMembersRoutes } from './group-members.routes.ts';
import { domainsRoutes } from './domains.routes.ts';

/** Roles, power users' resources, groups and domains; registered inside the admin guard. */
export function orgRoutes(app: ZodApp, services: Services) {
  roleRoutes(app, services);
  resourcesRoutes(app, services);
  groupsRoutes(app, services);
  groupMembersRoutes(app, services);
  domainsRoutes(app, services);
}

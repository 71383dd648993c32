import type { Services } from '../services.ts';
import type { ZodApp } from '../http/zod-app.ts';
import { usersRoutes } from './users.routes.ts';
import { permissionsRoutes } from './permissions.routes.ts';
import { passwordRoutes } from './password.routes.ts';
import { emailsRoutes } from './emails.routes.ts';
import { twoFactorRoutes } from './two-factor.routes.ts';
import { loginAttemptsRoutes } from './login-attempts.routes.ts';
import { userSearchRoutes } from './user-search.routes.ts';
import { mergeRoutes } from './merge/merge.routes.ts';

/** Every /api/v1/admin/users route module, registered inside the admin guard. */
export function adminUserRoutes(app: ZodApp, services: Services) {
  usersRoutes(app, services);
  permissionsRoutes(app, services);
  passwordRoutes(app, services);
  emailsRoutes(app, services);
  twoFactorRoutes(app, services);
  loginAttemptsRoutes(app, services);
  userSearchRoutes(app, services);
  mergeRoutes(app, services);
}
